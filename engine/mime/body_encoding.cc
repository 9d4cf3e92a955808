// RFC 2045 §6.7 (quoted-printable), §6.8 (base64), §2.7-2.8 (7bit and 8bit data);
// RFC 6152 (8BITMIME).
#include "b2bmail/mime/body_encoding.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace b2bmail::mime {
namespace {

// Characters quoted-printable writes as they are wherever they stand (RFC 2045 §6.7
// rules 2 and 3), except '.', which is encoded at the start of a line, and whitespace at
// the end of one, which the run copy in EncodeQuotedPrintable handles.
constexpr auto kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 33; c <= 126; ++c) t[c] = c != '=' && c != '.';
  t[' '] = t['\t'] = true;
  return t;
}();

// The text with every line end as CRLF (the canonical form of text, RFC 2045 §6.8),
// ending with CRLF unless empty.
std::string CanonicalText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      out += "\r\n";
      continue;
    }
    out += c;
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

// RFC 5321 §4.5.3.1.6 and RFC 2045 §2.8: 8bit data has lines of at most 998 octets,
// no NUL and no CR outside CRLF.
bool FitsEightBit(std::string_view text, bool& all_ascii) {
  all_ascii = true;
  std::size_t line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') return false;
      continue;
    }
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (c >= 0x80) all_ascii = false;
    if (++line > 998) return false;
  }
  return true;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string EncodeBase64Lines(std::string_view bytes) {
  // 57 input octets make one 76-character line.
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3) + 2 * (bytes.size() / 57 + 1));
  for (std::size_t i = 0; i < bytes.size(); i += 57) {
    out += EncodeBase64(bytes.substr(i, 57));
    out += "\r\n";
  }
  return out;
}

EncodedBody EncodeTextBody(std::string_view text, bool allow_8bit) {
  bool all_ascii = true;
  if (allow_8bit && FitsEightBit(text, all_ascii)) {
    return {all_ascii ? "7bit" : "8bit", CanonicalText(text), !all_ascii};
  }
  std::string qp = EncodeQuotedPrintable(text);
  // Upper bound: an LF may already be part of a CRLF. Counted with memchr, which is
  // vectorized (a plain counting loop is not at -O2 and cost 1 us per message).
  std::size_t canonical_size = text.size();
  const char* at = text.data();
  const char* end = text.data() + text.size();
  while (at < end) {
    const void* hit = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
    if (!hit) break;
    ++canonical_size;
    at = static_cast<const char*>(hit) + 1;
  }
  std::size_t base64_size = 4 * ((canonical_size + 2) / 3);
  base64_size += 2 * ((base64_size + 75) / 76);
  if (base64_size < qp.size()) return {"base64", EncodeBase64Lines(CanonicalText(text)), false};
  return {"quoted-printable", std::move(qp), false};
}

std::string EncodeQuotedPrintable(std::string_view text) {
  // Written through a pointer into a buffer sized for the worst case, tracking the
  // column: this runs over every byte of every message (bench/pipeline), so no
  // per-character string appends. Worst case per input byte: 3 characters ("=XX"), or 4
  // for " \n" ("=20" CRLF over 2 bytes), plus a 3-character soft break per 73 output
  // characters.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(text.size() * 5 + 32, '\0');
  char* p = out.data();
  char* line = p;  // where the current output line begins
  auto column = [&] { return static_cast<std::size_t>(p - line); };
  auto soft_break = [&] {
    *p++ = '=';
    *p++ = '\r';
    *p++ = '\n';
    line = p;
  };
  auto hard_break = [&] {
    // Trailing whitespace before a line break must be encoded (RFC 2045 §6.7 rule 3).
    if (p > line && (p[-1] == ' ' || p[-1] == '\t')) {
      char c = *--p;
      if (column() + 3 > 76) soft_break();
      *p++ = '=';
      *p++ = kHex[(c >> 4) & 0xF];
      *p++ = kHex[c & 0xF];
    }
    *p++ = '\r';
    *p++ = '\n';
    line = p;
  };
  const std::size_t n = text.size();
  auto at_line_end = [&](std::size_t j) {
    return j == n || text[j] == '\n' || (text[j] == '\r' && j + 1 < n && text[j + 1] == '\n');
  };
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (kPlain[c]) {
      // A run of characters written as they are, copied a line's room at a time; the
      // same result as the character-by-character rules below.
      std::size_t j = i + 1;
      while (j < n && kPlain[static_cast<unsigned char>(text[j])]) ++j;
      // Only a last character that stays literal may take column 76; trailing
      // whitespace is encoded by hard_break and needs the room.
      bool last_may_end_line = at_line_end(j) && text[j - 1] != ' ' && text[j - 1] != '\t';
      while (i < j) {
        std::size_t remaining = j - i;
        std::size_t room = column() < 75 ? 75 - column() : 0;
        if (last_may_end_line && remaining == room + 1) ++room;
        if (room == 0) {
          soft_break();
          continue;
        }
        std::size_t take = std::min(remaining, room);
        std::memcpy(p, text.data() + i, take);
        p += take;
        i += take;
      }
      --i;  // the loop's ++i moves past the run
      continue;
    }
    if (c == '\r' && i + 1 < n && text[i + 1] == '\n') continue;
    if (c == '\n') {
      hard_break();
      continue;
    }
    bool ends_line = i + 1 == n || text[i + 1] == '\n' ||
                     (text[i + 1] == '\r' && i + 2 < n && text[i + 2] == '\n');
    // Trailing whitespace gets encoded by hard_break, which needs two more columns. A
    // line may hold 76 characters; one that continues needs room for the soft-break "=".
    if ((c == ' ' || c == '\t') && ends_line) ends_line = false;
    const std::size_t limit = ends_line ? 76 : 75;
    bool literal = (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
    if (literal && c == '.') {
      // A leading '.' is encoded so no relay can mistake it for the end of DATA, also
      // when a soft break is about to put it first on a line.
      if (column() + 1 > limit) soft_break();
      literal = column() != 0;
    }
    if (literal) {
      if (column() + 1 > limit) soft_break();
      *p++ = static_cast<char>(c);
    } else {
      if (column() + 3 > limit) soft_break();
      *p++ = '=';
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 0xF];
    }
  }
  if (column() > 0) hard_break();
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out;
}

}  // namespace b2bmail::mime
