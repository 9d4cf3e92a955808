// HTML Living Standard §13.2.5 (tokenization) only as far as needed to drop markup, and
// §13.5 (named character references) for the handful that matter in mail text.
#include "mime_parser_html.h"

#include <cstdint>

#include "b2bmail/base/strings.h"

namespace b2bmail::mime {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Position of `needle` (lower-case ASCII) in `s` at or after `from`, ignoring case.
std::size_t FindIgnoreCase(std::string_view s, std::string_view needle, std::size_t from) {
  if (needle.size() > s.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i)
    if (base::EqualsIgnoreCase(s.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

bool IsBlockTag(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "br", "p",  "div", "tr", "li", "ul", "ol", "table", "blockquote", "pre",
      "h1", "h2", "h3",  "h4", "h5", "h6", "hr", "title", "dd",         "dt"};
  for (auto b : kBlocks)
    if (name == b) return true;
  return false;
}

// Decodes the character reference at html[i] == '&' into `out`; returns the index after
// it, or i + 1 (with '&' appended) when it is not one.
std::size_t AppendEntity(std::string_view html, std::size_t i, std::string& out) {
  constexpr std::size_t kMaxLength = 10;
  // Looking only a few characters ahead keeps a run of '&' without ';' linear.
  std::size_t length = html.substr(i + 1, kMaxLength).find(';');
  if (length == std::string_view::npos) {
    out += '&';
    return i + 1;
  }
  std::string_view name = html.substr(i + 1, length);
  std::size_t after = i + 1 + length + 1;
  if (!name.empty() && name[0] == '#') {
    std::uint32_t cp = 0;
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) {
      out += '&';
      return i + 1;
    }
    for (char c : digits) {
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) {
        out += '&';
        return i + 1;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      if (cp > 0x10FFFF) cp = 0x110000;  // AppendUtf8 turns it into U+FFFD
    }
    base::AppendUtf8(out, cp);
    return after;
  }
  struct Named {
    std::string_view name;
    std::string_view text;
  };
  static constexpr Named kNamed[] = {{"amp", "&"},   {"lt", "<"},   {"gt", ">"},
                                     {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
  for (const auto& n : kNamed) {
    if (name == n.name) {
      out += n.text;
      return after;
    }
  }
  out += '&';
  return i + 1;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string raw;  // text with single spaces and '\n' for block boundaries
  raw.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        std::size_t end = html.find("-->", i + 4);
        if (end == std::string_view::npos) break;
        i = end + 3;
        continue;
      }
      std::size_t close = html.find('>', i + 1);
      if (close == std::string_view::npos) {
        // No tag can start here or later; what is left is text.
        raw.append(html.substr(i));
        break;
      }
      std::size_t n = i + 1;
      if (n < close && html[n] == '/') ++n;
      bool closing = n > i + 1;
      std::size_t name_start = n;
      while (n < close && IsAlnum(html[n])) ++n;
      std::string name = base::AsciiLower(html.substr(name_start, n - name_start));
      i = close + 1;
      if (!closing && (name == "script" || name == "style")) {
        std::size_t end = FindIgnoreCase(html, "</" + name, i);
        if (end == std::string_view::npos) break;
        std::size_t end_close = html.find('>', end);
        if (end_close == std::string_view::npos) break;
        i = end_close + 1;
        continue;
      }
      if (IsBlockTag(name)) raw += '\n';
      continue;
    }
    if (c == '&') {
      i = AppendEntity(html, i, raw);
      continue;
    }
    raw += IsSpace(c) ? ' ' : c;
    ++i;
  }
  // Collapse: spaces around line breaks go, runs of spaces become one, more than one
  // empty line becomes one.
  std::string out;
  out.reserve(raw.size());
  int newlines = 0;
  bool space = false;
  for (char c : raw) {
    if (c == '\n') {
      space = false;
      if (!out.empty() && newlines < 2) out += '\n';
      ++newlines;
    } else if (c == ' ') {
      space = !out.empty() && newlines == 0;
    } else {
      if (space) out += ' ';
      space = false;
      newlines = 0;
      out += c;
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace b2bmail::mime
