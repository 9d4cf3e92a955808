#pragma once
// DKIM verification (RFC 6376 §6.1) of every DKIM-Signature field of a message:
// rsa-sha256, and ed25519-sha256 (RFC 8463: Ed25519 over the SHA-256 hash of the
// canonical data, p= the raw 32-byte key); simple and relaxed canonicalization (§3.4);
// header fields selected from the bottom up (§5.4.2); keys through a DkimKeyLookup.
//
// Stricter than RFC 6376 where deliverability practice is (docs/operations.md):
//   - rsa-sha1 and RSA keys under 1024 bits fail (RFC 8301);
//   - a signature with l= fails even when it verifies: whatever is appended after the
//     signed length keeps the signature valid;
//   - a message with more than one From field fails: a receiver checks one From and a
//     reader may see the other.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/mime/dkim_key_lookup.h"

namespace b2bmail::mime {

// The verdict on one signature, named as in Authentication-Results (RFC 8601 §2.7.1),
// with the missing key split out.
enum class DkimStatus {
  kPass,
  kFail,         // well-formed, key found, but the message does not verify or is refused
                 // (hash mismatch, expired, rsa-sha1, short or revoked key, l=, two From)
  kPermError,    // the signature or its key record cannot be used (malformed, missing
                 // or contradictory tags, From not signed, x= not after t=)
  kTempError,    // the key could not be fetched now; the same message may pass later
  kKeyNotFound,  // nothing published at <selector>._domainkey.<domain>
};

// "pass", "fail", "permerror", "temperror", "key-not-found".
std::string_view ToString(DkimStatus status);

struct DkimSignatureResult {
  DkimStatus status = DkimStatus::kPermError;
  std::string domain;     // d=, as written; empty when absent
  std::string selector;   // s=
  std::string algorithm;  // a=
  std::string identity;   // i=, or "@" + d= when absent
  std::string reason;     // why it did not pass ("body hash mismatch"); empty on pass
};

struct DkimVerifyOptions {
  // How far t= may lie in the future before the signature fails: signers' clocks drift.
  std::chrono::seconds clock_skew{300};
};

// Thread-safe when the lookup is; holds a reference to it.
class DkimVerifier {
 public:
  // REQUIRES: `keys` outlives the verifier.
  explicit DkimVerifier(const DkimKeyLookup& keys, DkimVerifyOptions options = {});

  // One result per DKIM-Signature field of `message`, top to bottom; empty when there
  // is none. `message` is a complete RFC 5322 message; bare LF line ends are read as
  // CRLF first (as dkimpy does with files from disk). `now` decides x= expiry. Never
  // throws for anything in the message or the key records.
  std::vector<DkimSignatureResult> Verify(std::string_view message, base::TimePoint now) const;

 private:
  const DkimKeyLookup& keys_;
  DkimVerifyOptions options_;
};

// Simple body canonicalization (RFC 6376 §3.4.3): empty lines at the end removed, a
// final CRLF added when missing; an empty body becomes CRLF. Exposed for tests.
std::string SimpleBody(std::string_view body);

// `message` with every LF not preceded by CR turned into CRLF.
std::string WithCrlfLineEnds(std::string_view message);

}  // namespace b2bmail::mime
