#pragma once
// One connection to an IMAP or POP3 server. libcurl opens it and logs in (TCP, TLS and
// the certificate check, the greeting, CAPABILITY/CAPA, STARTTLS never, SASL or
// LOGIN/USER+PASS: CURLOPT_CONNECT_ONLY); after that the caller speaks the protocol
// itself. libcurl's own IMAP FETCH always asks for BODY[], which sets \Seen on the
// server before the message was processed: a crash then would lose it. So the commands
// after the login are ours (BODY.PEEK[], STORE, MOVE; UIDL, RETR, DELE).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "b2bmail/base/error.h"
#include "b2bmail/bounce/mailbox_source.h"
#include "mailbox_url.h"

namespace b2bmail::bounce {

class MailConnection {
 public:
  // Connects to `url` and logs in as its user with `password`. Throws Error{kNetwork}
  // "<url>: login denied", "<url>: certificate not trusted: ...", "<url>: cannot connect:
  // ..." and the like; Error{kConfig} when options.ca_file cannot be read.
  MailConnection(const MailboxUrl& url, const std::string& password, const MailboxOptions& options);
  MailConnection(const MailConnection&) = delete;
  MailConnection& operator=(const MailConnection&) = delete;

  // Sends `line` and CRLF.
  void SendLine(std::string_view line);
  // The next line without its CRLF (or LF). Throws Error{kNetwork} when the server
  // closes the connection or is silent for the timeout, Error{kProtocol} for a line
  // over 16 MiB.
  std::string ReadLine();
  // Exactly `count` bytes (an IMAP literal).
  std::string ReadBytes(std::size_t count);

  // Throws Error{kind, "<url>: <what>"}.
  [[noreturn]] void Fail(ErrorKind kind, const std::string& what) const;

 private:
  // Appends what the server sent next to buffer_, waiting up to the timeout.
  void Fill();

  struct CurlCleanup {
    void operator()(void* curl) const;
  };
  // The CURL handle (kept out of this header); released also when the constructor throws.
  std::unique_ptr<void, CurlCleanup> curl_;
  std::string name_;
  int timeout_ms_ = 0;
  std::string buffer_;
};

}  // namespace b2bmail::bounce
