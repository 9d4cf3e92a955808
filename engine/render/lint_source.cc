#include "lint_source.h"

#include <algorithm>

#include "b2bmail/base/strings.h"

namespace b2bmail::render::lint {
namespace {

// Column numbers need code-point counts; a checkpoint every kStep bytes keeps them
// O(kStep) per lookup even on a 10 MB single-line template.
constexpr std::size_t kStep = 64;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsNameChar(char c) {
  return IsAsciiAlpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_';
}

}  // namespace

SourceText::SourceText(std::string_view text) : text_(text), lower_(base::AsciiLower(text)) {
  line_starts_.push_back(0);
  std::size_t count = 0;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (i % kStep == 0) code_points_.push_back(count);
    if (!IsContinuation(text_[i])) ++count;
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
  code_points_.push_back(count);
  Scan();
}

std::size_t SourceText::CodePointsBefore(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  std::size_t block = offset / kStep;
  std::size_t count = code_points_[std::min(block, code_points_.size() - 1)];
  const char* data = text_.data();
  for (std::size_t i = block * kStep; i < offset; ++i)
    if (!IsContinuation(data[i])) ++count;
  return count;
}

int SourceText::LineOf(std::size_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<int>(it - line_starts_.begin());
}

base::SourcePosition SourceText::PositionOf(std::size_t offset) const {
  int line = LineOf(offset);
  std::size_t start = line_starts_[static_cast<std::size_t>(line - 1)];
  return {line, static_cast<int>(CodePointsBefore(offset) - CodePointsBefore(start)) + 1};
}

std::size_t SourceText::FindTag(const std::string& name, std::size_t from, int max_line) const {
  auto it = tags_by_name_.find(name);
  if (it == tags_by_name_.end()) return kNone;
  auto pos = std::lower_bound(it->second.begin(), it->second.end(), from);
  if (pos == it->second.end()) return kNone;
  if (max_line > 0 && tags_[*pos].line > max_line) return kNone;
  return *pos;
}

void SourceText::Scan() {
  std::size_t i = 0;
  while ((i = text_.find('<', i)) != std::string_view::npos) {
    if (text_.compare(i, 4, "<!--") == 0) {
      std::size_t end = text_.find("-->", i + 4);
      bool closed = end != std::string_view::npos;
      std::size_t body_end = closed ? end : text_.size();
      ScanComment(i, text_.substr(i + 4, body_end - i - 4), closed);
      i = closed ? end + 3 : text_.size();
    } else if (lower_.compare(i, 9, "<![endif]") == 0) {
      // A downlevel-hidden conditional's end outside any comment: its opening comment
      // was closed early or never existed.
      if (expected_stray_ends_ > 0)
        --expected_stray_ends_;
      else
        issues_.push_back({i, "<![endif]--> without a matching <!--[if ...]>; remove it"});
      i += 9;
    } else if (i + 1 < text_.size() && IsAsciiAlpha(text_[i + 1])) {
      i = ScanTag(i);
    } else {
      ++i;
    }
  }
  for (const auto& open : open_)
    issues_.push_back({open.offset, "<!--[if ...]><!--> is never closed by <!--<![endif]-->"});
}

void SourceText::ScanComment(std::size_t at, std::string_view body, bool closed) {
  std::string lower = base::AsciiLower(body.substr(0, std::min<std::size_t>(body.size(), 64)));
  std::string_view trimmed = base::Trim(body);
  if (lower.compare(0, 3, "[if") == 0) {
    std::size_t close = body.find("]>");
    if (close == std::string_view::npos) {
      issues_.push_back({at, "malformed conditional comment: write <!--[if mso]>"});
      return;
    }
    std::string condition = base::AsciiLower(body.substr(3, close - 3));
    std::string_view rest = body.substr(close + 2);
    if (rest == "<!") {  // <!--[if !mso]><!--> : content visible to non-MSO clients
      bool not_mso = condition.find("!mso") != std::string::npos;
      open_.push_back({at, not_mso});
      if (not_mso) ++not_mso_depth_;
      return;
    }
    std::string_view tail = base::Trim(rest);
    if (!closed) {
      issues_.push_back({at, "<!--[if ...]> is never closed by <![endif]-->"});
    } else if (tail.size() >= 9 &&
               base::EqualsIgnoreCase(tail.substr(tail.size() - 9), "<![endif]")) {
      if (condition.find("!mso") == std::string::npos) {
        std::string lower_body = base::AsciiLower(body);
        if (lower_body.find("pixelsperinch") != std::string::npos) pixels_per_inch_ = true;
        std::size_t table = lower_body.find("<table");
        if (table != std::string::npos && lower_body.find("width", table) != std::string::npos)
          mso_ghost_table_ = true;
      }
    } else {
      // The comment ended at a "-->" before <![endif]: an HTML comment nested inside
      // the conditional, so the rest of the MSO-only markup shows in every client.
      issues_.push_back({at,
                         "a \"-->\" inside this <!--[if ...]> ends it early; remove nested "
                         "HTML comments from conditional blocks"});
      ++expected_stray_ends_;
    }
    return;
  }
  if (base::EqualsIgnoreCase(trimmed, "<![endif]")) {  // <!--<![endif]-->
    if (open_.empty()) {
      issues_.push_back({at, "<!--<![endif]--> without a matching <!--[if ...]><!-->"});
      return;
    }
    if (open_.back().not_mso) --not_mso_depth_;
    open_.pop_back();
  }
}

std::size_t SourceText::ScanTag(std::size_t at) {
  SourceTag tag;
  tag.offset = at;
  std::size_t p = at + 1;
  while (p < text_.size() && IsNameChar(text_[p])) ++p;
  tag.name = lower_.substr(at + 1, p - at - 1);
  // Find the closing '>' outside quoted attribute values.
  char quote = 0;
  bool after_equals = false;
  for (; p < text_.size(); ++p) {
    char c = text_[p];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '>') {
      break;
    } else if ((c == '"' || c == '\'') && after_equals) {
      quote = c;
    }
    if (!IsSpace(c)) after_equals = c == '=';
  }
  tag.end = std::min(p + 1, text_.size());
  tag.raw_end = tag.end;
  tag.line = LineOf(at);
  tag.not_mso = not_mso_depth_ > 0;
  std::size_t next = tag.end;
  if (tag.name == "style" || tag.name == "script") {
    std::size_t close = lower_.find("</" + tag.name, tag.end);
    tag.raw_end = close == std::string::npos ? text_.size() : close;
    next = tag.raw_end;
  }
  tags_by_name_[tag.name].push_back(tags_.size());
  tags_.push_back(std::move(tag));
  return next;
}

