#pragma once
// DKIM signatures (RFC 6376) with rsa-sha256 (RFC 8301: 2048-bit keys or larger) and
// ed25519-sha256 (RFC 8463), relaxed/relaxed canonicalization, no l= tag.
// deliverability.md §3 lists the pitfalls this avoids.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"

namespace b2bmail::mime {

enum class DkimAlgorithm { kRsaSha256, kEd25519Sha256 };

// One signing identity: `d=` domain, `s=` selector and a private key (PEM).
class DkimKey {
 public:
  // Throws Error{kConfig} naming `what` (e.g. the file) when the PEM is not a private
  // key of `algorithm`, or an RSA key is shorter than 2048 bits.
  static DkimKey FromPem(std::string domain, std::string selector, DkimAlgorithm algorithm,
                         std::string_view pem, const std::string& what);
  // Reads a PEM file; throws Error{kConfig} when it cannot be read.
  static DkimKey FromFile(std::string domain, std::string selector, DkimAlgorithm algorithm,
                          const std::string& path);

  const std::string& domain() const { return domain_; }
  const std::string& selector() const { return selector_; }
  DkimAlgorithm algorithm() const { return algorithm_; }
  // The DNS TXT record to publish at <selector>._domainkey.<domain>:
  // "v=DKIM1; k=rsa; p=..." or "v=DKIM1; k=ed25519; p=...".
  std::string DnsRecord() const;

  DkimKey(DkimKey&&) noexcept;
  DkimKey& operator=(DkimKey&&) noexcept;
  ~DkimKey();

 private:
  struct Impl;
  DkimKey();
  std::string domain_, selector_;
  DkimAlgorithm algorithm_ = DkimAlgorithm::kRsaSha256;
  std::unique_ptr<Impl> impl_;
  friend class DkimSigner;
};

// Generates a new private key (RSA 2048 or Ed25519) as PEM (PKCS#8).
std::string GenerateDkimPrivateKey(DkimAlgorithm algorithm);

// The header fields signed, in this order; From and the List-Unsubscribe pair are
// listed once more than they appear ("over-signed"), so that nobody can add one.
std::vector<std::string> DefaultSignedHeaders();

class DkimSigner {
 public:
  DkimSigner(std::vector<DkimKey> keys, std::vector<std::string> signed_headers);

  // `message` is a complete RFC 5322 message with CRLF line ends. Returns it with one
  // DKIM-Signature field per key prepended (t= from `now`).
  std::string Sign(const std::string& message, base::TimePoint now) const;

 private:
  std::vector<DkimKey> keys_;
  std::vector<std::string> headers_;
  std::string h_;                           // the h= value
  std::vector<std::string> lower_headers_;  // headers_, lower-cased
  std::vector<int> skips_;                  // earlier entries with the same name
};

// Canonicalization, exposed for tests (RFC 6376 §3.4.2 and §3.4.4).
std::string RelaxedHeader(std::string_view name, std::string_view value);
std::string RelaxedBody(std::string_view body);
// The SHA-256 digest (32 bytes) of RelaxedBody(body), hashed as it is canonicalized: the
// canonical body is never held whole. What bh= carries.
std::string RelaxedBodySha256(std::string_view body);

}  // namespace b2bmail::mime
