#pragma once

#include <string>

namespace b2bmail::cli {

struct HostPort {
  std::string host;
  int port = 0;
};

// Parses `host:port` (IPv6 as `[::1]:25`); throws Error{kUsage} naming `what`.
HostPort ParseHostPort(const std::string& text, const std::string& what);

}  // namespace b2bmail::cli