std::vector<SourceAttribute> SourceText::Attributes(const SourceTag& tag) const {
  std::vector<SourceAttribute> out;
  std::size_t p = tag.offset + 1 + tag.name.size();
  std::size_t limit = tag.end;
  while (p < limit) {
    while (p < limit && (IsSpace(text_[p]) || text_[p] == '/')) ++p;
    if (p >= limit || text_[p] == '>') break;
    SourceAttribute attr;
    attr.name_offset = p;
    while (p < limit && !IsSpace(text_[p]) && text_[p] != '=' && text_[p] != '>') ++p;
    attr.name = lower_.substr(attr.name_offset, p - attr.name_offset);
    std::size_t q = p;
    while (q < limit && IsSpace(text_[q])) ++q;
    if (q < limit && text_[q] == '=') {
      ++q;
      while (q < limit && IsSpace(text_[q])) ++q;
      if (q < limit && (text_[q] == '"' || text_[q] == '\'')) {
        char quote = text_[q];
        std::size_t close = text_.find(quote, q + 1);
        if (close == std::string_view::npos || close >= limit) close = limit;
        attr.value_offset = q + 1;
        attr.value = text_.substr(q + 1, close - q - 1);
        p = close + 1;
      } else {
        attr.value_offset = q;
        while (q < limit && !IsSpace(text_[q]) && text_[q] != '>') ++q;
        attr.value = text_.substr(attr.value_offset, q - attr.value_offset);
        p = q;
      }
    }
    out.push_back(std::move(attr));
  }
  return out;
}

}  // namespace b2bmail::render::lint
