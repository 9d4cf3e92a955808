#pragma once
// Splitting a message into its header fields and body (RFC 5322 §2.2, §2.2.3), shared by
// the DKIM signer and verifier and the tolerant MIME parser. Tolerant: accepts CRLF or
// bare LF line ends, a header without a body, and lines without a colon (kept with an
// empty value, so that nothing is silently dropped).

#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::mime {

struct HeaderField {
  std::string_view name;   // as written, without the colon (not trimmed)
  std::string_view value;  // raw text after the colon up to the field's last line end,
                           // folding (CRLF/LF + WSP) kept, the final line end excluded
  std::string_view raw;    // the whole field as it appears, including its final line end
};

struct SplitMessage {
  std::vector<HeaderField> fields;
  std::string_view body;  // after the empty line; empty when there is none
  bool has_body_separator = false;
};

// Views into `message`, which must outlive the result. Never fails.
SplitMessage SplitHeaderAndBody(std::string_view message);

// The field's value unfolded (line ends of folds removed, RFC 5322 §2.2.3) and trimmed.
std::string Unfold(std::string_view value);

}  // namespace b2bmail::mime
