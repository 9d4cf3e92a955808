#include "b2bmail/smtp/provider_map.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>

#include "b2bmail/base/strings.h"

namespace b2bmail::smtp {
namespace {

struct BuiltIn {
  const char* provider;
  const char* suffix;
};

// The MX host names of the providers that host many business domains. Kept to suffixes
// the providers document for their customers' MX records.
constexpr BuiltIn kBuiltIns[] = {
    // Microsoft 365 / Exchange Online: <tenant>.mail.protection.outlook.com; consumer
    // Outlook.com and Hotmail: *.olc.protection.outlook.com, mx*.hotmail.com.
    {"microsoft", "mail.protection.outlook.com"},
    {"microsoft", "outlook.com"},
    {"microsoft", "hotmail.com"},
    // Google Workspace and Gmail: aspmx.l.google.com, alt1.aspmx.l.google.com,
    // smtp.google.com, gmail-smtp-in.l.google.com; older aspmx*.googlemail.com.
    {"google", "google.com"},
    {"google", "googlemail.com"},
    // Mimecast gateways: <region>-smtp-inbound-1.mimecast.com, South Africa and the
    // offshore (Jersey) grid on their own domains.
    {"mimecast", "mimecast.com"},
    {"mimecast", "mimecast.co.za"},
    {"mimecast", "mimecast-offshore.com"},
    // Proofpoint: mx0a-<id>.pphosted.com (enterprise), *.ppe-hosted.com (Essentials).
    {"proofpoint", "pphosted.com"},
    {"proofpoint", "ppe-hosted.com"},
    {"proofpoint", "proofpoint.com"},
    // Barracuda Email Security Service: d<id>.ess.barracudanetworks.com.
    {"barracuda", "barracudanetworks.com"},
    {"barracuda", "ess.barracudanetworks.com"},
    // Cisco Secure Email (IronPort) cloud: mx1.<tenant>.iphmx.com.
    {"cisco", "iphmx.com"},
    // Broadcom (Symantec.cloud, formerly MessageLabs): cluster*.eu.messagelabs.com.
    {"broadcom", "messagelabs.com"},
    // Trend Micro Email Security: <tenant>.in.tmes.trendmicro.com / .eu.
    {"trendmicro", "tmes.trendmicro.com"},
    {"trendmicro", "tmes.trendmicro.eu"},
    // Sophos Central Email: mx-01-eu-central-1.prod.hydra.sophos.com.
    {"sophos", "hydra.sophos.com"},
    // Forcepoint Email Security Cloud: cluster*.eu.mailcontrol.com.
    {"forcepoint", "mailcontrol.com"},
    // Yahoo and AOL mailboxes: mta*.am0.yahoodns.net.
    {"yahoo", "yahoodns.net"},
    // Zoho Mail: mx.zoho.com, mx.zoho.eu.
    {"zoho", "zoho.com"},
    {"zoho", "zoho.eu"},
    // OVHcloud hosted mail: mx*.mail.ovh.net.
    {"ovh", "ovh.net"},
    // IONOS (1&1) hosting: mx00.ionos.de, mx01.ionos.com, mx*.kundenserver.de.
    {"ionos", "ionos.de"},
    {"ionos", "ionos.com"},
    {"ionos", "kundenserver.de"},
    // GMX and WEB.DE, one mail platform (United Internet's 1&1 Mail & Media):
    // mx00.emig.gmx.net, mx-ha03.web.de.
    {"gmx", "gmx.net"},
    {"gmx", "web.de"},
    // iCloud Mail and custom domains on it: mx01.mail.icloud.com.
    {"icloud", "icloud.com"},
    // Proton Mail custom domains: mail.protonmail.ch, mailsec.protonmail.ch.
    {"proton", "protonmail.ch"},
    // GoDaddy's own hosted mail (Workspace Email): mx1.secureserver.net,
    // smtp.secureserver.net.
    {"godaddy", "secureserver.net"},
};

// Second-level labels under which ccTLD registries sell names (example.co.uk,
// example.com.au, example.ne.jp, example.or.jp).
constexpr std::array<std::string_view, 9> kSecondLevels = {"co",  "com", "net", "org", "ac",
                                                           "gov", "edu", "ne",  "or"};

std::string Normalize(std::string_view name) {
  std::string out = base::AsciiLower(base::Trim(name));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool IsIpLiteral(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// The approximate registered domain of `host` (see ProviderOf).
std::string RegisteredDomain(const std::string& host) {
  std::size_t last = host.rfind('.');
  if (last == std::string::npos || last == 0) return host;
  std::size_t second = host.rfind('.', last - 1);
  if (second == std::string::npos) return host;
  std::string_view tld = std::string_view(host).substr(last + 1);
  std::string_view second_level = std::string_view(host).substr(second + 1, last - second - 1);
  bool country_second_level =
      tld.size() == 2 &&
      std::find(kSecondLevels.begin(), kSecondLevels.end(), second_level) != kSecondLevels.end();
  if (!country_second_level || second == 0) return host.substr(second + 1);
  std::size_t third = host.rfind('.', second - 1);
  return third == std::string::npos ? host : host.substr(third + 1);
}

}  // namespace

ProviderMap::ProviderMap() {
  for (const BuiltIn& entry : kBuiltIns) Add(entry.provider, entry.suffix);
}

void ProviderMap::Add(std::string provider, std::string suffix) {
  std::string key = Normalize(suffix);
  while (!key.empty() && key.front() == '.') key.erase(0, 1);
  provider_by_suffix_[std::move(key)] = std::move(provider);
}

std::string ProviderMap::ProviderOf(std::string_view mx_host) const {
  std::string host = Normalize(mx_host);
  if (host.empty() || IsIpLiteral(host)) return host;
  // Suffixes on label boundaries, longest first: the host itself, then after each dot.
  for (std::size_t start = 0; start != std::string::npos;) {
    auto it = provider_by_suffix_.find(host.substr(start));
    if (it != provider_by_suffix_.end()) return it->second;
    std::size_t dot = host.find('.', start);
    start = dot == std::string::npos ? dot : dot + 1;
  }
  return RegisteredDomain(host);
}

}  // namespace b2bmail::smtp
