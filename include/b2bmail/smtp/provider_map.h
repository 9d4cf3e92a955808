#pragma once
// Which mail provider runs an MX host, so that limits meant for a provider apply once to
// all its customers: 500 companies on Microsoft 365 have 500 different MX names
// (company-com.mail.protection.outlook.com) but one set of servers, one reputation and
// one rate limit.

#include <string>
#include <string_view>
#include <unordered_map>

namespace b2bmail::smtp {

// Host-name suffixes to provider names. Const methods are thread-safe; Add is not (fill
// the map before sharing it).
class ProviderMap {
 public:
  // The built-in table of common providers (see provider_map.cc for each entry).
  ProviderMap();

  // Maps host names ending in `suffix` (a domain name; case, a leading and a trailing
  // dot do not matter) to `provider`, replacing an earlier mapping of the same suffix,
  // built-in ones included. REQUIRES: suffix is not empty.
  void Add(std::string provider, std::string suffix);

  // The provider of `mx_host`: the provider of the longest suffix that matches whole
  // labels (evil-outlook.com does not end in the label outlook.com); case and a trailing
  // dot do not matter. Unknown hosts are their own provider under their registered
  // domain, approximated without a public-suffix list: the last two labels, or the last
  // three when the top-level domain has two letters and the label before it is a common
  // second level (co, com, net, org, ac, gov, edu, ne, or), so mx1.example.co.uk is
  // "example.co.uk". An IP address is itself; an empty host is "".
  std::string ProviderOf(std::string_view mx_host) const;

 private:
  std::unordered_map<std::string, std::string> provider_by_suffix_;
};

}  // namespace b2bmail::smtp
