#include "composed_source.h"

#include <algorithm>

namespace b2bmail::render {
namespace {

constexpr std::size_t kMaxPartialDepth = 16;

// `{{> name}}` at `at` (which points at "{{"): the name and the end of the tag.
bool ReadPartialTag(const std::string& text, std::size_t at, std::string& name, std::size_t& end) {
  std::size_t i = at + 2;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i >= text.size() || text[i] != '>') return false;
  ++i;
  std::size_t close = text.find("}}", i);
  if (close == std::string::npos) return false;
  std::string inner = text.substr(i, close - i);
  auto first = inner.find_first_not_of(" \t");
  auto last = inner.find_last_not_of(" \t");
  if (first == std::string::npos) return false;
  name = inner.substr(first, last - first + 1);
  end = close + 2;
  return true;
}

}  // namespace

base::SourcePosition PositionAt(const std::string& text, std::size_t offset) {
  base::SourcePosition pos{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++pos.column;
    }
  }
  return pos;
}

ComposedSource ComposedSource::Compose(const File& body, const File* layout,
                                       const std::map<std::string, File>& partials,
                                       base::Diagnostics& diagnostics) {
  ComposedSource out;
  const File* body_copy = &out.files_.emplace_back(body);
  const File* layout_copy = layout ? &out.files_.emplace_back(*layout) : nullptr;
  Index index;
  for (const auto& [name, file] : partials) index[name] = &out.files_.emplace_back(file);
  std::vector<std::string> stack;
  if (!layout_copy) {
    out.Expand(body_copy, 0, body_copy->text.size(), index, stack, diagnostics);
    return out;
  }
  // The layout, with the body where it says {{> content}}.
  const std::string& lt = layout_copy->text;
  std::size_t slot = std::string::npos, slot_end = 0;
  for (std::size_t at = lt.find("{{"); at != std::string::npos; at = lt.find("{{", at + 2)) {
    std::string name;
    std::size_t end = 0;
    if (ReadPartialTag(lt, at, name, end) && name == "content") {
      slot = at;
      slot_end = end;
      break;
    }
  }
  if (slot == std::string::npos) {
    diagnostics.Error(layout_copy->name, {1, 1}, "layout",
                      "the layout has no {{> content}} where the template's body goes");
    out.Expand(body_copy, 0, body_copy->text.size(), index, stack, diagnostics);
    return out;
  }
  out.Expand(layout_copy, 0, slot, index, stack, diagnostics);
  out.Expand(body_copy, 0, body_copy->text.size(), index, stack, diagnostics);
  out.Expand(layout_copy, slot_end, lt.size(), index, stack, diagnostics);
  return out;
}

void ComposedSource::Append(const File* file, std::size_t from, std::size_t to) {
  if (to <= from) return;
  segments_.push_back({text_.size(), file, from});
  text_.append(file->text, from, to - from);
}

void ComposedSource::Expand(const File* file, std::size_t from, std::size_t to,
                            const Index& partials, std::vector<std::string>& stack,
                            base::Diagnostics& diagnostics) {
  const std::string& t = file->text;
  std::size_t copied = from;
  for (std::size_t at = t.find("{{", from); at != std::string::npos && at < to;
       at = t.find("{{", at + 2)) {
    std::string name;
    std::size_t end = 0;
    if (!ReadPartialTag(t, at, name, end) || end > to) continue;
    auto it = partials.find(name);
    std::string problem;
    if (it == partials.end())
      problem = "no partial '" + name + "' (templates/partials/" + name + ".mustache)";
    else if (std::find(stack.begin(), stack.end(), name) != stack.end())
      problem = "partial '" + name + "' includes itself";
    else if (stack.size() >= kMaxPartialDepth)
      problem = "partials nest deeper than " + std::to_string(kMaxPartialDepth) + " levels";
    if (!problem.empty()) {
      diagnostics.Error(file->name, PositionAt(t, at), "partial", problem);
      continue;
    }
    Append(file, copied, at);
    stack.push_back(name);
    Expand(it->second, 0, it->second->text.size(), partials, stack, diagnostics);
    stack.pop_back();
    copied = end;
    at = end - 2;
  }
  Append(file, copied, to);
}

SourceLocation ComposedSource::Locate(std::size_t offset) const {
  if (segments_.empty()) return {};
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::size_t o, const Segment& s) { return o < s.offset; });
  if (it != segments_.begin()) --it;
  if (!it->file) return {};
  std::size_t in_file = it->file_offset + (offset - it->offset);
  return {it->file->name, PositionAt(it->file->text, in_file)};
}

SourceLocation ComposedSource::LocateLine(int line, int column) const {
  std::size_t offset = 0;
  for (int l = 1; l < line && offset < text_.size(); ++l) {
    auto nl = text_.find('\n', offset);
    if (nl == std::string::npos) break;
    offset = nl + 1;
  }
  // Columns count code points.
  for (int c = 1; c < column && offset < text_.size() && text_[offset] != '\n';) {
    ++offset;
    if (offset < text_.size() && (static_cast<unsigned char>(text_[offset]) & 0xC0) != 0x80) ++c;
  }
  return Locate(offset);
}

}  // namespace b2bmail::render
