#include "b2bmail/mime/signing_pool.h"

#include <algorithm>
#include <utility>

namespace b2bmail::mime {
namespace {

// Messages claimed at a time. A claim is one relaxed fetch_add, nothing beside a
// signature (25 µs for Ed25519, 250 µs for RSA-2048), so chunks stay small to keep the
// threads busy until the batch's end; more than one message per claim only so that two
// threads do not write neighbouring strings (one cache line) on every message.
std::size_t ChunkSize(std::size_t messages, unsigned threads) {
  return std::clamp<std::size_t>(messages / (std::size_t{threads} * 16), 1, 16);
}

}  // namespace

SigningPool::SigningPool(const DkimSigner& signer, unsigned threads) : signer_(signer) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i)
    workers_.emplace_back([this](std::stop_token stop) { WorkerLoop(stop); });
}

SigningPool::~SigningPool() {
  // Ask all to stop before joining any, so that they wind down together.
  for (auto& w : workers_) w.request_stop();
  workers_.clear();
}

void SigningPool::SignAll(std::vector<std::string>& messages, base::TimePoint now) {
  std::lock_guard serial(batch_mutex_);
  if (messages.empty()) return;
  // Signed copies go to a second vector and replace the originals only when all have
  // succeeded: a failed batch leaves the caller's messages as they were.
  std::vector<std::string> signed_messages(messages.size());
  if (workers_.empty()) {
    for (std::size_t i = 0; i < messages.size(); ++i)
      signed_messages[i] = signer_.Sign(messages[i], now);
    messages.swap(signed_messages);
    return;
  }

  Batch batch{&messages, &signed_messages, now, ChunkSize(messages.size(), threads())};
  next_.store(0, std::memory_order_relaxed);
  failed_.store(false, std::memory_order_relaxed);
  {
    std::lock_guard lock(mutex_);
    batch_ = batch;
    error_ = nullptr;
    busy_ = static_cast<unsigned>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  SignChunks(batch);

  // The workers' writes to signed_messages become visible through mutex_, which each
  // takes to report that it is done.
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return busy_ == 0; });
  batch_ = Batch{};
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  lock.unlock();
  messages.swap(signed_messages);
}

void SigningPool::WorkerLoop(std::stop_token stop) {
  unsigned long long seen = 0;
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      // False only when a stop was requested; no batch is then in progress.
      if (!wake_.wait(lock, stop, [&] { return generation_ != seen; })) return;
      seen = generation_;
      batch = batch_;
    }
    SignChunks(batch);
    std::lock_guard lock(mutex_);
    if (--busy_ == 0) done_.notify_one();
  }
}

void SigningPool::SignChunks(const Batch& batch) {
  const std::size_t size = batch.in->size();
  try {
    while (!failed_.load(std::memory_order_relaxed)) {
      std::size_t begin = next_.fetch_add(batch.chunk, std::memory_order_relaxed);
      if (begin >= size) return;
      std::size_t end = std::min(size, begin + batch.chunk);
      for (std::size_t i = begin; i < end; ++i)
        (*batch.out)[i] = signer_.Sign((*batch.in)[i], batch.now);
    }
  } catch (...) {
    // The batch is lost anyway: the others stop claiming, and the first error wins.
    failed_.store(true, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
}

}  // namespace b2bmail::mime
