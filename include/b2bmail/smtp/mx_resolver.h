#pragma once
// Where mail for a domain goes: RFC 5321 §5.1 (MX records by preference, else the
// domain's own address as an implicit MX), RFC 7505 (null MX: the domain takes no mail),
// through glibc's resolver (res_nquery, libresolv), with a TTL-bounded cache.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"

namespace b2bmail::smtp {

struct MxResolverOptions {
  // "IPv4:port" of the one name server to ask, e.g. "127.0.0.1:5353" (tests); empty: the
  // name servers of /etc/resolv.conf.
  std::string nameserver;
  int timeout_seconds = 5;  // wait for each answer
  int attempts = 2;         // times each query is sent to each server
  // An answer is cached for the smallest TTL of the records it was built from, kept
  // within [min_ttl, max_ttl]: a 0 s TTL must not mean a lookup per message, and a week
  // must not outlive a provider migration by much.
  std::chrono::seconds min_ttl{60};
  std::chrono::seconds max_ttl{std::chrono::hours(24)};
  // How long NXDOMAIN, null MX and "no mail hosts" are cached (not the SOA minimum:
  // a domain that is being set up right now should not wait hours).
  std::chrono::seconds negative_ttl{std::chrono::minutes(5)};
};

// One host mail for the domain may be handed to.
struct MxHost {
  std::string name;  // lower case, no trailing dot; the domain itself for an implicit MX
  int preference = 0;
  // Numeric addresses ("192.0.2.1", "2001:db8::1"), IPv4 first, each family in DNS
  // order, no duplicates. Never empty in an MxAnswer.
  std::vector<std::string> addresses;

  friend bool operator==(const MxHost&, const MxHost&) = default;
};

struct MxAnswer {
  enum class Outcome {
    kFound,             // `hosts` holds at least one host with an address
    kNullMx,            // RFC 7505 null MX: the domain accepts no mail (permanent)
    kNoSuchDomain,      // NXDOMAIN (permanent)
    kNoMailHosts,       // MX hosts without addresses, or no MX and no address (temporary)
    kTemporaryFailure,  // timeout, SERVFAIL, refusal: not cached, ask again later
  };
  Outcome outcome = Outcome::kTemporaryFailure;
  std::vector<MxHost> hosts;  // kFound only: by preference, lowest (most preferred) first
  bool implicit_mx = false;   // no MX record: the one host is the domain's own A/AAAA
  std::string detail;         // one line for logs and outcomes when not kFound
  base::TimePoint expires{};  // when the cached answer ends; the lookup time if not cached
};

// True for the outcomes that will not change by asking again soon: kNullMx and
// kNoSuchDomain. A message to such a domain should fail; to the others, be retried.
bool IsPermanent(MxAnswer::Outcome outcome);

// Resolves and caches mail routes. Thread-safe: lookups of different domains run in
// parallel; two threads missing the cache for one domain both look it up.
class MxResolver {
 public:
  // Throws Error{kConfig} when options.nameserver is neither empty nor "IPv4:port".
  // `clock` must outlive the resolver; it decides cache expiry only (DNS timeouts are
  // real time).
  MxResolver(MxResolverOptions options, const base::Clock& clock);

  // The mail route of `domain` (an ASCII/A-label domain name; case and a trailing dot
  // do not matter), from the cache while clock.Now() < expires, else from DNS. For each
  // MX host, the A then AAAA records come from the MX answer's additional section when
  // it has them, otherwise from a query of their own. Hosts without addresses are
  // dropped; an MX target that is an IPv4 literal (against RFC 5321, seen in the wild) is
  // its own address. When an address query fails temporarily but another host resolved,
  // the answer is kFound and cached for min_ttl only; when no host resolved it is
  // kTemporaryFailure.
  MxAnswer Resolve(const std::string& domain);

 private:
  MxAnswer Lookup(const std::string& domain, base::TimePoint now) const;
  void Store(const std::string& domain, const MxAnswer& answer, base::TimePoint now);
  std::chrono::seconds CacheTime(std::uint32_t ttl) const;  // ttl within [min_ttl, max_ttl]

  MxResolverOptions options_;
  const base::Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, MxAnswer> cache_;  // guarded by mutex_; key: lower-case domain
  std::size_t next_sweep_size_ = 1024;     // guarded by mutex_
};

// The records of a DNS response message (RFC 1035 §4.1) that MX resolution uses. Names
// are lower case without the trailing dot; the root name (a null MX target) is ".".
struct DnsMxRecord {
  int preference = 0;
  std::string target;
  std::uint32_t ttl = 0;
  friend bool operator==(const DnsMxRecord&, const DnsMxRecord&) = default;
};
struct DnsAddressRecord {
  std::string owner;
  std::string address;  // numeric text
  bool ipv6 = false;
  std::uint32_t ttl = 0;
  friend bool operator==(const DnsAddressRecord&, const DnsAddressRecord&) = default;
};
struct DnsMxResponse {
  std::vector<DnsMxRecord> mx;               // answer section, in message order
  std::vector<DnsAddressRecord> addresses;   // A/AAAA of the answer section
  std::vector<DnsAddressRecord> additional;  // A/AAAA of the additional section
};

// Parses an answer to an MX, A or AAAA query; records of other types and classes (a
// CNAME chain, OPT) are skipped. nullopt when the message is malformed. Exposed for
// tests.
std::optional<DnsMxResponse> ParseMxResponse(std::string_view response);

}  // namespace b2bmail::smtp
