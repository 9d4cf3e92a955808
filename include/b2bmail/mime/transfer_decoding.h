#pragma once
// Content-Transfer-Encoding (RFC 2045 §6): reading the field and decoding
// quoted-printable (§6.7) and base64 (§6.8) bodies tolerantly, as mail from the wild
// needs: whitespace, missing padding and junk characters in base64, lower-case hex and
// stray '=' in quoted-printable. Decoding never fails; what had to be tolerated is
// reported as defects.

#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::mime {

enum class TransferEncoding {
  k7bit,  // also when the field is absent (RFC 2045 §6.1)
  k8bit,
  kBinary,
  kQuotedPrintable,
  kBase64,
  kUnknown,  // an unrecognised value; the body is kept as it is (RFC 2045 §6.4)
};

// The encoding named by a Content-Transfer-Encoding value (unfolded, any case,
// surrounding whitespace and a trailing comment ignored). Empty means k7bit.
TransferEncoding ParseTransferEncoding(std::string_view value);

// "7bit", "quoted-printable", ...; "unknown" for kUnknown.
std::string_view ToString(TransferEncoding encoding);

// True for the encodings whose body is used as it is (7bit, 8bit, binary, unknown).
bool IsIdentity(TransferEncoding encoding);

struct DecodedBytes {
  std::string bytes;
  std::vector<std::string> defects;  // empty when the input was well-formed
};

// Quoted-printable: "=XX" (either case) becomes the byte, "=" at a line end (after any
// trailing whitespace) joins the lines, trailing whitespace of a line is dropped (rule 3),
// an "=" not followed by two hex digits is kept as it is. Line ends (CRLF or LF) are
// kept as written. Thread-safe.
DecodedBytes DecodeQuotedPrintable(std::string_view encoded);

// Base64: characters outside the alphabet (whitespace, junk) are skipped, '=' ends a
// group and decoding resumes after it (concatenated encodings), a final group without
// padding is decoded as far as it goes. Thread-safe.
DecodedBytes DecodeBase64(std::string_view encoded);

// The body decoded with `encoding`; identity encodings return it unchanged.
DecodedBytes DecodeTransferEncoding(std::string_view body, TransferEncoding encoding);

}  // namespace b2bmail::mime
