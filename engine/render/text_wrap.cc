#include "text_wrap.h"

#include <string>

#include "b2bmail/base/strings.h"
#include "b2bmail/render/html_to_text.h"

namespace b2bmail::render {
namespace text {

std::size_t Width(std::string_view s) { return base::Utf8Length(s); }

std::size_t MustacheTagEnd(std::string_view s, std::size_t pos) {
  bool triple = pos + 2 < s.size() && s[pos + 2] == '{';
  std::size_t close = s.find(triple ? "}}}" : "}}", pos + (triple ? 3 : 2));
  if (close == std::string_view::npos) return close;
  return close + (triple ? 3 : 2);
}

char MustacheSigil(std::string_view s, std::size_t pos) {
  std::size_t i = pos + 2;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size()) return 0;
  switch (s[i]) {
    case '#':
    case '^':
    case '/':
    case '!':
    case '>':
    case '&':
    case '=':
    case '{':
      return s[i];
    default:
      return 0;
  }
}

}  // namespace text

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length in bytes of the indentation plus list marker that starts `line`; continuation lines
// are indented by its width so a wrapped list item stays visibly one item.
std::size_t HangingPrefix(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  std::string_view rest = line.substr(i);
  auto followed_by_space = [&](std::size_t n) { return rest.size() > n && rest[n] == ' '; };
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && followed_by_space(1))
    return i + 2;
  if (rest.substr(0, 3) == "\u2022" && followed_by_space(3)) return i + 4;
  std::size_t d = 0;
  if (!rest.empty() && rest[0] == '[') {
    while (1 + d < rest.size() && IsDigit(rest[1 + d]) && d < 9) ++d;
    if (d > 0 && rest.size() > 1 + d && rest[1 + d] == ']' && followed_by_space(2 + d))
      return i + d + 3;
    return i;
  }
  while (d < rest.size() && IsDigit(rest[d]) && d < 9) ++d;
  if (d > 0 && rest.size() > d && (rest[d] == '.' || rest[d] == ')') && followed_by_space(d + 1))
    return i + d + 2;
  return i;
}

void WrapLine(std::string_view line, std::size_t width, std::string& out) {
  std::size_t prefix_len = HangingPrefix(line);
  std::size_t prefix_width = text::Width(line.substr(0, prefix_len));
  std::string_view rest = line.substr(prefix_len);

  std::size_t line_start = out.size();
  out.append(line.substr(0, prefix_len));
  std::size_t used = prefix_width;
  bool has_word = false;
  std::size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] == ' ' || rest[i] == '\t') {
      ++i;
      continue;
    }
    // A word runs to the next space outside a {{tag}}: "{{ name }}" must stay whole or
    // Mustache would no longer see a tag.
    std::size_t end = i;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t') {
      if (rest.compare(end, 2, "{{") == 0) {
        std::size_t tag_end = text::MustacheTagEnd(rest, end);
        end = tag_end == std::string_view::npos ? end + 2 : tag_end;
      } else {
        ++end;
      }
    }
    std::string_view word = rest.substr(i, end - i);
    std::size_t w = text::Width(word);
    if (has_word && used + 1 + w > width) {
      out += '\n';
      line_start = out.size();
      out.append(prefix_width, ' ');
      used = prefix_width;
      has_word = false;
    }
    if (has_word) {
      out += ' ';
      ++used;
    }
    out.append(word);
    used += w;
    has_word = true;
    i = end;
  }
  // A prefix with nothing after it (cannot happen after trimming, but keep lines clean).
  while (out.size() > line_start && out.back() == ' ') out.pop_back();
  out += '\n';
}

}  // namespace

std::string WrapText(const std::string& text, std::size_t width) {
  std::string out;
  out.reserve(text.size() + text.size() / 64 + 1);
  bool blank_pending = false;
  std::string_view all(text);
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view line = all.substr(start, nl - start);
    start = nl + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r' ||
                             line.back() == '\f' || line.back() == '\v'))
      line.remove_suffix(1);
    if (line.empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (blank_pending) out += '\n';
    blank_pending = false;
    // A line of no more bytes than the width has no more characters either: most lines
    // are taken without counting UTF-8 characters.
    if (width == 0 || line.size() <= width || text::Width(line) <= width) {
      out.append(line);
      out += '\n';
    } else {
      WrapLine(line, width, out);
    }
  }
  return out;
}

}  // namespace b2bmail::render
