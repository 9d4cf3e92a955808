#pragma once
// Helpers shared by the HTML-to-text converter and WrapText (private to the render module).

#include <cstddef>
#include <string_view>

namespace b2bmail::render::text {

// Display width in code points (a stray byte of invalid UTF-8 counts as at most one).
std::size_t Width(std::string_view s);

// `s` has "{{" at `pos`: the index just past the tag's closing "}}" ("}}}" for a triple
// mustache), or npos when the tag is not closed.
std::size_t MustacheTagEnd(std::string_view s, std::size_t pos);

// The sigil of the Mustache tag starting at `pos` ('#', '^', '/', '!', '>', '&', '=', '{'),
// or 0 for a plain variable tag. Spaces after "{{" are skipped, as Mustache allows them.
char MustacheSigil(std::string_view s, std::size_t pos);

}  // namespace b2bmail::render::text
