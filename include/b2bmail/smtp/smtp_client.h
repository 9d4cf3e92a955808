#pragma once
// A blocking SMTP client for one server: the same SmtpSession protocol machine the
// delivery engine runs on its event loop, driven here one message at a time. Used
// by tests, `b2bmail sink`-style tools and anything that sends a few messages to one
// relay; bulk sending goes through DeliveryEngine.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "b2bmail/smtp/delivery_outcome.h"
#include "b2bmail/smtp/session_options.h"

namespace b2bmail::smtp {

// Where to connect and how long to wait.
struct SmtpClientOptions {
  std::string host = "127.0.0.1";       // relay or MX host name or address
  int port = 25;                        // TCP port
  std::string helo_name = "localhost";  // our name in EHLO/HELO; should be our FQDN
  // RFC 5321 sets no connect timeout; 30 s is the common MTA default (Postfix).
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(30);
  // Wait for the greeting and for replies to EHLO/HELO, MAIL, RCPT, DATA, RSET, QUIT
  // (§4.5.3.2.1-4: 5 minutes; 2 for DATA, here the same).
  std::chrono::milliseconds command_timeout = std::chrono::minutes(5);
  // Write progress of the body and the reply to the final "." (§4.5.3.2.5-6: 3 and
  // 10 minutes; one budget of 10 minutes here).
  std::chrono::milliseconds data_timeout = std::chrono::minutes(10);
  TlsPolicy tls = TlsPolicy::kOpportunistic;
  std::string auth_user;  // AUTH PLAIN/LOGIN when set
  std::string auth_password;
  bool pipelining = true;  // RFC 2920 when the server offers it
};

// One SMTP session to one server, reused across messages.
//
// Send() connects on demand, runs one transaction and reports its result as a value;
// it never throws for replies, timeouts, refused or dropped connections or protocol
// violations (ARCHITECTURE.md, Errors rule 2). When a failure leaves the session
// unusable the client closes it, and the next Send() reconnects. After a failed
// transaction on a usable session the next Send() begins with RSET.
//
// Thread safety: not thread-safe; use one SmtpClient per thread.
class SmtpClient {
 public:
  explicit SmtpClient(SmtpClientOptions options);
  // Ends the session politely (QUIT) if one is open; never throws.
  ~SmtpClient();
  SmtpClient(SmtpClient&&) noexcept;
  SmtpClient& operator=(SmtpClient&&) noexcept;
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Delivers `data` from `sender` (envelope MAIL FROM; empty for the null reverse-path)
  // to `recipient` (RCPT TO). `data` is a complete RFC 5322 message, not dot-stuffed;
  // bare LF and bare CR are sent as CRLF, a missing final CRLF is added, and lines
  // starting with "." are dot-stuffed on the wire.
  //
  // Result: kDelivered for a 2yz reply to the final "."; kTemporary for a 4yz reply,
  // a timeout, a refused or dropped connection or a protocol violation (reply_code 0
  // and a text naming the step that failed); kPermanent for a 5yz reply, or (with
  // reply_code 0) for an envelope address that cannot be sent: one containing CR, LF,
  // '<' or '>', or a non-ASCII one to a server without SMTPUTF8.
  //
  // A session that was reused and turns out dead before MAIL was accepted (the
  // server timed it out while idle) is reopened once, transparently.
  DeliveryOutcome Send(std::string_view sender, std::string_view recipient, std::string_view data);

  // Sends QUIT and closes the session if one is open. Never throws.
  void Quit();
  // Closes the session without QUIT (after an unexpected failure). Never throws.
  void Close();

  // True while a session is open (greeted and EHLO/HELO accepted).
  bool connected() const;
  // Mail transactions started on the current session (0 when none is open); the
  // caller uses it to cap messages per connection.
  int transactions_on_connection() const;
  // The current session runs over TLS (STARTTLS succeeded).
  bool tls_active() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace b2bmail::smtp
