// RFC 5321 §5.1 (locating the target host), RFC 7505 (null MX), RFC 2308 (negative
// answers are cached too, here for a fixed time).
#include "b2bmail/smtp/mx_resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <algorithm>
#include <set>

#include "b2bmail/base/strings.h"
#include "dns_session.h"

namespace b2bmail::smtp {
namespace {

using Outcome = MxAnswer::Outcome;

bool IsIpv4Literal(const std::string& name) {
  in_addr addr{};
  return inet_pton(AF_INET, name.c_str(), &addr) == 1;
}

// The addresses found for one host name, and the smallest TTL among them.
struct HostAddresses {
  std::vector<std::string> addresses;  // IPv4 first: A is looked up before AAAA
  std::optional<std::uint32_t> ttl;
  std::string failure;  // set when a query failed temporarily

  void Add(const DnsAddressRecord& record) {
    if (std::find(addresses.begin(), addresses.end(), record.address) == addresses.end())
      addresses.push_back(record.address);
    ttl = std::min(ttl.value_or(record.ttl), record.ttl);
  }
};

// Adds the A (or AAAA) addresses of `host`: from `glue` (an MX answer's additional
// section) when it has some, so that a full answer costs one query, else from a query.
void AddAddresses(DnsSession& dns, const std::string& host, bool ipv6,
                  const std::vector<DnsAddressRecord>& glue, HostAddresses& out) {
  bool from_glue = false;
  for (const DnsAddressRecord& record : glue) {
    if (record.ipv6 == ipv6 && record.owner == host) {
      out.Add(record);
      from_glue = true;
    }
  }
  if (from_glue) return;
  DnsReply reply = dns.Query(host, ipv6 ? ns_t_aaaa : ns_t_a);
  if (reply.status == DnsReply::Status::kTemporaryFailure) {
    // The first failure is the one reported: the AAAA query usually fails the same way.
    if (out.failure.empty()) {
      out.failure = "DNS lookup of " + std::string(ipv6 ? "AAAA " : "A ") + host + " failed (" +
                    reply.failure + ")";
    }
    return;
  }
  // NXDOMAIN and NODATA: this host simply has no address of the family.
  if (reply.status != DnsReply::Status::kAnswer) return;
  std::optional<DnsMxResponse> parsed = ParseMxResponse(reply.message);
  if (!parsed) {
    if (out.failure.empty()) out.failure = "malformed DNS answer for " + host;
    return;
  }
  // Any owner: when `host` is an alias, the answer is a CNAME chain ending in the
  // canonical name's records, all for this question.
  for (const DnsAddressRecord& record : parsed->addresses) {
    if (record.ipv6 == ipv6) out.Add(record);
  }
}

HostAddresses ResolveHost(DnsSession& dns, const std::string& host,
                          const std::vector<DnsAddressRecord>& glue) {
  HostAddresses found;
  AddAddresses(dns, host, false, glue, found);
  AddAddresses(dns, host, true, glue, found);
  return found;
}

}  // namespace

bool IsPermanent(MxAnswer::Outcome outcome) {
  return outcome == Outcome::kNullMx || outcome == Outcome::kNoSuchDomain;
}

MxResolver::MxResolver(MxResolverOptions options, const base::Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  if (!options_.nameserver.empty()) ParseNameserver(options_.nameserver);
}

MxAnswer MxResolver::Resolve(const std::string& domain) {
  std::string key = base::AsciiLower(domain);
  while (!key.empty() && key.back() == '.') key.pop_back();
  base::TimePoint now = clock_.Now();
  if (key.empty()) {
    MxAnswer answer;
    answer.outcome = Outcome::kNoSuchDomain;
    answer.detail = "empty domain name";
    answer.expires = now;
    return answer;
  }
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && now < it->second.expires) return it->second;
  }
  // The lock is not held over DNS: one slow domain must not stall the others.
  MxAnswer answer = Lookup(key, now);
  if (answer.expires > now) Store(key, answer, now);
  return answer;
}

void MxResolver::Store(const std::string& domain, const MxAnswer& answer, base::TimePoint now) {
  std::lock_guard lock(mutex_);
  cache_[domain] = answer;
  // A campaign touches each recipient domain once per TTL; without a sweep the expired
  // entries of every domain ever seen would stay. Sweeping when the map has doubled keeps
  // the cost per Store constant.
  if (cache_.size() >= next_sweep_size_) {
    std::erase_if(cache_, [now](const auto& entry) { return entry.second.expires <= now; });
    next_sweep_size_ = std::max<std::size_t>(1024, 2 * cache_.size());
  }
}

