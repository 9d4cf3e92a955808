#pragma once
// The client side of one SMTP session as a state machine without I/O ("sans-IO"): bytes
// in, bytes out, replies judged, outcomes reported. The event loop (Connection) and
// the blocking SmtpClient both drive it, so the protocol is written once.
//
// RFC 5321 §3.1 greeting, §4.1.1.1 EHLO with HELO fallback, §3.3 the mail transaction
// (one recipient each), §4.1.1.5 RSET after a failed one, §4.5.2 transparency,
// §4.5.3.2 timeouts; RFC 2920 PIPELINING (MAIL, RCPT and DATA in one group, and the
// next message's envelope right behind the previous body), RFC 1870 SIZE, RFC 6152
// 8BITMIME, RFC 6531 SMTPUTF8, RFC 3207 STARTTLS (the TLS itself is the driver's),
// RFC 4954 AUTH PLAIN and LOGIN, RFC 2034 enhanced status codes.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/smtp/delivery_outcome.h"
#include "b2bmail/smtp/session_options.h"
#include "smtp_reply.h"

namespace b2bmail::smtp {

using SteadyTime = std::chrono::steady_clock::time_point;

// One message to send. The views must stay valid until the message's completion.
struct SessionMessage {
  std::uint64_t tag = 0;  // the caller's handle, returned with the completion
  std::string_view sender;
  std::string_view recipient;
  std::string_view data;  // RFC 5322 message, not dot-stuffed; bare LF/CR become CRLF
};

struct SessionCompletion {
  std::uint64_t tag = 0;
  DeliveryOutcome outcome;
  // False when the server never accepted MAIL FROM for it: nothing of this message
  // can have been delivered, so it may go out again at once on another session.
  bool mail_accepted = false;
};

// A permanent local failure for an envelope address that cannot go on the wire
// (CR, LF, NUL, '<' or '>' would inject commands or break the path; an empty
// recipient), or nullopt when both are fine.
std::optional<DeliveryOutcome> CheckEnvelope(std::string_view sender, std::string_view recipient);

class SmtpSession {
 public:
  // `where` names the peer in outcome texts ("127.0.0.1:25", "mx1.a.test[10.0.0.1]:25").
  SmtpSession(const SessionOptions& options, std::string where);

  // --- driver side -----------------------------------------------------------
  void OnConnected(SteadyTime now);                      // TCP is up: wait for the greeting
  void OnInput(std::string_view bytes, SteadyTime now);  // plain text from the server
  void OnTlsUp(SteadyTime now);  // the handshake the session asked for is done
  void OnTlsFailed(const std::string& why, SteadyTime now);
  // The connection failed or the peer closed it. `timed_out` for a write stall.
  void OnDisconnected(const std::string& why, bool timed_out, SteadyTime now);
  void OnTimeout(SteadyTime now);  // called when now >= deadline()
  // After the reply to a final "." the session stops reading replies (paused()) until
  // Resume(): the driver records the outcome durably first. Idempotent.
  void Resume(SteadyTime now);
  bool paused() const { return paused_; }

  std::string& output() { return output_; }              // bytes to write; the driver drains it
  bool tls_requested() const { return tls_requested_; }  // start the handshake now
  std::optional<SteadyTime> deadline() const;            // when OnTimeout is due, if waiting
  // The session is over (after QUIT, a failure, or a 421); the socket should close
  // once output() is written.
  bool finished() const { return state_ == State::kClosed; }
  // Set when the session ended before it was ready to send: the reason (the greeting
  // refused, EHLO refused, STARTTLS or AUTH failed, no connection).
  const std::optional<DeliveryOutcome>& setup_failure() const { return setup_failure_; }
  // The session failed during the TLS handshake (opportunistic TLS may retry in plain text).
  bool tls_handshake_failed() const { return tls_handshake_failed_; }
  std::vector<SessionCompletion> TakeCompletions();

