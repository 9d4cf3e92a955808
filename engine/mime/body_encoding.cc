// RFC 2045 §6.7 (quoted-printable), §6.8 (base64), §2.7-2.8 (7bit and 8bit data);
// RFC 6152 (8BITMIME).
#include "b2bmail/mime/body_encoding.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace b2bmail::mime {
namespace {

// Characters quoted-printable writes as they are (RFC 2045 §6.7 rules 2 and 3) and
// that EncodeQuotedPrintable copies in runs. Two exceptions the run copy handles: '.',
// encoded at the start of a line, and whitespace at the end of one.
constexpr auto kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 33; c <= 126; ++c) t[c] = c != '=';
  t[' '] = t['\t'] = true;
  return t;
}();

// Copies the run of kPlain characters that starts at s[i] to `dst` and returns where it
// ends: the index of the first character at or after `i` that is not plain, or `n`.
// Most of a message is such runs, so they are scanned and copied 16 bytes at a time in
// one pass (a separate memcpy per run cost a second data-dependent branch per run).
// Writes up to 16 bytes past the end of the copy, dst + (result - i); never reads past
// s[n - 1].
std::size_t CopyPlainRun(const char* s, std::size_t i, std::size_t n, char* dst) {
  dst -= i;  // so that s[k] goes to dst[k]
#if defined(__SSE2__)
  // Plain is ' '..'~' except '=', or '\t'. Compares are signed, so bytes >= 0x80 are
  // negative and fail "> 31"; 0x7F fails "< 127".
  const __m128i k31 = _mm_set1_epi8(31);
  const __m128i k127 = _mm_set1_epi8(127);
  const __m128i kEquals = _mm_set1_epi8('=');
  const __m128i kTab = _mm_set1_epi8('\t');
  while (n - i >= 16) {  // the scalar loop takes the last bytes
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), x);
    __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(x, k31), _mm_cmplt_epi8(x, k127));
    __m128i plain = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(x, kEquals), printable),
                                 _mm_cmpeq_epi8(x, kTab));
    unsigned not_plain = ~static_cast<unsigned>(_mm_movemask_epi8(plain)) & 0xFFFFu;
    if (not_plain != 0) return i + static_cast<std::size_t>(std::countr_zero(not_plain));
    i += 16;
  }
#endif
  while (i < n && kPlain[static_cast<unsigned char>(s[i])]) {
    dst[i] = s[i];
    ++i;
  }
  return i;
}

