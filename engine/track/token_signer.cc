// HMAC-SHA256 (RFC 2104, FIPS 198-1) truncated to 80 bits (RFC 2104 §5 allows truncation
// to no less than half the hash length for a MAC that is checked online, where a forger
// gets one guess per request); base32 alphabet of RFC 4648 §6, lower case, no padding.
#include "b2bmail/track/token_signer.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"

namespace b2bmail::track {
namespace {

constexpr std::size_t kMacBytes = 10;  // 80 bits, 16 base32 characters

std::string_view PurposeName(TokenPurpose p) {
  switch (p) {
    case TokenPurpose::kUnsubscribe:
      return "unsubscribe";
    case TokenPurpose::kBounce:
      return "bounce";
    case TokenPurpose::kOpen:
      return "open";
    case TokenPurpose::kClick:
      return "click";
  }
  return "?";
}

std::string Base32Lower(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

bool IsKeyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

TokenSigner::TokenSigner(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < 32)
    throw Error(ErrorKind::kConfig, "the token secret must be at least 32 bytes");
  // Keyed once: HMAC() per call fetches the algorithms from the provider registry, which
  // cost about as much as the MAC itself; every token is computed on a copy of this.
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  prepared_ = mac ? EVP_MAC_CTX_new(mac) : nullptr;
  EVP_MAC_free(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!prepared_ || EVP_MAC_init(prepared_, reinterpret_cast<const unsigned char*>(secret_.data()),
                                 secret_.size(), params) != 1)
    throw Error(ErrorKind::kInternal, "OpenSSL has no HMAC-SHA256");
}

TokenSigner::~TokenSigner() { EVP_MAC_CTX_free(prepared_); }

std::string TokenSigner::Mac(TokenPurpose purpose, std::string_view send_key) const {
  // The purpose and a separator first, so "purpose|key" pairs can never collide.
  std::string data(PurposeName(purpose));
  data += '\0';
  data += send_key;
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(prepared_);
  bool ok =
      ctx &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
      EVP_MAC_final(ctx, digest, &size, sizeof digest) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok || size < kMacBytes) throw Error(ErrorKind::kInternal, "HMAC-SHA256 failed");
  return Base32Lower(digest, kMacBytes);
}

std::string TokenSigner::Sign(TokenPurpose purpose, std::string_view send_key) const {
  return std::string(send_key) + "." + Mac(purpose, send_key);
}

std::optional<std::string> TokenSigner::Verify(TokenPurpose purpose, std::string_view token) const {
  std::string t(token);
  for (char& c : t)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto dot = t.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 64) return std::nullopt;
  std::string key = t.substr(0, dot), mac = t.substr(dot + 1);
  for (char c : key)
    if (!IsKeyChar(c)) return std::nullopt;
  std::string expected = Mac(purpose, key);
  if (mac.size() != expected.size() || CRYPTO_memcmp(mac.data(), expected.data(), mac.size()) != 0)
    return std::nullopt;
  return key;
}

std::string LoadOrCreateTokenSecret(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::kIo, "cannot read the token secret " + path.string());
    std::stringstream s;
    s << in.rdbuf();
    std::string secret = s.str();
    if (secret.size() < 32)
      throw Error(ErrorKind::kConfig, "the token secret " + path.string() +
                                          " is shorter than 32 bytes; delete it to make a new "
                                          "one (links already sent then stop working)");
    return secret;
  }
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1)
    throw Error(ErrorKind::kInternal, "no random bytes for the token secret");
  std::string secret(reinterpret_cast<char*>(raw), sizeof raw);
  // O_EXCL: two processes creating it at once must not end up with different secrets
  // in use; the loser reads the winner's file.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return LoadOrCreateTokenSecret(path);
    throw Error(ErrorKind::kIo, "cannot create the token secret " + path.string());
  }
  bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) throw Error(ErrorKind::kIo, "cannot write the token secret " + path.string());
  return secret;
}

}  // namespace b2bmail::track
