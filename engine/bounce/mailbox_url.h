#pragma once
// imap://, imaps://, pop3:// and pop3s:// URLs as `bounce ingest` takes them (RFC 5092 §3
// and RFC 2384 §3, reduced to what a bounce mailbox needs): SCHEME://USER[:PASSWORD]@HOST
// [:PORT][/MAILBOX], with user, password and mailbox percent-encoded.

#include <optional>
#include <string>

namespace b2bmail::bounce {

struct MailboxUrl {
  enum class Protocol { kImap, kPop3 };
  Protocol protocol = Protocol::kImap;
  bool tls = false;                     // imaps, pop3s: TLS from the first byte
  std::string scheme;                   // as written, lower case: "imaps"
  std::string user;                     // decoded
  std::optional<std::string> password;  // decoded; nullopt when the URL has none
  std::string host;                     // without brackets for an IPv6 address
  int port = 0;                         // the scheme's default when the URL has none
  std::string mailbox;                  // IMAP: decoded, "INBOX" when the URL has no path; POP3: ""
  std::string name;                     // the URL without the password, for messages

  // "imaps://[::1]:993/": what libcurl connects to (no user, no password).
  std::string ServerUrl() const;
};

// True when `location` starts with one of the four schemes (any case).
bool IsMailboxUrl(const std::string& location);

// Parses `url`. Throws Error{kUsage} naming the URL (without its password) when it is
// malformed or has no user. REQUIRES: IsMailboxUrl(url).
MailboxUrl ParseMailboxUrl(const std::string& url);

}  // namespace b2bmail::bounce
