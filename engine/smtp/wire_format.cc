#include "wire_format.h"

#include <cstring>

namespace b2bmail::smtp {

void AppendWire(std::string& out, std::string_view data) {
  out.reserve(out.size() + data.size() + data.size() / 64 + 8);
  bool line_start = true;
  std::size_t i = 0;
  while (i < data.size()) {
    if (line_start && data[i] == '.') out += '.';
    // Copy the rest of the line in one go: most lines have neither CR nor LF inside.
    const char* begin = data.data() + i;
    std::size_t left = data.size() - i;
    const void* lf = std::memchr(begin, '\n', left);
    const void* cr = std::memchr(begin, '\r', lf ? static_cast<const char*>(lf) - begin : left);
    const char* stop =
        cr ? static_cast<const char*>(cr) : (lf ? static_cast<const char*>(lf) : begin + left);
    out.append(begin, stop);
    i += static_cast<std::size_t>(stop - begin);
    if (i == data.size()) {
      line_start = false;
      break;
    }
    // A CR, LF or CRLF: one CRLF.
    if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    ++i;
    out += "\r\n";
    line_start = true;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string_view HeaderSection(std::string_view data) {
  for (std::size_t pos = 0; pos < data.size();) {
    auto lf = data.find('\n', pos);
    if (lf == std::string_view::npos) return data;
    std::string_view line = data.substr(pos, lf - pos);
    if (line.empty() || line == "\r") return data.substr(0, pos);
    pos = lf + 1;
  }
  return data;
}

}  // namespace b2bmail::smtp
