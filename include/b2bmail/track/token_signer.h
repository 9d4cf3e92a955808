#pragma once
// Signed per-send tokens: what unsubscribe links, VERP bounce addresses and (later)
// tracking links carry instead of an address. A token is `<send key>.<mac>`: the send
// key is the random key stored with the outbox row (base::RandomToken, 26 characters of
// [a-z0-9], about 134 bits), the mac an HMAC-SHA256 over the purpose and the key,
// truncated to 80 bits and written in lower-case base32. Lower case throughout, because
// some mail systems lower-case the local part of a bounce address.
//
// The mac lets the tracking server and the bounce processor reject forged or mistyped
// tokens before touching the store, and binds a token to its purpose: a bounce address
// cannot be replayed as an unsubscribe link. The token reveals nothing about the
// recipient (RFC 8058 §3 wants a hard-to-forge URI that identifies recipient and list).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX, kept out of this header

namespace b2bmail::track {

enum class TokenPurpose { kUnsubscribe, kBounce, kOpen, kClick };

// Thread safety: immutable after construction; Sign and Verify may run concurrently.
class TokenSigner {
 public:
  // `secret`: at least 32 bytes of any values; throws Error{kConfig} when shorter.
  explicit TokenSigner(std::string secret);
  ~TokenSigner();
  TokenSigner(const TokenSigner&) = delete;
  TokenSigner& operator=(const TokenSigner&) = delete;

  // `<send_key>.<mac>`. REQUIRES: send_key is non-empty [a-z0-9].
  std::string Sign(TokenPurpose purpose, std::string_view send_key) const;

  // The send key when `token` was signed with this secret for `purpose`; nullopt for
  // anything else (compared in constant time). Upper-case input is accepted.
  std::optional<std::string> Verify(TokenPurpose purpose, std::string_view token) const;

 private:
  std::string Mac(TokenPurpose purpose, std::string_view send_key) const;
  std::string secret_;
  evp_mac_ctx_st* prepared_ = nullptr;  // EVP_MAC_CTX keyed with the secret; copied per MAC
};

// The secret in `path`: read when the file exists (at least 32 bytes, else
// Error{kConfig}); otherwise 32 new random bytes written there with mode 0600 (parent
// folders created). Throws Error{kIo} when it can be neither read nor created.
std::string LoadOrCreateTokenSecret(const std::filesystem::path& path);

}  // namespace b2bmail::track
