// RFC 5322 §2.2 (header fields), §2.2.3 (folding).
#include "b2bmail/mime/header_fields.h"

namespace b2bmail::mime {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// The end of the line starting at `pos` (the index of its '\n', or size), and the
// index just after its line end.
std::pair<std::size_t, std::size_t> LineAt(std::string_view s, std::size_t pos) {
  std::size_t nl = s.find('\n', pos);
  if (nl == std::string_view::npos) return {s.size(), s.size()};
  std::size_t end = nl > pos && s[nl - 1] == '\r' ? nl - 1 : nl;
  return {end, nl + 1};
}

}  // namespace

SplitMessage SplitHeaderAndBody(std::string_view message) {
  SplitMessage out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    auto [end, next] = LineAt(message, pos);
    if (end == pos) {  // the empty line
      out.has_body_separator = true;
      out.body = message.substr(next);
      return out;
    }
    if (IsWsp(message[pos]) && !out.fields.empty()) {
      // A continuation line: extend the previous field.
      auto& f = out.fields.back();
      const char* value_start = f.value.data();
      f.value = std::string_view(value_start,
                                 static_cast<std::size_t>(message.data() + end - value_start));
      f.raw = std::string_view(f.raw.data(),
                               static_cast<std::size_t>(message.data() + next - f.raw.data()));
    } else {
      // Only this line: searching the rest of the message would make lines without a
      // colon quadratic.
      std::size_t colon = message.substr(pos, end - pos).find(':');
      colon = colon == std::string_view::npos ? end : pos + colon;
      HeaderField f;
      f.name = message.substr(pos, colon - pos);
      std::size_t value_start = colon < end ? colon + 1 : end;
      f.value = message.substr(value_start, end - value_start);
      f.raw = message.substr(pos, next - pos);
      out.fields.push_back(f);
    }
    pos = next;
  }
  return out;
}

std::string Unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') out += c;
  std::size_t b = out.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  std::size_t e = out.find_last_not_of(" \t");
  return out.substr(b, e - b + 1);
}

}  // namespace b2bmail::mime
