// Relaxed canonicalization runs over every byte of every message a launch signs
// (bench/pipeline). Most of a body is already canonical: words separated by one space,
// lines ending in CRLF. So the body is not copied byte by byte; spans that stay as they
// are go out whole, and only the places that change are looked at: runs of whitespace
// (found 16 bytes at a time), whitespace at line ends, and empty lines at the end.
#include "relaxed_canonicalization.h"

#include <cstring>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/dkim.h"
#include "sha256.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace b2bmail::mime {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// The CRLF ending the line that starts at `p`, or `end`. A bare CR or LF is content.
const char* FindCrlf(const char* p, const char* end) {
  const char* from = p;
  while (from < end) {
    auto* lf =
        static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(end - from)));
    if (!lf) return end;
    if (lf > p && lf[-1] == '\r') return lf - 1;
    from = lf + 1;
  }
  return end;
}

// The first place in [p, last) where relaxed canonicalization changes something inside
// a line: a tab, or a space followed by a space or tab. `last` if none. The line has no
// trailing whitespace, and bytes up to `end` (beyond `last`) may be read.
const char* FindCollapsible(const char* p, const char* last, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');
  // Two overlapping loads, at p and p + 1, compare each byte with its successor.
  while (p < last && end - p >= 17) {
    __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    __m128i next_wsp = _mm_or_si128(_mm_cmpeq_epi8(next, space), _mm_cmpeq_epi8(next, tab));
    __m128i hit = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(here, space), next_wsp),
                               _mm_cmpeq_epi8(here, tab));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) {
      const char* at = p + __builtin_ctz(static_cast<unsigned>(mask));
      return at < last ? at : last;
    }
    p += 16;
  }
#else
  (void)end;
#endif
  // The last character before `last` is no whitespace, so p[1] exists wherever *p is.
  for (; p < last; ++p)
    if (*p == '\t' || (*p == ' ' && IsWsp(p[1]))) return p;
  return last;
}

// The first space, tab, CR or LF in [p, end), or `end`.
const char* FindHeaderSpace(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  for (; end - p >= 16; p += 16) {
    __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(here, space), _mm_cmpeq_epi8(here, tab)),
                               _mm_or_si128(_mm_cmpeq_epi8(here, cr), _mm_cmpeq_epi8(here, lf)));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  for (; p < end; ++p)
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') return p;
  return end;
}

// The relaxed body (RFC 6376 §3.4.4) handed to `sink` in pieces: whitespace runs become
// one space, whitespace at line ends goes, every line ends in CRLF, and empty lines at
// the end are dropped (so an empty body stays empty). Empty lines are held back until a
// line with content follows.
template <class Sink>
void CanonicalizeRelaxedBody(std::string_view body, Sink& sink) {
  const char* p = body.data();
  const char* const end = p + body.size();
  std::size_t held_back = 0;
  while (p < end) {
    const char* eol = FindCrlf(p, end);
    const char* next = eol == end ? end : eol + 2;
    const char* last = eol;
    while (last > p && IsWsp(last[-1])) --last;
    if (last == p) {
      ++held_back;
      p = next;
      continue;
    }
    for (; held_back > 0; --held_back) sink.Append("\r\n", 2);
    const char* span = p;
    for (const char* at = FindCollapsible(p, last, end); at < last;
         at = FindCollapsible(at, last, end)) {
      sink.Append(span, static_cast<std::size_t>(at - span));
      sink.Append(" ", 1);
      while (IsWsp(*at)) ++at;  // stops before `last`: last[-1] is no whitespace
      span = at;
    }
    sink.Append(span, static_cast<std::size_t>(last - span));
    sink.Append("\r\n", 2);
    p = next;
  }
}

struct StringSink {
  std::string& out;
  void Append(const char* data, std::size_t size) { out.append(data, size); }
};

// Pieces gathered in a buffer and hashed a few kilobytes at a time: most pieces are a
// line or shorter, and each EVP_DigestUpdate call has a fixed cost.
class HashSink {
 public:
  void Append(const char* data, std::size_t size) {
    if (size > sizeof buffer_ - used_) {
      Flush();
      if (size > sizeof buffer_) {
        hash_.Update(data, size);
        return;
      }
    }
    std::memcpy(buffer_ + used_, data, size);
    used_ += size;
  }
  std::string Final() {
    Flush();
    return hash_.Final();
  }

 private:
  void Flush() {
    hash_.Update(buffer_, used_);
    used_ = 0;
  }
  Sha256 hash_;
  char buffer_[4096];
  std::size_t used_ = 0;
};

}  // namespace

void AppendRelaxedHeader(std::string& out, std::string_view name, std::string_view value) {
  // Written through a pointer into room for the worst case (nothing removed), then cut.
  name = base::Trim(name);
  std::size_t start = out.size();
  out.resize(start + name.size() + 1 + value.size());
  char* p = out.data() + start;
  for (char c : name) *p++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  *p++ = ':';
  // Unfolded, then every run of whitespace one space, none at the ends. Words go out
  // whole: a List-Unsubscribe value is mostly two long URLs.
  char* const value_start = p;
  const char* in = value.data();
  const char* const end = in + value.size();
  bool space = false;
  while (in < end) {
    char c = *in;
    if (c == '\r' || c == '\n') {
      ++in;
      continue;
    }
    if (IsWsp(c)) {
      space = true;
      ++in;
      continue;
    }
    if (space && p != value_start) *p++ = ' ';
    space = false;
    const char* word_end = FindHeaderSpace(in + 1, end);
    std::memcpy(p, in, static_cast<std::size_t>(word_end - in));
    p += word_end - in;
    in = word_end;
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string RelaxedHeader(std::string_view name, std::string_view value) {
  std::string out;
  AppendRelaxedHeader(out, name, value);
  return out;
}

std::string RelaxedBody(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 2);
  StringSink sink{out};
  CanonicalizeRelaxedBody(body, sink);
  return out;
}

std::string RelaxedBodySha256(std::string_view body) {
  HashSink sink;
  CanonicalizeRelaxedBody(body, sink);
  return sink.Final();
}

}  // namespace b2bmail::mime
