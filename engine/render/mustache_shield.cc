#include "mustache_shield.h"

#include <cctype>
#include <cstring>

namespace b2bmail::render {

std::string MustacheShield::Hide(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = text.find("{{", i);
    if (open == std::string::npos) break;
    bool triple = text.compare(open, 3, "{{{") == 0;
    std::size_t close = text.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    if (close == std::string::npos) break;  // Mustache itself reports the unclosed tag
    close += triple ? 3 : 2;
    out.append(text, i, open - i);
    out += Token(text.substr(open, close - open));
    i = close;
  }
  out.append(text, i, std::string::npos);
  return out;
}

std::string MustacheShield::Token(const std::string& tag) {
  tags_.push_back(tag);
  return kPrefix + std::to_string(tags_.size() - 1) + "z";
}

std::string MustacheShield::Restore(const std::string& text) const {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  const std::size_t prefix = std::strlen(kPrefix);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = text.find(kPrefix, i);
    if (at == std::string::npos) break;
    std::size_t d = at + prefix, n = 0, digits = 0;
    while (d < text.size() && std::isdigit(static_cast<unsigned char>(text[d]))) {
      n = n * 10 + static_cast<std::size_t>(text[d] - '0');
      ++d;
      ++digits;
    }
    if (digits == 0 || d >= text.size() || text[d] != 'z' || n >= tags_.size()) {
      out.append(text, i, d - i);  // not one of ours
      i = d;
      continue;
    }
    out.append(text, i, at - i);
    out += tags_[n];
    i = d + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace b2bmail::render
