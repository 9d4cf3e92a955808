#pragma once
// How one SMTP session behaves: our name, TLS policy, authentication and the RFC 5321
// §4.5.3.2 timeouts. Filled by the CLI from b2bmail.toml ([smtp] and [smtp.routes.*]).

#include <chrono>
#include <string>
#include <string_view>

namespace b2bmail::smtp {

// RFC 3207 STARTTLS, per route.
enum class TlsPolicy {
  kNone,           // never STARTTLS (a loopback test server, a relay on localhost)
  kOpportunistic,  // STARTTLS when offered; a failed handshake reconnects in plain text
                   // (RFC 7435: any encryption beats none; MX certificates are rarely valid)
  kRequire,        // STARTTLS or fail the attempt (tls-failure, temporary); certificate not checked
  kVerify,         // as kRequire, and the certificate must chain to the system trust store
                   // and name the host we connected to (smarthosts, MTA-STS destinations)
};

// "none", "opportunistic", "require", "verify"; false for anything else.
bool ParseTlsPolicy(std::string_view text, TlsPolicy& out);
std::string_view TlsPolicyName(TlsPolicy policy);

// RFC 5321 §4.5.3.2 gives minimum client timeouts per step; they are long because
// overloaded gateways answer slowly, and giving up early only causes duplicates.
struct SmtpTimeouts {
  std::chrono::milliseconds connect =
      std::chrono::seconds(30);  // not in the RFC; Postfix's default
  std::chrono::milliseconds greeting = std::chrono::minutes(5);  // §4.5.3.2.1
  std::chrono::milliseconds command =
      std::chrono::minutes(5);  // EHLO, MAIL, RCPT, RSET, AUTH (§4.5.3.2.2-3)
  std::chrono::milliseconds data_start = std::chrono::minutes(2);  // the 354 to DATA (§4.5.3.2.4)
  std::chrono::milliseconds data_block = std::chrono::minutes(3);  // no write progress (§4.5.3.2.5)
  std::chrono::milliseconds data_end = std::chrono::minutes(10);   // the reply to "." (§4.5.3.2.6)
  std::chrono::milliseconds tls_handshake = std::chrono::minutes(1);
  // An open session with nothing to send is closed (QUIT) after this; servers drop
  // idle clients after a few minutes (§4.5.3.2.7 gives them 5).
  std::chrono::milliseconds idle = std::chrono::seconds(10);
};

struct SessionOptions {
  std::string helo_name = "localhost";  // our FQDN in EHLO/HELO; should match our PTR
  TlsPolicy tls = TlsPolicy::kOpportunistic;
  std::string auth_user;  // AUTH PLAIN or LOGIN when set (relays); empty: no AUTH
  std::string auth_password;
  bool pipelining = true;  // RFC 2920, used when the server offers it
  SmtpTimeouts timeouts;
};

}  // namespace b2bmail::smtp
