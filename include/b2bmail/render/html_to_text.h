#pragma once

#include <cstddef>
#include <string>

namespace b2bmail::render {

struct TextOptions {
  // Lines longer than this many code points are wrapped (WrapText). 0: do not wrap, which is
  // what the template compiler wants, since values are filled in per recipient and only then
  // the text is wrapped.
  std::size_t width = 76;
  // Relative links are resolved against this absolute URL (RFC 3986). "": they are left as
  // they are.
  std::string base_url;
  // When non-empty and the text does not contain it, "\n--\nUnsubscribe: <url>\n" is
  // appended. A Mustache tag such as "{{unsubscribe_url}}" is fine here.
  std::string unsubscribe_url;
};

// The plain-text part of a message, made from its HTML (libxml2's HTML parser). The HTML may
// be a Mustache template: tags are plain text to the parser and come out unchanged, so the
// result is a Mustache text template (render it without HTML escaping, then call WrapText).
//
// Dropped: <head>, <style>, <script>, <title>, comments (so also MSO conditional comments,
// <!--[if mso]>...<![endif]-->), and elements hidden with an inline style display:none,
// visibility:hidden or mso-hide:all or the `hidden` attribute (the preheader). Hiding done by
// a <style> class is not seen.
//
// Format:
//  - Whitespace is collapsed (&nbsp; counts as a space), entities are decoded, invisible
//    padding characters (zero-width space/non-joiner, BOM, soft hyphen, U+034F) are dropped.
//  - <p>, headings, lists, tables, <blockquote>, <pre>, <hr> are separated by one blank line;
//    <div> and other containers just start a new line. <br> ends the line; a <br> on an empty
//    line makes a blank line.
//  - <h1> is followed by a line of '=' as wide as its longest line, <h2> by a line of '-'
//    (capped at the wrap width, 76 when not wrapping); <h3>-<h6> are plain lines.
//  - Lists: "- item" for <ul>, "1. item" for <ol> (honouring start=), nested lists indented
//    by 2 spaces per level, a list item's further lines indented under its text, no blank
//    lines inside a list. An <ol> item inside a Mustache section opened within the list gets
//    "- ", because one template line cannot be numbered per iteration.
//  - Tables: a layout table (role="presentation"/"none", or any cell holding block content such
//    as <p>, <div>, a heading, a list or a table) is read cell by cell, each cell a paragraph.
//    A data table (cells with inline content only) becomes one line per row, its non-empty
//    cells joined by " | ", e.g. "Plan | Seats | Price"; no column alignment, because the
//    values are only known per recipient.
//  - Links: "text [1]", and after the body a "Links:" section with "[1] https://..." lines,
//    each distinct URL once in order of first use. Relative URLs are resolved against
//    options.base_url. A link whose text is its URL (also without "https://") prints the URL
//    instead, with no reference. mailto:/tel: links print the address: "address", or
//    "text (address)" when the text differs. Links without text, to "#..." anchors or to
//    "javascript:" keep just their text. An href that is or contains a Mustache tag is a URL
//    like any other ("[2] {{unsubscribe_url}}"), except inside a Mustache section, where it is
//    printed inline as "text ({{url}})" since the Links section outside the section would not
//    see the section's values.
//  - Images: "[alt]" when the alt text is non-empty, else nothing.
//  - Mustache: a line whose content is only section/comment/partial tags ({{#a}}, {{/a}},
//    {{^a}}, {{!x}}, {{> p}}), e.g. a section tag between <li> elements or between
//    paragraphs, is put on its own line, one tag per line, so Mustache treats it as
//    standalone and drops the line. A section that renders empty can leave two blank lines
//    in a row; WrapText collapses them. Partials should be expanded before conversion since
//    they contain HTML. Custom delimiters ({{=<% %>=}}) are not understood.
//  - The result has no trailing spaces, never two blank lines in a row, and ends with exactly
//    one newline ("" when there is no text at all).
//
// Hostile input (huge text, deep nesting, invalid UTF-8, which becomes U+FFFD) does not crash;
// libxml2 stops nesting at its depth limit (256) and what it returns is converted.
std::string HtmlToText(const std::string& html, const TextOptions& options);
// The same with default options (wrapped at 76 columns, links left as they are, no
// unsubscribe line).
std::string HtmlToText(const std::string& html);

// Wraps lines longer than `width` code points at spaces, keeping each line's leading
// indentation and list marker ("- ", "* ", "1. ", "1) ", "[1] ") as a hanging indent; never
// breaks inside a word, a URL or a {{tag}} (a word longer than the width gets a line of its
// own). Also tidies the text, which a rendered template needs even with width 0: trailing
// whitespace is removed, runs of blank lines become one, leading and trailing blank lines are
// dropped and the result ends with exactly one newline ("" for blank text).
std::string WrapText(const std::string& text, std::size_t width);

}  // namespace b2bmail::render
