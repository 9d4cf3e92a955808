// RFC 6376 §3.6.2 (DNS binding for key records), RFC 1035 §3.3.14 (TXT RDATA).
#include "b2bmail/mime/dns_dkim_key_lookup.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <charconv>
#include <cstring>

#include "b2bmail/base/error.h"

namespace b2bmail::mime {
namespace {

// Owns a resolver state: res_nclose must run on every path.
class Resolver {
 public:
  Resolver() { ok_ = res_ninit(&state_) == 0; }
  ~Resolver() {
    if (ok_) res_nclose(&state_);
  }
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  bool ok() const { return ok_; }
  res_state get() { return &state_; }

 private:
  struct __res_state state_ {};
  bool ok_ = false;
};

sockaddr_in ParseNameserver(const std::string& text) {
  std::size_t colon = text.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  unsigned port = 0;
  const char* port_end = text.data() + text.size();
  bool ok = colon != std::string::npos &&
            inet_pton(AF_INET, text.substr(0, colon).c_str(), &addr.sin_addr) == 1 &&
            std::from_chars(text.data() + colon + 1, port_end, port).ptr == port_end &&
            colon + 1 < text.size() && port > 0 && port < 65536;
  if (!ok) throw Error(ErrorKind::kConfig, "DNS name server '" + text + "' is not IPv4:port");
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

}  // namespace

DnsDkimKeyLookup::DnsDkimKeyLookup(DnsDkimKeyLookupOptions options) : options_(std::move(options)) {
  if (!options_.nameserver.empty()) ParseNameserver(options_.nameserver);
}

DkimKeyRecords DnsDkimKeyLookup::Lookup(const std::string& name) const {
  DkimKeyRecords result;
  Resolver resolver;
  if (!resolver.ok()) {
    result.outcome = DkimKeyRecords::Outcome::kTemporaryFailure;
    result.detail = "the DNS resolver could not be initialised (/etc/resolv.conf)";
    return result;
  }
  res_state state = resolver.get();
  if (!options_.nameserver.empty()) {
    state->nsaddr_list[0] = ParseNameserver(options_.nameserver);
    state->nscount = 1;
  }
  state->retrans = options_.timeout_seconds;
  state->retry = options_.attempts;
  // A 4096-bit RSA key does not fit in 512 bytes: the resolver retries over TCP when the
  // answer is truncated, and the whole answer must fit here.
  std::string answer(65535, '\0');
  int size =
      res_nquery(state, name.c_str(), ns_c_in, ns_t_txt,
                 reinterpret_cast<unsigned char*>(answer.data()), static_cast<int>(answer.size()));
  if (size < 0) {
    switch (state->res_h_errno) {
      case HOST_NOT_FOUND:
        result.detail = "no DNS name " + name + " (NXDOMAIN)";
        return result;
      case NO_DATA:
        result.detail = "no TXT record at " + name;
        return result;
      default:
        result.outcome = DkimKeyRecords::Outcome::kTemporaryFailure;
        result.detail = "DNS lookup of " + name + " failed (" +
                        (state->res_h_errno == TRY_AGAIN ? "timeout or SERVFAIL" : "refused") + ")";
        return result;
    }
  }
  answer.resize(static_cast<std::size_t>(size));
  auto records = ParseDnsTxtResponse(answer);
  if (!records) {
    result.outcome = DkimKeyRecords::Outcome::kTemporaryFailure;
    result.detail = "malformed DNS answer for " + name;
  } else if (records->empty()) {
    result.detail = "no TXT record at " + name;
  } else {
    result.outcome = DkimKeyRecords::Outcome::kFound;
    result.records = std::move(*records);
  }
  return result;
}

std::optional<std::vector<std::string>> ParseDnsTxtResponse(std::string_view response) {
  ns_msg message;
  if (ns_initparse(reinterpret_cast<const unsigned char*>(response.data()),
                   static_cast<int>(response.size()), &message) != 0)
    return std::nullopt;
  std::vector<std::string> records;
  int count = ns_msg_count(message, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&message, ns_s_an, i, &rr) != 0) return std::nullopt;
    // A CNAME chain comes first in the answer section; only the TXT records count.
    if (ns_rr_type(rr) != ns_t_txt || ns_rr_class(rr) != ns_c_in) continue;
    const unsigned char* data = ns_rr_rdata(rr);
    std::size_t size = ns_rr_rdlen(rr);
    std::string text;
    for (std::size_t pos = 0; pos < size;) {
      std::size_t n = data[pos];
      if (pos + 1 + n > size) return std::nullopt;
      text.append(reinterpret_cast<const char*>(data + pos + 1), n);
      pos += 1 + n;
    }
    records.push_back(std::move(text));
  }
  return records;
}

}  // namespace b2bmail::mime