// Whether a line of the input ends at `i`: the end of the text, LF or CRLF.
bool AtLineEnd(const char* s, std::size_t i, std::size_t n) {
  return i == n || s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
}

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
  // The canonical text is no shorter than the text, so base64 takes at least this much:
  // mostly-Latin text, quoted-printable at about 1.1 times its size, stops here.
  std::size_t base64_floor = 4 * ((text.size() + 2) / 3);
  base64_floor += 2 * ((base64_floor + 75) / 76);
  if (qp.size() <= base64_floor) return {"quoted-printable", std::move(qp), false};
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
  // Written through a pointer into a scratch buffer sized for the worst case, tracking
  // the column: this runs over every byte of every message (bench/pipeline), so no
  // per-character string appends and no zero-filled oversized std::string.
  //
  // The bound. Call the characters of an output line other than its "=" CRLF or CRLF
  // ending its content. Each input byte other than LF adds at most 3 content characters:
  // 1 when literal, 3 for "=XX" (also "=2E" for a leading '.'), 0 for the CR of a CRLF;
  // trailing whitespace rewritten by a hard break goes from 1 to 3 ("=20"), still 3 for
  // its byte. So content <= 3n. Hard breaks (CRLF, 2 characters) come one per LF, plus
  // the final one: at most 2 * (#LF) + 2 characters, and a LF adds no content. A soft
  // break ("=" CRLF, 3 characters) is only written when the current line already holds
  // at least 73 content characters (column + 3 > 75 at the least, column 74 for the one
  // before a rewritten trailing space, column 75 in the run copy), and lines do not
  // share content, so soft breaks <= 3n / 73. In all:
  //   3 * (n - #LF) + 2 * #LF + 2 + 3 * (3n / 73) <= 3n + 2 + 9n / 73 < 3n + n / 8 + 2,
  // where 9n / 73 < n / 8 holds for integers too, since 3 * floor(3n / 73) is an integer
  // no greater than 9n / 73 < n / 8, hence no greater than floor(n / 8).
  // CopyPlainRun may write 16 bytes past the end of a run's copy, which lies within
  // that bound, hence the slack.
  const std::size_t n = text.size();
  const std::size_t bound = 3 * n + n / 8 + 2 + 16;

  // Messages reuse one buffer per thread; a huge text gets its own rather than leaving
  // the thread holding that much memory.
  constexpr std::size_t kKeptScratch = std::size_t{1} << 20;
  thread_local std::unique_ptr<char[]> scratch;
  thread_local std::size_t scratch_size = 0;
  std::unique_ptr<char[]> oversized;
  char* out;
  if (bound <= kKeptScratch) {
    if (scratch_size < bound) {
      scratch_size = std::max(bound, std::size_t{64} << 10);
      scratch.reset(new char[scratch_size]);  // uninitialized: every byte used is written
    }
    out = scratch.get();
  } else {
    oversized.reset(new char[bound]);
    out = oversized.get();
  }

  static constexpr char kHex[] = "0123456789ABCDEF";
  const char* const s = text.data();
  char* p = out;
  char* line = p;  // where the current output line begins; the column is p - line
  auto soft_break = [&] {
    *p++ = '=';
    *p++ = '\r';
    *p++ = '\n';
    line = p;
  };
  auto hard_break = [&] {
    // Trailing whitespace before a line break must be encoded (RFC 2045 §6.7 rule 3).
    // It was placed at column 74 at the latest, so "=XX" fits in 76 unless it stood
    // there.
    if (p > line && (p[-1] == ' ' || p[-1] == '\t')) {
      char c = *--p;
      if (p - line + 3 > 76) soft_break();
      *p++ = '=';
      *p++ = kHex[c >> 4];  // c is ' ' or '\t': "=20" or "=09"
      *p++ = kHex[c & 0xF];
    }
    *p++ = '\r';
    *p++ = '\n';
    line = p;
  };

  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (kPlain[c]) {
      // A run of characters written as they are; the same result as placing them one by
      // one: a character may take columns up to 75, leaving room for a soft break's "=",
      // except a literal last character of a line, which may take column 76. Trailing
      // whitespace is encoded by hard_break and needs the room.
      std::size_t column = static_cast<std::size_t>(p - line);
      if (column == 0 && c == '.') {
        // A leading '.' is encoded so no relay can mistake it for the end of DATA, also
        // when a soft break has just put it first on a line. "=2E" fits on any line.
        *p++ = '=';
        *p++ = '2';
        *p++ = 'E';
        ++i;
        continue;  // the rest of the run, from column 3
      }
      const std::size_t j = CopyPlainRun(s, i, n, p);
      std::size_t room = column < 75 ? 75 - column : 0;
      bool last_may_end_line = false;
      if (j - i > room) {
        last_may_end_line = AtLineEnd(s, j, n) && s[j - 1] != ' ' && s[j - 1] != '\t';
        if (last_may_end_line && j - i == room + 1) ++room;
      }
      if (j - i <= room) {  // the common case: the run fits on the line as copied
        p += j - i;
        i = j;
        continue;
      }
      // Keep what fits; the rest goes on following lines, copied again from the text
      // over what CopyPlainRun wrote past this line.
      p += room;
      i += room;
      while (i < j) {
        column = static_cast<std::size_t>(p - line);
        if (column == 0 && s[i] == '.') {  // only a chunk can start at column 0
          *p++ = '=';
          *p++ = '2';
          *p++ = 'E';
          ++i;
          continue;
        }
        const std::size_t remaining = j - i;
        room = column < 75 ? 75 - column : 0;
        if (last_may_end_line && remaining == room + 1) ++room;
        if (room == 0) {
          soft_break();
          continue;
        }
        const std::size_t take = std::min(remaining, room);
        std::memcpy(p, s + i, take);
        p += take;
        i += take;
      }
      continue;
    }
    if (c == '\n') {
      hard_break();
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
      hard_break();
      i += 2;
      continue;
    }
    // Everything else is encoded: '=', control characters, DEL and non-ASCII bytes. A
    // line may hold 76 characters; one that continues needs room for the soft-break "=".
    const std::size_t column = static_cast<std::size_t>(p - line);
    if (column + 3 > 75 && (column + 3 > 76 || !AtLineEnd(s, i + 1, n))) soft_break();
    *p++ = '=';
    *p++ = kHex[c >> 4];
    *p++ = kHex[c & 0xF];
    ++i;
  }
  if (p > line) hard_break();
  return std::string(out, static_cast<std::size_t>(p - out));
}

}  // namespace b2bmail::mime
