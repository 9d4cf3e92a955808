#include "host_port.h"

#include <charconv>

#include "b2bmail/base/error.h"

namespace b2bmail::cli {

HostPort ParseHostPort(const std::string& text, const std::string& what) {
  auto colon = text.rfind(':');
  auto bad = [&] {
    return Error(ErrorKind::kUsage,
                 what + " '" + text + "' is not host:port (e.g. 127.0.0.1:2525)");
  };
  if (colon == std::string::npos || colon == 0) throw bad();
  HostPort hp;
  hp.host = text.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']')
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, hp.port);
  if (ec != std::errc() || ptr != end || begin == end || hp.port < 0 || hp.port > 65535)
    throw bad();
  return hp;
}

}  // namespace b2bmail::cli
