#pragma once
// RFC 2047 encoded words (`=?charset?B|Q?text?=`, §2-§6, with the RFC 2231 §5 language
// suffix `charset*lang`) in header values, decoded to UTF-8 for display and matching.
// Text outside encoded words may be raw UTF-8 (RFC 6532).

#include <string>
#include <string_view>

namespace b2bmail::mime {

// An unfolded header value with its encoded words decoded to UTF-8:
// - B and Q (either case); charsets as in ConvertToUtf8 (charset_conversion.h);
// - whitespace between two adjacent encoded words is dropped (§6.2), and adjacent words
//   in the same charset are decoded together, so a character split across words (which
//   some senders do, against §5) comes out whole;
// - encoded words are recognised wherever they appear, also inside quoted strings and
//   next to other text, as mail clients do;
// - a malformed word (unknown encoding, whitespace inside, no closing "?=") is left as it
//   is; other bytes that are not well-formed UTF-8 become U+FFFD.
// The result is well-formed UTF-8. Linear in the input. Thread-safe.
std::string DecodeEncodedWords(std::string_view value);

}  // namespace b2bmail::mime
