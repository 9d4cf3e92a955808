#pragma once
// Host names of relays and route overrides to addresses, once, with the system
// resolver (getaddrinfo: /etc/hosts first). MX destinations go through MxResolver.

#include <string>
#include <vector>

namespace b2bmail::smtp {

// The numeric addresses of `host` (IPv4 first), or `host` itself when it is one.
// Throws Error{kNetwork} when the name does not resolve.
std::vector<std::string> LookUpHost(const std::string& host);

}  // namespace b2bmail::smtp
