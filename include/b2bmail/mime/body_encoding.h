#pragma once
// Content-Transfer-Encodings for bodies (RFC 2045 §6): quoted-printable, base64, and the
// choice between them and 8bit for a UTF-8 text part.

#include <string>
#include <string_view>

namespace b2bmail::mime {

// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and soft breaks at 76; any line
// end in the input (LF or CRLF) becomes CRLF; a '.' starting a line is encoded.
std::string EncodeQuotedPrintable(std::string_view text);

// Plain base64 (RFC 4648 §4) on one line, with padding.
std::string EncodeBase64(std::string_view bytes);

// Base64 in lines of 76 characters, each ending with CRLF (RFC 2045 §6.8).
std::string EncodeBase64Lines(std::string_view bytes);

struct EncodedBody {
  std::string_view transfer_encoding;  // "quoted-printable", "base64", "8bit" or "7bit"
  std::string data;                    // CRLF line ends, ending with CRLF
  bool eight_bit = false;              // true for "8bit": needs BODY=8BITMIME
};

// A text part's body. With `allow_8bit` (the server offers 8BITMIME, RFC 6152) and
// lines that allow it (at most 998 octets, no NUL, no bare CR): "8bit", or "7bit" when
// the text is all ASCII. Otherwise quoted-printable, or base64 when that is shorter,
// as it is for CJK or Cyrillic text, which QP inflates threefold (deliverability.md §2).
EncodedBody EncodeTextBody(std::string_view text, bool allow_8bit);

}  // namespace b2bmail::mime
