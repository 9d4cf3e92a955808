#include "host_lookup.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {

std::vector<std::string> LookUpHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0)
    throw Error(ErrorKind::kNetwork, "cannot resolve host " + host + ": " + gai_strerror(rc));
  std::vector<std::string> v4, v6;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, text, sizeof text);
      if (std::find(v4.begin(), v4.end(), text) == v4.end()) v4.emplace_back(text);
    } else if (a->ai_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, text,
                sizeof text);
      if (std::find(v6.begin(), v6.end(), text) == v6.end()) v6.emplace_back(text);
    }
  }
  freeaddrinfo(found);
  v4.insert(v4.end(), v6.begin(), v6.end());
  if (v4.empty()) throw Error(ErrorKind::kNetwork, "host " + host + " has no address");
  return v4;
}

}  // namespace b2bmail::smtp
