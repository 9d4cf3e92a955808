#pragma once
// Text in a MIME charset (RFC 2045 §5.1, RFC 2046 §4.1.2, RFC 2978 names) converted to
// UTF-8 with glibc's iconv, for the tolerant MIME parser and RFC 2047/2231 decoding.
// Only an allowlist of common charsets reaches iconv (ISO-8859-*, windows-125x, KOI8,
// Shift_JIS, EUC-JP, ISO-2022-JP, GB2312/GBK/GB18030, Big5, EUC-KR, UTF-16/32, UTF-7,
// TIS-620, IBM866, Macintosh); anything else is read as UTF-8, so names taken from
// untrusted mail never select an exotic converter.

#include <cstddef>
#include <string>
#include <string_view>

namespace b2bmail::mime {

struct ConvertedText {
  std::string text;                // well-formed UTF-8
  bool known_charset = true;       // false: the charset was not recognised, read as UTF-8
  std::size_t replaced_bytes = 0;  // input bytes that became U+FFFD
};

// Converts `bytes` written in `charset` (a MIME charset name, any case, quotes and
// surrounding whitespace allowed) to UTF-8. Bytes that are invalid in the charset become
// U+FFFD; never fails. us-ascii and an empty name are read as UTF-8 (ASCII is a subset
// and 8-bit text mislabelled as ASCII is usually UTF-8); ISO-8859-1 is read as
// windows-1252, as browsers do (WHATWG Encoding), because mislabelled windows-1252 is far
// more common than C1 control characters. Thread-safe.
ConvertedText ConvertToUtf8(std::string_view bytes, std::string_view charset);

// `bytes` with every byte that does not belong to a well-formed UTF-8 sequence (overlong
// forms and surrogates included) replaced by U+FFFD. Thread-safe.
ConvertedText SanitizeUtf8(std::string_view bytes);

}  // namespace b2bmail::mime
