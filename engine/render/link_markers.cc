#include "link_markers.h"

#include <charconv>
#include <optional>

#include "html_escape.h"

namespace b2bmail::render {
namespace {

constexpr char kStart = '\x1e';
constexpr char kSplit = '\x1f';

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    static const std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''},
        {"&lt;", '<'},  {"&gt;", '>'},   {"&#34;", '"'}};
    bool done = false;
    for (auto [entity, ch] : kEntities) {
      if (s.compare(i, entity.size(), entity) == 0) {
        out += ch;
        i += entity.size() - 1;
        done = true;
        break;
      }
    }
    if (!done) out += '&';
  }
  return out;
}

}  // namespace

std::string EscapeAttribute(const std::string& value) { return EscapeHtml(value); }

std::string MarkLink(std::size_t index, const std::string& url) {
  return std::string(1, kStart) + std::to_string(index) + kSplit + url + kStart;
}

void RewriteMarkedLinks(std::string& rendered, bool html, const std::vector<LinkInfo>& links,
                        const LinkRewriter* rewrite) {
  if (rendered.find(kStart) == std::string::npos) return;
  std::string out;
  out.reserve(rendered.size() + 64);
  // A link that appears twice (a button and its Outlook VML copy) is rewritten once.
  std::vector<std::optional<std::string>> done(links.size());
  std::size_t i = 0;
  while (i < rendered.size()) {
    std::size_t start = rendered.find(kStart, i);
    if (start == std::string::npos) break;
    out.append(rendered, i, start - i);
    std::size_t split = rendered.find(kSplit, start + 1);
    std::size_t end = split == std::string::npos ? split : rendered.find(kStart, split + 1);
    std::size_t index = 0;
    auto [p, ec] =
        std::from_chars(rendered.data() + start + 1,
                        rendered.data() + (split == std::string::npos ? start + 1 : split), index);
    if (end == std::string::npos || ec != std::errc() || p != rendered.data() + split ||
        index >= links.size()) {
      i = start + 1;  // a stray separator from a value: drop it, keep the rest
      continue;
    }
    std::string url = rendered.substr(split + 1, end - split - 1);
    if (rewrite) {
      if (!done[index]) {
        std::string plain = html ? Unescape(url) : url;
        std::string result = (*rewrite)(links[index], plain);
        done[index] = html ? EscapeAttribute(result) : result;
      }
      url = *done[index];
    }
    out += url;
    i = end + 1;
  }
  out.append(rendered, i, std::string::npos);
  rendered.swap(out);
}

}  // namespace b2bmail::render
