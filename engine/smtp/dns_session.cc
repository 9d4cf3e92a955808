// RFC 1035 §4 (messages), via glibc's res_nquery, which also retries a truncated UDP
// answer over TCP (RFC 7766).
#include "dns_session.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>

#include <charconv>
#include <cstdint>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {

sockaddr_in ParseNameserver(const std::string& text) {
  std::size_t colon = text.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  unsigned port = 0;
  const char* port_end = text.data() + text.size();
  bool ok = colon != std::string::npos && colon + 1 < text.size() &&
            inet_pton(AF_INET, text.substr(0, colon).c_str(), &addr.sin_addr) == 1 &&
            std::from_chars(text.data() + colon + 1, port_end, port).ptr == port_end && port > 0 &&
            port < 65536;
  if (!ok) throw Error(ErrorKind::kConfig, "DNS name server '" + text + "' is not IPv4:port");
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

DnsSession::DnsSession(const std::string& nameserver, int timeout_seconds, int attempts) {
  // Parsed before res_ninit: a throw after it would skip res_nclose.
  sockaddr_in server{};
  if (!nameserver.empty()) server = ParseNameserver(nameserver);
  ok_ = res_ninit(&state_) == 0;
  if (!ok_) return;
  if (!nameserver.empty()) {
    state_.nsaddr_list[0] = server;
    state_.nscount = 1;
  }
  state_.retrans = timeout_seconds;
  state_.retry = attempts;
}

DnsSession::~DnsSession() {
  if (ok_) res_nclose(&state_);
}

DnsReply DnsSession::Query(const std::string& name, int type) {
  DnsReply reply;
  if (!ok_) {
    reply.failure = "the DNS resolver could not be initialised (/etc/resolv.conf)";
    return reply;
  }
  // The largest DNS message (TCP): an MX answer with its addresses can exceed 512 bytes.
  buffer_.resize(65535);
  int size = res_nquery(&state_, name.c_str(), ns_c_in, type,
                        reinterpret_cast<unsigned char*>(buffer_.data()),
                        static_cast<int>(buffer_.size()));
  if (size >= 0) {
    reply.status = DnsReply::Status::kAnswer;
    reply.message.assign(buffer_.data(), static_cast<std::size_t>(size));
    return reply;
  }
  switch (state_.res_h_errno) {
    case HOST_NOT_FOUND:
      reply.status = DnsReply::Status::kNoSuchName;
      break;
    case NO_DATA:
      reply.status = DnsReply::Status::kNoData;
      break;
    case TRY_AGAIN:
      reply.failure = "timeout or SERVFAIL";
      break;
    default:
      // NO_RECOVERY: REFUSED, FORMERR, NOTIMP, or a name res_nquery would not send.
      reply.failure = "refused or unanswerable";
      break;
  }
  return reply;
}

}  // namespace b2bmail::smtp
