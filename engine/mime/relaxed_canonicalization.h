#pragma once
// DKIM relaxed canonicalization (RFC 6376 §3.4.2, §3.4.4), for the signer and the
// verifier. RelaxedHeader, RelaxedBody and RelaxedBodySha256 are declared in
// b2bmail/mime/dkim.h, for tests.

#include <string>
#include <string_view>

namespace b2bmail::mime {

// RelaxedHeader(name, value) appended to `out`, without temporary strings: it runs for
// every signed field of every message.
void AppendRelaxedHeader(std::string& out, std::string_view name, std::string_view value);

}  // namespace b2bmail::mime
