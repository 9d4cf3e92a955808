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

// The first place at or after `p` where relaxed body canonicalization may change
// something: a CR (a line may end there), a tab, or a space followed by a space, tab or
// CR or ending the body. `end` if none. Everything before it is copied as it is.
const char* NextBodyEvent(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i cr = _mm_set1_epi8('\r');
  // Two overlapping loads, at p and p + 1, compare each byte with its successor.
  for (; end - p >= 17; p += 16) {
    __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    __m128i next_breaks =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(next, space), _mm_cmpeq_epi8(next, tab)),
                     _mm_cmpeq_epi8(next, cr));
    __m128i hit = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(here, space), next_breaks),
                               _mm_or_si128(_mm_cmpeq_epi8(here, tab), _mm_cmpeq_epi8(here, cr)));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  for (; p < end; ++p) {
    if (*p == '\r' || *p == '\t') return p;
    if (*p == ' ' && (p + 1 == end || IsWsp(p[1]) || p[1] == '\r')) return p;
  }
  return end;
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
// the end are dropped (so an empty body stays empty). One pass from event to event;
// the bytes between two events go out as they are.
template <class Sink>
void CanonicalizeRelaxedBody(std::string_view body, Sink& sink) {
  const char* p = body.data();
  const char* const end = p + body.size();
  const char* span = p;  // the bytes from here to the next event go out unchanged
  bool line_has_content = false;
  std::size_t held_back = 0;  // CRLFs of empty lines, written once content follows
  auto write = [&](const char* data, std::size_t size) {
    if (size == 0) return;
    for (; held_back > 0; --held_back) sink.Append("\r\n", 2);
    sink.Append(data, size);
    line_has_content = true;
  };
  auto end_line = [&] {
    if (line_has_content)
      sink.Append("\r\n", 2);
    else
      ++held_back;
    line_has_content = false;
  };
  for (const char* at = NextBodyEvent(p, end); at < end; at = NextBodyEvent(at, end)) {
    if (*at == '\r') {
      if (at + 1 < end && at[1] == '\n') {
        write(span, static_cast<std::size_t>(at - span));
        end_line();
        span = at += 2;
      } else {
        ++at;  // a bare CR is content
      }
      continue;
    }
    // A run of whitespace: one space inside a line, nothing at its end.
    write(span, static_cast<std::size_t>(at - span));
    const char* run_end = at;
    while (run_end < end && IsWsp(*run_end)) ++run_end;
    bool at_line_end =
        run_end == end || (*run_end == '\r' && run_end + 1 < end && run_end[1] == '\n');
    if (!at_line_end) write(" ", 1);
    span = at = run_end;
  }
  write(span, static_cast<std::size_t>(end - span));
  if (line_has_content) sink.Append("\r\n", 2);  // a last line without CRLF gets one
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