std::chrono::seconds MxResolver::CacheTime(std::uint32_t ttl) const {
  return std::max(options_.min_ttl, std::min(std::chrono::seconds(ttl), options_.max_ttl));
}

MxAnswer MxResolver::Lookup(const std::string& domain, base::TimePoint now) const {
  MxAnswer answer;
  answer.expires = now;
  auto negative = [&](Outcome outcome, std::string detail) {
    answer.outcome = outcome;
    answer.detail = std::move(detail);
    answer.expires = now + options_.negative_ttl;
    return answer;
  };
  auto temporary = [&](std::string detail) {
    answer.outcome = Outcome::kTemporaryFailure;
    answer.detail = std::move(detail);
    return answer;
  };

  DnsSession dns(options_.nameserver, options_.timeout_seconds, options_.attempts);
  DnsReply reply = dns.Query(domain, ns_t_mx);
  std::optional<DnsMxResponse> mx;
  switch (reply.status) {
    case DnsReply::Status::kTemporaryFailure:
      return temporary("DNS lookup of MX " + domain + " failed (" + reply.failure + ")");
    case DnsReply::Status::kNoSuchName:
      return negative(Outcome::kNoSuchDomain, "no DNS name " + domain + " (NXDOMAIN)");
    case DnsReply::Status::kNoData:
      break;
    case DnsReply::Status::kAnswer:
      mx = ParseMxResponse(reply.message);
      if (!mx) return temporary("malformed DNS answer to the MX query for " + domain);
      break;
  }

  if (!mx || mx->mx.empty()) {
    // RFC 5321 §5.1: no MX records, so the domain itself is the one host, preference 0.
    HostAddresses own = ResolveHost(dns, domain, {});
    if (own.addresses.empty()) {
      if (!own.failure.empty()) return temporary(own.failure);
      return negative(Outcome::kNoMailHosts, domain + " has no MX record and no A/AAAA address");
    }
    answer.outcome = Outcome::kFound;
    answer.implicit_mx = true;
    answer.hosts.push_back({domain, 0, std::move(own.addresses)});
    answer.expires = now + (own.failure.empty() ? CacheTime(*own.ttl) : options_.min_ttl);
    return answer;
  }

  // RFC 7505 §3: one MX of preference 0 whose target is the root: no mail at all.
  if (mx->mx.size() == 1 && mx->mx[0].preference == 0 && mx->mx[0].target == ".") {
    return negative(Outcome::kNullMx, domain + " accepts no mail (null MX, RFC 7505)");
  }

  // Stable: hosts of equal preference keep the server's order, which a DNS server
  // rotating its records varies from one answer to the next (RFC 5321 §5.1 wants them
  // spread).
  std::stable_sort(mx->mx.begin(), mx->mx.end(),
                   [](const auto& a, const auto& b) { return a.preference < b.preference; });
  std::uint32_t ttl = mx->mx[0].ttl;
  std::string failure;
  std::vector<std::string> unresolved;
  std::set<std::string> seen;
  for (const DnsMxRecord& record : mx->mx) {
    ttl = std::min(ttl, record.ttl);
    // A null MX among other MX records is a misconfiguration: the root has no address,
    // so it is skipped like any host without one. A host listed twice counts once, at its
    // best preference.
    if (!seen.insert(record.target).second) continue;
    if (record.target == ".") {
      unresolved.push_back(record.target);
      continue;
    }
    MxHost host{record.target, record.preference, {}};
    if (IsIpv4Literal(record.target)) {
      host.addresses.push_back(record.target);
    } else {
      HostAddresses found = ResolveHost(dns, record.target, mx->additional);
      if (failure.empty()) failure = found.failure;
      if (found.ttl) ttl = std::min(ttl, *found.ttl);
      host.addresses = std::move(found.addresses);
    }
    if (host.addresses.empty()) {
      unresolved.push_back(record.target);
    } else {
      answer.hosts.push_back(std::move(host));
    }
  }
  if (answer.hosts.empty()) {
    if (!failure.empty()) return temporary(failure);
    return negative(Outcome::kNoMailHosts, "no MX host of " + domain + " has an address (" +
                                               base::Join(unresolved, ", ") + ")");
  }
  answer.outcome = Outcome::kFound;
  // A host that could not be resolved just now may be the preferred one: look again soon.
  answer.expires = now + (failure.empty() ? CacheTime(ttl) : options_.min_ttl);
  return answer;
}

}  // namespace b2bmail::smtp
