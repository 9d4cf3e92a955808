#pragma once
// Small ASCII string helpers used across modules. UTF-8 is passed through untouched.

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
// Number of Unicode code points in valid UTF-8 (each invalid byte counts as one).
std::size_t Utf8Length(std::string_view s);
// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);
// JSON string literal with quotes, escaping per RFC 8259.
std::string JsonQuote(std::string_view s);

}  // namespace b2bmail::base
