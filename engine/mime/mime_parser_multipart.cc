// RFC 2046 §5.1.1 (multipart body syntax: delimiters, close delimiter, transport
// padding, preamble and epilogue).
#include "mime_parser_multipart.h"

#include <cstring>

namespace b2bmail::mime {
namespace {

enum class Delimiter { kNone, kPart, kClose };

Delimiter Classify(std::string_view line, std::string_view boundary) {
  if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-' ||
      line.compare(2, boundary.size(), boundary) != 0)
    return Delimiter::kNone;
  std::string_view rest = line.substr(boundary.size() + 2);
  Delimiter kind = Delimiter::kPart;
  if (rest.size() >= 2 && rest[0] == '-' && rest[1] == '-') {
    kind = Delimiter::kClose;
    rest.remove_prefix(2);
  }
  for (char c : rest)
    if (c != ' ' && c != '\t' && c != '\r') return Delimiter::kNone;
  return kind;
}

}  // namespace

MultipartSplit SplitMultipart(std::string_view body, std::string_view boundary,
                              std::size_t max_parts) {
  MultipartSplit out;
  bool in_part = false;
  std::size_t part_start = 0;
  std::size_t pos = 0;
  auto end_part = [&](std::size_t delimiter_start) {
    std::size_t end = delimiter_start;
    // The line end before the delimiter belongs to it (§5.1.1).
    if (end > part_start && body[end - 1] == '\n') --end;
    if (end > part_start && body[end - 1] == '\r') --end;
    out.parts.push_back(body.substr(part_start, end - part_start));
  };
  while (pos < body.size()) {
    const void* nl_ptr = std::memchr(body.data() + pos, '\n', body.size() - pos);
    std::size_t nl = nl_ptr == nullptr
                         ? body.size()
                         : static_cast<std::size_t>(static_cast<const char*>(nl_ptr) - body.data());
    std::size_t next = nl == body.size() ? nl : nl + 1;
    Delimiter d = Classify(body.substr(pos, nl - pos), boundary);
    if (d != Delimiter::kNone) {
      out.found_delimiter = true;
      if (in_part) end_part(pos);
      if (d == Delimiter::kClose) {
        out.closed = true;
        return out;
      }
      if (out.parts.size() >= max_parts) {
        out.truncated = true;
        return out;
      }
      in_part = true;
      part_start = next;
    }
    pos = next;
  }
  if (in_part) out.parts.push_back(body.substr(part_start));
  return out;
}

}  // namespace b2bmail::mime
