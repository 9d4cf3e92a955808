#pragma once
// Small ASCII string helpers used across modules. UTF-8 is passed through untouched.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::base {

std::string_view Trim(std::string_view s);
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Splits on `sep`; keeps empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// Levenshtein distance, for "did you mean" suggestions.
std::size_t EditDistance(std::string_view a, std::string_view b);
// The candidate closest to `word` by edit distance if it is within `max_distance`;
// empty otherwise. Ties go to the earlier candidate.
template <typename Range>
std::string Nearest(std::string_view word, const Range& candidates, std::size_t max_distance = 3) {
  std::string best;
  std::size_t best_distance = max_distance + 1;
  for (const auto& c : candidates) {
    std::size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}
// Number of Unicode code points in valid UTF-8 (each invalid byte counts as one).
std::size_t Utf8Length(std::string_view s);
// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);
// Appends code point `cp` as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD.
void AppendUtf8(std::string& out, std::uint32_t cp);
// JSON string literal with quotes, escaping per RFC 8259.
std::string JsonQuote(std::string_view s);

}  // namespace b2bmail::base
