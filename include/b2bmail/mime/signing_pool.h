#pragma once
// DKIM signing of a batch of messages on several cores. RSA-2048 signing is the largest
// CPU cost per message (perf-baselines.md §5) and scales with cores, so a launch can
// render on one thread and sign on all of them.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/mime/dkim.h"

namespace b2bmail::mime {

// A fixed set of worker threads, started once by the constructor, that sign batches
// with one shared DkimSigner. The calling thread signs its share of every batch too,
// so `threads` is the number of threads that sign: a pool of 1 starts no worker and
// signs on the caller's thread; a pool of N starts N - 1 workers.
//
// Sharing the signer is safe: DkimSigner::Sign is const and only reads its keys. Each
// call makes its own EVP_MD_CTX (and so its own EVP_PKEY_CTX) over the shared EVP_PKEY,
// which OpenSSL 3 supports across threads (openssl-threads(7): objects are thread-safe
// while the calls made on them do not modify them, e.g. "two threads can calculate a
// signature using two different EVP_PKEY_CTX objects"); what OpenSSL caches inside a
// key on first use (RSA blinding and Montgomery contexts, provider key exports) is
// created under the key's own lock, and shared blinding is applied under its lock.
//
// Thread safety: SignAll may be called from any thread; calls are serialized (one batch
// at a time), so concurrent callers wait for each other rather than interleave.
class SigningPool {
 public:
  // Borrows `signer`, which must outlive the pool and must not be modified while the
  // pool exists. `threads` == 0 means std::thread::hardware_concurrency() (1 when
  // unknown). Starts threads - 1 workers, which sleep until a batch arrives.
  SigningPool(const DkimSigner& signer, unsigned threads);
  // Stops and joins the workers. REQUIRES: no SignAll in progress.
  ~SigningPool();
  SigningPool(const SigningPool&) = delete;
  SigningPool& operator=(const SigningPool&) = delete;

  // Replaces every message with signer.Sign(message, now), spread over the pool's
  // threads in chunks; returns when all are done. Each message is as Sign would return
  // it, whatever the number of threads. When a Sign throws, the remaining work is
  // abandoned, the first exception is rethrown here once every thread has stopped
  // touching the batch, and `messages` is left unchanged (strong guarantee).
  // REQUIRES: every message is a complete RFC 5322 message with CRLF line ends.
  void SignAll(std::vector<std::string>& messages, base::TimePoint now);

  // The number of threads that sign a batch, the caller's included.
  unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

 private:
  // One batch, shared by the caller and the workers while SignAll runs.
  struct Batch {
    const std::vector<std::string>* in = nullptr;
    std::vector<std::string>* out = nullptr;
    base::TimePoint now;
    std::size_t chunk = 1;
  };

  void WorkerLoop(std::stop_token stop);
  // Signs chunks of the current batch until none is left or one has failed.
  void SignChunks(const Batch& batch);

  const DkimSigner& signer_;
  std::mutex batch_mutex_;  // held by SignAll: one batch at a time

  // Guards everything below it but next_; workers sleep on wake_ between batches.
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::condition_variable done_;
  Batch batch_;
  unsigned long long generation_ = 0;  // bumped once per batch handed to the workers
  unsigned busy_ = 0;                  // workers that have not finished the batch
  std::exception_ptr error_;           // the batch's first exception

  std::atomic<std::size_t> next_{0};  // index of the next unclaimed message
  std::atomic<bool> failed_{false};   // a Sign threw: claim nothing more

  // Last, so the workers stop and join before the members they use are destroyed.
  std::vector<std::jthread> workers_;
};

}  // namespace b2bmail::mime
