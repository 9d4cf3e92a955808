#pragma once
// The seam between the DKIM verifier and where public keys live (RFC 6376 §3.6.2: a DNS
// TXT query for <selector>._domainkey.<domain>). Implementations: DnsDkimKeyLookup
// (the resolver of the host) and DkimKeyFile (records kept in a file, for checking a
// message before its record is published, and for tests).

#include <string>
#include <vector>

namespace b2bmail::mime {

struct DkimKeyRecords {
  enum class Outcome {
    kFound,             // `records` holds at least one TXT record
    kNotFound,          // the name does not exist or has no TXT record
    kTemporaryFailure,  // no answer now (timeout, SERVFAIL): the verdict is temperror
  };
  Outcome outcome = Outcome::kNotFound;
  // Each TXT record's text, its character-strings joined without separator (§3.6.2.2).
  std::vector<std::string> records;
  // For people, when not found or failed: "no TXT record at ..." (no trailing period).
  std::string detail;
};

// Finds the TXT records published at a name. Implementations are thread-safe.
class DkimKeyLookup {
 public:
  virtual ~DkimKeyLookup() = default;
  // `name` is "<selector>._domainkey.<domain>" without a final dot. Expected failures
  // (no such name, no answer) are outcomes, never exceptions.
  virtual DkimKeyRecords Lookup(const std::string& name) const = 0;
};

}  // namespace b2bmail::mime
