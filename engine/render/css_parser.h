#pragma once
// A small, forgiving CSS reader for the inliner. It never fails: problems come back as
// messages and reading resumes after them, so one typo does not lose a whole stylesheet.
// The CSS lives in Mustache template sources, so `{{...}}` and `{{{...}}}` tags are opaque
// text wherever they occur (their braces are not CSS blocks) and are kept as written.

#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::render {

struct CssDeclaration {
  std::string property;  // lowercased; custom properties (`--x`) keep their case
  std::string value;     // trimmed, whitespace runs collapsed, comments and `!important` removed
  bool important = false;
};

// One top-level piece of a stylesheet, in source order.
struct CssItem {
  enum class Kind { kRule, kVerbatim };
  Kind kind = Kind::kRule;
  std::string prelude;  // kRule: the selector list as written, trimmed, comments removed
  std::string block;    // kRule: the text between the braces, as written
  std::string text;     // kVerbatim: an at-rule or a Mustache tag/section, exactly as written
};

struct CssStylesheet {
  std::vector<CssItem> items;
  std::vector<std::string> problems;  // one line each, for "css-syntax" warnings
};

CssStylesheet ParseStylesheet(std::string_view css);

struct CssDeclarations {
  std::vector<CssDeclaration> declarations;
  std::vector<std::string> problems;
  // True when Mustache decides which declarations exist (a section spanning `;`, a bare
  // `{{{raw}}}` or partial): the text can then only be moved as a whole, not merged.
  bool opaque = false;
};

// Reads a declaration block (a rule's block or a style attribute's value).
CssDeclarations ParseDeclarations(std::string_view block);

// Splits a selector list on its top-level commas; pieces are trimmed.
std::vector<std::string> SplitSelectorList(std::string_view prelude);

}  // namespace b2bmail::render
