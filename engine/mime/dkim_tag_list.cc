// RFC 6376 §3.2 (tag=value lists).
#include "b2bmail/mime/dkim_tag_list.h"

namespace b2bmail::mime {
namespace {

// FWS may contain line ends: the values come from unparsed header fields.
bool IsFws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsValidTagName(std::string_view name) {
  if (name.empty() || !IsAlpha(name[0])) return false;
  for (char c : name)
    if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  return true;
}

std::string_view TrimFws(std::string_view s) {
  while (!s.empty() && IsFws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsFws(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

const DkimTag* DkimTagList::Find(std::string_view name) const {
  for (const auto& t : tags)
    if (t.name == name) return &t;
  return nullptr;
}

DkimTagList ParseDkimTagList(std::string_view text) {
  DkimTagList list;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view spec = text.substr(pos, end - pos);
    bool last = end == text.size();
    if (TrimFws(spec).empty()) {
      // Only the spec after a final ';' (or the whole of an empty text) may be empty.
      if (!last) {
        list.error = "empty tag at offset " + std::to_string(pos);
        return list;
      }
      break;
    }
    std::size_t eq = spec.find('=');
    if (eq == std::string_view::npos) {
      list.error = "'" + std::string(TrimFws(spec)) + "' is not tag=value";
      return list;
    }
    DkimTag tag;
    tag.name = std::string(TrimFws(spec.substr(0, eq)));
    if (!IsValidTagName(tag.name)) {
      list.error = "invalid tag name '" + tag.name + "'";
      return list;
    }
    if (list.Find(tag.name)) {
      list.error = "tag " + tag.name + "= appears twice";
      return list;
    }
    tag.value = std::string(TrimFws(spec.substr(eq + 1)));
    tag.value_begin = pos + eq + 1;
    tag.value_end = end;
    list.tags.push_back(std::move(tag));
    pos = end + 1;
  }
  return list;
}

std::vector<std::string> SplitDkimColonList(std::string_view value) {
  std::vector<std::string> items;
  if (TrimFws(value).empty()) return items;
  std::size_t pos = 0;
  while (true) {
    std::size_t colon = value.find(':', pos);
    std::string_view item =
        value.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
    items.emplace_back(TrimFws(item));
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  return items;
}

}  // namespace b2bmail::mime
