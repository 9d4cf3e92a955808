#include "sha256.h"

#include <openssl/evp.h>

#include "b2bmail/base/error.h"

namespace b2bmail::mime {
namespace {

// Fetched once and kept for the life of the process (thread-safe static initialisation).
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) throw Error(ErrorKind::kInternal, "OpenSSL has no SHA-256");
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex2(ctx_, FetchedSha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw Error(ErrorKind::kInternal, "SHA-256 set-up failed");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(const char* data, std::size_t size) {
  if (size > 0 && EVP_DigestUpdate(ctx_, data, size) != 1)
    throw Error(ErrorKind::kInternal, "SHA-256 failed");
}

std::string Sha256::Final() {
  std::string digest(kSize, '\0');
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_, reinterpret_cast<unsigned char*>(digest.data()), &size) != 1 ||
      size != kSize)
    throw Error(ErrorKind::kInternal, "SHA-256 failed");
  return digest;
}

std::string Sha256Digest(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  return hash.Final();
}

}  // namespace b2bmail::mime