  // --- message side ------------------------------------------------------------
  bool ready() const { return state_ == State::kReady; }
  // True when Start() may be called now: ready, and either nothing in flight or (with
  // PIPELINING) the one message in flight has its body written and awaits its reply.
  bool CanStart() const;
  // True when ready and nothing is in flight.
  bool Idle() const { return state_ == State::kReady && txns_.empty(); }
  // REQUIRES: CanStart().
  void Start(const SessionMessage& message, SteadyTime now);
  // Ends the session politely; never fails.
  void Quit(SteadyTime now);

  int transactions() const { return transactions_; }
  bool tls_active() const { return tls_active_; }
  bool pipelining() const { return options_.pipelining && Has("pipelining"); }
  bool Has(std::string_view extension) const;  // lower-case EHLO keyword
  const std::string& where() const { return where_; }

 private:
  enum class State { kConnecting, kGreeting, kHello, kTls, kAuth, kReady, kQuitting, kClosed };
  enum class Step {
    kGreeting,
    kEhlo,
    kHelo,
    kStartTls,
    kAuthPlain,
    kAuthLoginUser,
    kAuthLoginPassword,
    kAuthLoginDone,
    kRset,
    kMail,
    kRcpt,
    kData,
    kDataEnd,
    kDataEndDiscard,
    kQuit
  };
  struct Txn {
    SessionMessage message;
    bool failed = false;
    bool mail_accepted = false;
    bool body_sent = false;
    int replies_due = 0;
    DeliveryOutcome outcome;
  };
  struct Expect {
    Step step;
    Txn* txn = nullptr;
  };

  static const char* StepName(Step step);
  std::chrono::milliseconds TimeoutFor(Step step) const;
  void Command(std::string_view line, Step step, Txn* txn, SteadyTime now);
  void ProcessInput(SteadyTime now);
  void HandleReply(const SmtpReply& reply, SteadyTime now);
  void HandleTxnReply(const Expect& expect, const SmtpReply& reply, SteadyTime now);
  void AfterHello(SteadyTime now);
  void AfterHelloNoTls(SteadyTime now);
  void StartAuth(SteadyTime now);
  void BecomeReady();
  void SetupFailed(DeliveryOutcome outcome, SteadyTime now, bool send_quit);
  void Fail(Step step, FailureCategory category, const std::string& what);
  void FailTxn(Txn& txn, DeliveryOutcome outcome);
  void CompleteFinishedTxns();
  void ParseExtensions(const SmtpReply& ehlo);
  DeliveryOutcome Local(DeliveryStatus status, FailureCategory category, std::string text) const;

  SessionOptions options_;
  std::string where_;
  State state_ = State::kConnecting;
  ReplyAssembler assembler_;
  std::string input_;  // bytes received, not yet a whole line
  std::string output_;
  std::deque<Expect> expects_;
  std::deque<Txn> txns_;
  // Without PIPELINING: the rest of a transaction's envelope, sent one command per reply.
  struct PendingCommand {
    std::string line;
    Step step;
    Txn* txn;
  };
  std::deque<PendingCommand> pending_;
  std::vector<SessionCompletion> completions_;
  std::set<std::string, std::less<>> extensions_;
  std::uint64_t size_limit_ = 0;  // RFC 1870 SIZE parameter, 0: none given
  std::string auth_mechanisms_;   // upper-case, space separated, from "250-AUTH ..."
  std::optional<DeliveryOutcome> setup_failure_;
  SteadyTime waiting_since_{};  // when the reply at the front of expects_ became due
  SteadyTime connected_at_{};
  bool tls_requested_ = false;
  bool tls_active_ = false;
  bool tls_handshake_failed_ = false;
  bool authenticated_ = false;
  bool need_rset_ = false;
  bool paused_ = false;  // a final "." was answered; waiting for Resume()
  int transactions_ = 0;
};

}  // namespace b2bmail::smtp
