#pragma once

#include <string>

namespace b2bmail::render {

// A readable plain-text version of an HTML message (libxml2's HTML parser):
// block elements become line breaks, links keep their URL in parentheses,
// scripts/styles/head are dropped, whitespace is collapsed, lines are wrapped
// at 76 columns. The full renderer of issue 5 replaces this with numbered links.
std::string HtmlToText(const std::string& html);

}  // namespace b2bmail::render
