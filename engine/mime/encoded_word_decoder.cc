// RFC 2047 §2 (syntax), §4 (B and Q encodings), §5 (where words may appear), §6.2
// (display: whitespace between adjacent words ignored); RFC 2231 §5 (language in the
// charset); RFC 6532 §3.2 (UTF-8 in header values).
#include "b2bmail/mime/encoded_word_decoder.h"

#include <optional>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/charset_conversion.h"
#include "b2bmail/mime/transfer_decoding.h"

namespace b2bmail::mime {
namespace {

struct EncodedWord {
  std::string_view charset;
  std::string bytes;  // decoded, still in `charset`
  std::size_t end;    // index just after "?="
};

bool IsWsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string DecodeQ(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      out += ' ';  // §4.2 rule 2, whatever the charset
    } else if (c == '=' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// The encoded word starting at s[pos] ("=?"), or nullopt when there is none. Each
// field is scanned only up to the next '?', so a failed attempt costs at most the
// distance to the third '?' after `pos`, and the caller's scan stays linear.
std::optional<EncodedWord> WordAt(std::string_view s, std::size_t pos) {
  std::size_t q1 = pos + 1;  // the '?' after '='
  std::size_t q2 = q1 + 1;
  while (q2 < s.size() && s[q2] != '?' && !IsWsp(s[q2])) ++q2;
  if (q2 >= s.size() || s[q2] != '?' || q2 == q1 + 1) return std::nullopt;
  if (q2 + 2 >= s.size() || s[q2 + 2] != '?') return std::nullopt;
  char encoding = s[q2 + 1];
  std::size_t text_start = q2 + 3;
  std::size_t q3 = text_start;
  while (q3 < s.size() && s[q3] != '?' && !IsWsp(s[q3])) ++q3;
  if (q3 + 1 >= s.size() || s[q3] != '?' || s[q3 + 1] != '=') return std::nullopt;
  std::string_view text = s.substr(text_start, q3 - text_start);
  EncodedWord word;
  word.charset = s.substr(q1 + 1, q2 - q1 - 1);
  // RFC 2231 §5: "charset*language".
  if (auto star = word.charset.find('*'); star != std::string_view::npos)
    word.charset = word.charset.substr(0, star);
  if (encoding == 'B' || encoding == 'b') {
    word.bytes = DecodeBase64(text).bytes;
  } else if (encoding == 'Q' || encoding == 'q') {
    word.bytes = DecodeQ(text);
  } else {
    return std::nullopt;
  }
  word.end = q3 + 2;
  return word;
}

}  // namespace

std::string DecodeEncodedWords(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return SanitizeUtf8(value).text;
  std::string out;
  out.reserve(value.size());
  // Bytes of adjacent encoded words in one charset, converted together when the run ends.
  std::string pending_bytes;
  std::string_view pending_charset;
  bool has_pending = false;
  auto flush = [&] {
    if (!has_pending) return;
    out += ConvertToUtf8(pending_bytes, pending_charset).text;
    pending_bytes.clear();
    has_pending = false;
  };
  std::size_t pos = 0;
  std::size_t literal_start = 0;  // start of text not yet copied
  bool last_was_word = false;     // only whitespace since the last encoded word
  while (pos < value.size()) {
    std::size_t candidate = value.find("=?", pos);
    if (candidate == std::string_view::npos) break;
    auto word = WordAt(value, candidate);
    if (!word) {
      pos = candidate + 1;
      continue;
    }
    std::string_view between = value.substr(literal_start, candidate - literal_start);
    bool only_space = true;
    for (char c : between) only_space = only_space && IsWsp(c);
    if (!(last_was_word && only_space)) {
      flush();
      out += SanitizeUtf8(between).text;
    }
    if (has_pending && !base::EqualsIgnoreCase(pending_charset, word->charset)) flush();
    pending_charset = word->charset;
    pending_bytes += word->bytes;
    has_pending = true;
    last_was_word = true;
    pos = literal_start = word->end;
  }
  flush();
  out += SanitizeUtf8(value.substr(literal_start)).text;
  return out;
}

}  // namespace b2bmail::mime
