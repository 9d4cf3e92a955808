#pragma once
// DKIM key records from DNS (RFC 6376 §3.6.2) through glibc's resolver (res_nquery,
// libresolv): the name servers of /etc/resolv.conf, or one given for tests.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/mime/dkim_key_lookup.h"

namespace b2bmail::mime {

struct DnsDkimKeyLookupOptions {
  // "IPv4:port" of the one name server to ask, e.g. "127.0.0.1:5353"; empty: the name
  // servers of /etc/resolv.conf.
  std::string nameserver;
  // Seconds to wait for each answer, and how many times to ask each server.
  int timeout_seconds = 5;
  int attempts = 2;
};

// Thread-safe: each lookup uses its own resolver state.
class DnsDkimKeyLookup final : public DkimKeyLookup {
 public:
  // Throws Error{kConfig} when options.nameserver is not "IPv4:port".
  explicit DnsDkimKeyLookup(DnsDkimKeyLookupOptions options = {});

  // NXDOMAIN and NODATA are kNotFound; timeouts, SERVFAIL and refusals are
  // kTemporaryFailure, as RFC 6376 §6.1.2 wants for a key that cannot be fetched now.
  DkimKeyRecords Lookup(const std::string& name) const override;

 private:
  DnsDkimKeyLookupOptions options_;
};

// The TXT records in the answer section of a DNS response message (RFC 1035 §4.1,
// §3.3.14), each record's character-strings joined. nullopt when the message is
// malformed. Exposed for tests.
std::optional<std::vector<std::string>> ParseDnsTxtResponse(std::string_view response);

}  // namespace b2bmail::mime
