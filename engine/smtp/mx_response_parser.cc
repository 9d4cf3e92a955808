// RFC 1035 §4.1 (message format), §3.3.9 (MX RDATA), §3.4.1 (A RDATA); RFC 3596 §2.2
// (AAAA RDATA); RFC 7505 §3 (the null MX target is the root name).
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include "b2bmail/base/strings.h"
#include "b2bmail/smtp/mx_resolver.h"

namespace b2bmail::smtp {
namespace {

// Lower case without the trailing dot; the root name stays ".".
std::string Normalize(std::string_view name) {
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::string(1, '.');
  return base::AsciiLower(name);
}

// Reads the records of `section` into `response`; false when one is malformed.
bool ReadSection(ns_msg& message, ns_sect section, DnsMxResponse& response) {
  int count = ns_msg_count(message, section);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&message, section, i, &rr) != 0) return false;
    // A CNAME chain precedes the records of the canonical name, and an OPT pseudo-record
    // (RFC 6891) may sit in the additional section: only MX, A and AAAA of class IN count.
    if (ns_rr_class(rr) != ns_c_in) continue;
    const unsigned char* rdata = ns_rr_rdata(rr);
    std::size_t size = ns_rr_rdlen(rr);
    int type = ns_rr_type(rr);
    if (type == ns_t_mx && section == ns_s_an) {
      char target[NS_MAXDNAME];
      if (size < 3) return false;
      // The target may be compressed: it is expanded against the whole message.
      int used =
          dn_expand(ns_msg_base(message), ns_msg_end(message), rdata + 2, target, sizeof target);
      if (used < 0 || static_cast<std::size_t>(used) + 2 != size) return false;
      response.mx.push_back({static_cast<int>(ns_get16(rdata)), Normalize(target), ns_rr_ttl(rr)});
    } else if (type == ns_t_a || type == ns_t_aaaa) {
      bool ipv6 = type == ns_t_aaaa;
      if (size != (ipv6 ? 16u : 4u)) return false;
      char text[INET6_ADDRSTRLEN];
      if (inet_ntop(ipv6 ? AF_INET6 : AF_INET, rdata, text, sizeof text) == nullptr) return false;
      auto& list = section == ns_s_an ? response.addresses : response.additional;
      list.push_back({Normalize(ns_rr_name(rr)), text, ipv6, ns_rr_ttl(rr)});
    }
  }
  return true;
}

}  // namespace

std::optional<DnsMxResponse> ParseMxResponse(std::string_view response) {
  ns_msg message;
  if (ns_initparse(reinterpret_cast<const unsigned char*>(response.data()),
                   static_cast<int>(response.size()), &message) != 0)
    return std::nullopt;
  DnsMxResponse parsed;
  if (!ReadSection(message, ns_s_an, parsed) || !ReadSection(message, ns_s_ar, parsed))
    return std::nullopt;
  return parsed;
}

}  // namespace b2bmail::smtp
