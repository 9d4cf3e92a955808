#pragma once
// SHA-256 for DKIM (body hashes, Ed25519's pre-hash, verification), on a digest fetched
// once per process. OpenSSL 3's one-shot SHA256() and EVP_sha256() look the algorithm up
// by name on every call, under a lock: a measurable share of signing a message
// (bench/pipeline).

#include <openssl/types.h>

#include <string>
#include <string_view>

namespace b2bmail::mime {

// A running hash, fed in pieces.
class Sha256 {
 public:
  static constexpr std::size_t kSize = 32;

  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const char* data, std::size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // The 32-byte digest; the object is spent afterwards.
  std::string Final();

 private:
  EVP_MD_CTX* ctx_;
};

// The 32-byte SHA-256 digest of `data`.
std::string Sha256Digest(std::string_view data);

}  // namespace b2bmail::mime
