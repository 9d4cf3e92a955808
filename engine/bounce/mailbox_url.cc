#include "mailbox_url.h"

#include <cctype>

#include "b2bmail/base/error.h"

namespace b2bmail::bounce {
namespace {

struct Scheme {
  const char* name;
  MailboxUrl::Protocol protocol;
  bool tls;
  int port;
};
constexpr Scheme kSchemes[] = {
    {"imap", MailboxUrl::Protocol::kImap, false, 143},
    {"imaps", MailboxUrl::Protocol::kImap, true, 993},
    {"pop3", MailboxUrl::Protocol::kPop3, false, 110},
    {"pop3s", MailboxUrl::Protocol::kPop3, true, 995},
};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const Scheme* FindScheme(const std::string& location) {
  auto colon = location.find("://");
  if (colon == std::string::npos) return nullptr;
  std::string scheme = Lower(location.substr(0, colon));
  for (const auto& s : kSchemes)
    if (scheme == s.name) return &s;
  return nullptr;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 3986 §2.1. nullopt for a broken escape.
std::optional<std::string> PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = HexDigit(s[i + 1]);
    int lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

std::string MailboxUrl::ServerUrl() const {
  bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/";
}

bool IsMailboxUrl(const std::string& location) { return FindScheme(location) != nullptr; }

MailboxUrl ParseMailboxUrl(const std::string& url) {
  const Scheme* scheme = FindScheme(url);
  MailboxUrl out;
  out.scheme = Lower(url.substr(0, url.find("://")));
  out.protocol = scheme->protocol;
  out.tls = scheme->tls;
  out.port = scheme->port;
  std::string rest = url.substr(url.find("://") + 3);
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  // The name for messages: the URL with the password left out.
  auto at = authority.rfind('@');
  std::string userinfo = at == std::string::npos ? "" : authority.substr(0, at);
  std::string hostport = at == std::string::npos ? authority : authority.substr(at + 1);
  auto colon = userinfo.find(':');
  out.name = out.scheme + "://" + (userinfo.empty() ? "" : userinfo.substr(0, colon) + "@") +
             hostport + (slash == std::string::npos ? "" : "/" + path);
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kUsage, out.name + ": " + why);
  };
  if (userinfo.empty() || colon == 0)
    throw bad("no user (write " + out.scheme + "://USER@HOST/...)");
  auto user = PercentDecode(userinfo.substr(0, colon));
  if (!user) throw bad("bad %-escape in the user");
  out.user = *user;
  if (colon != std::string::npos) {
    out.password = PercentDecode(userinfo.substr(colon + 1));
    if (!out.password) throw bad("bad %-escape in the password");
  }
  if (!hostport.empty() && hostport[0] == '[') {
    auto close = hostport.find(']');
    if (close == std::string::npos) throw bad("unclosed [ in the host");
    out.host = hostport.substr(1, close - 1);
    hostport = hostport.substr(close + 1);
  } else {
    out.host = hostport.substr(0, hostport.find(':'));
    hostport = hostport.find(':') == std::string::npos ? "" : hostport.substr(hostport.find(':'));
  }
  if (out.host.empty()) throw bad("no host");
  if (!hostport.empty()) {
    std::string digits = hostport.substr(1);
    bool ok = hostport[0] == ':' && !digits.empty() && digits.size() <= 5;
    for (char c : digits) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    if (!ok || std::stoi(digits) < 1 || std::stoi(digits) > 65535) throw bad("bad port");
    out.port = std::stoi(digits);
  }
  if (out.protocol == MailboxUrl::Protocol::kImap) {
    // RFC 5092 allows ;UIDVALIDITY=... and a search after the mailbox; a bounce mailbox
    // needs neither.
    if (path.find_first_of(";?") != std::string::npos)
      throw bad("only a mailbox may follow the host (no ;UID=, no ?search)");
    while (!path.empty() && path.back() == '/') path.pop_back();
    auto mailbox = PercentDecode(path);
    if (!mailbox) throw bad("bad %-escape in the mailbox");
    out.mailbox = mailbox->empty() ? "INBOX" : *mailbox;
  } else if (!path.empty()) {
    throw bad("a POP3 URL names no mailbox (write " + out.scheme + "://USER@HOST[:PORT])");
  }
  return out;
}

}  // namespace b2bmail::bounce
