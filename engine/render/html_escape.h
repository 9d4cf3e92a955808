#pragma once
// The escaping of values in rendered messages, shared by both Mustache engines and the
// link rewriter so that they produce the same bytes.

#include <string>
#include <string_view>

namespace b2bmail::render {

// The link markers (link_markers.h) have no business in values: dropping them keeps a
// value from forging a link.
inline bool IsLinkMarker(char c) { return c == '\x1e' || c == '\x1f'; }

// `s` for HTML text and double-quoted attributes: & < > " ' as entities, markers dropped.
inline std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (!IsLinkMarker(c)) out += c;
    }
  }
  return out;
}

// `s` unescaped (text parts, subjects), markers dropped.
inline std::string DropLinkMarkers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!IsLinkMarker(c)) out += c;
  return out;
}

}  // namespace b2bmail::render
