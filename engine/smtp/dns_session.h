#pragma once
// DNS queries (RFC 1035) through glibc's stub resolver (res_nquery, libresolv): the
// name servers of /etc/resolv.conf, or one given for tests. Only the transport and the
// classification of failures live here; callers parse the answers.

#include <netinet/in.h>
#include <resolv.h>

#include <string>

namespace b2bmail::smtp {

// The address of "IPv4:port", e.g. "127.0.0.1:5353". Throws Error{kConfig} otherwise.
sockaddr_in ParseNameserver(const std::string& text);

// How one query ended.
struct DnsReply {
  enum class Status {
    kAnswer,            // NOERROR with records in the answer section: see `message`
    kNoSuchName,        // NXDOMAIN
    kNoData,            // NOERROR, the name exists but has no record of the type
    kTemporaryFailure,  // timeout, SERVFAIL, REFUSED, no resolver: ask again later
  };
  Status status = Status::kTemporaryFailure;
  std::string message;  // the whole DNS response when kAnswer
  std::string failure;  // why, when kTemporaryFailure ("timeout or SERVFAIL", ...)
};

// One resolver state (res_ninit .. res_nclose) for a series of queries. Not thread-safe;
// use one per thread or per lookup.
class DnsSession {
 public:
  // `nameserver` as for ParseNameserver, or empty for /etc/resolv.conf. Each query waits
  // `timeout_seconds` for an answer and is sent `attempts` times. A state that cannot
  // be initialised makes every query a kTemporaryFailure.
  DnsSession(const std::string& nameserver, int timeout_seconds, int attempts);
  ~DnsSession();
  DnsSession(const DnsSession&) = delete;
  DnsSession& operator=(const DnsSession&) = delete;

  // Asks for the records of class IN and `type` (ns_t_mx, ns_t_a, ...) at `name`.
  DnsReply Query(const std::string& name, int type);

 private:
  struct __res_state state_ {};
  bool ok_ = false;
  std::string buffer_;
};

}  // namespace b2bmail::smtp
