#pragma once
// One outgoing SMTP connection on the event loop: a non-blocking socket, TLS when the
// session asks for it, and the SmtpSession protocol machine. It tries the candidate
// addresses in order (RFC 5321 §5.1: the next MX when one cannot be reached), falls
// back to plain text when opportunistic TLS fails, and retries once on a fresh
// session a message that a reused session lost before the server accepted it.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "event_loop.h"
#include "smtp_session.h"
#include "tls_layer.h"

namespace b2bmail::smtp {

// One address to try. `host` names it (SNI, certificate check, outcome texts).
struct Endpoint {
  std::string host;
  std::string address;  // numeric IPv4 or IPv6
  int port = 25;
};

class Connection;

// Told what happens; it must not destroy the Connection from inside a call.
class ConnectionListener {
 public:
  virtual ~ConnectionListener() = default;
  virtual void OnCompletion(Connection& connection, SessionCompletion completion) = 0;
  // The connection can take a message now (CanTake()).
  virtual void OnReady(Connection& connection) = 0;
  // The connection is closed for good; destroy it after RunOnce returns.
  virtual void OnClosed(Connection& connection) = 0;
};

struct ConnectionOptions {
  SessionOptions session;
  int max_messages = 100;  // transactions per session; then QUIT
  // With PIPELINING, hold a body back (report OnReady first) when the session could
  // take the next message behind it: the driver then Send()s and Flush()es, and the
  // body, its "." and the next envelope leave in one write. Servers answer a group that
  // arrives together with one write too; split, Nagle on their side waits for our
  // delayed ACK (tens of ms per message on loopback with Postfix's smtp-sink).
  bool cork_for_next = false;
};

class Connection final : public EventHandler {
 public:
  // REQUIRES: !candidates.empty(). Does nothing until Open().
  Connection(EventLoop& loop, const TlsContexts& tls, ConnectionListener& listener,
             ConnectionOptions options, std::vector<Endpoint> candidates, std::uint64_t id);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Queues a message; it goes out once the session is ready. The views in `message`
  // must stay valid until its completion.
  void Send(const SessionMessage& message);
  // Starts connecting (to the first candidate).
  void Open(SteadyTime now);
  // Writes what Send() queued; call after Send() outside the loop's callbacks.
  void Flush(SteadyTime now) { Pump(now, true); }
  // Lets the session go on after the outcomes it reported are durable (SmtpSession
  // pauses after each reply to a final "."). Call outside the loop's callbacks.
  void Resume(SteadyTime now);
  // Ends the session with QUIT once nothing is in flight.
  void Quit(SteadyTime now);

  bool CanTake() const;  // Send() would start at once
  bool closed() const { return closed_; }
  // The session is greeted, past EHLO (and STARTTLS, AUTH) and not ended.
  // The session answered a final "." and waits for Resume() (its outcome being recorded).
  bool awaiting_resume() const { return session_ && session_->paused(); }
  bool tls_active() const { return session_ && session_->tls_active(); }
  bool session_ready() const { return !closed_ && session_ && session_->ready(); }
  bool busy() const { return !waiting_.empty() || !session_ || !session_->Idle(); }
  std::uint64_t id() const { return id_; }
  int transactions() const { return transactions_; }
  const Endpoint& endpoint() const { return candidates_[candidate_]; }
  // The current candidate for logs: "127.0.0.1:25", "mx1.a.test[192.0.2.1]:25".
  std::string Where() const;

  void OnEvents(std::uint32_t events, SteadyTime now) override;
  void OnDeadline(SteadyTime now) override;

 private:
  enum class Phase { kIdle, kConnecting, kConnected, kHandshaking, kClosed };

  void Connect(SteadyTime now);
  void CloseSocket();
  // `flush`: write everything now, corked or not.
  void Pump(SteadyTime now, bool flush = false);
  void ReadSocket(SteadyTime now);
  bool WriteSocket(SteadyTime now);
  void AfterSessionEnded(SteadyTime now);
  void UpdateInterest(SteadyTime now);

  EventLoop& loop_;
  const TlsContexts& tls_contexts_;
  ConnectionListener& listener_;
  ConnectionOptions options_;
  std::vector<Endpoint> candidates_;
  std::size_t candidate_ = 0;
  std::uint64_t id_;

  int fd_ = -1;
  Phase phase_ = Phase::kIdle;
  std::unique_ptr<SmtpSession> session_;
  std::unique_ptr<TlsLayer> tls_;
  bool plain_text_only_ = false;  // opportunistic TLS failed on this candidate
  std::string write_buffer_;
  std::size_t write_offset_ = 0;
  std::uint32_t interest_ = 0;
  SteadyTime phase_started_{};
  SteadyTime last_write_progress_{};
  SteadyTime idle_since_{};
  bool was_idle_ = false;

  struct Waiting {
    SessionMessage message;
    bool retried = false;         // already put back once after a session died under it
    bool behind_another = false;  // pipelined behind another message's body
  };
  std::deque<Waiting> waiting_;    // not started yet
  std::deque<Waiting> in_flight_;  // started, completion due
  int transactions_ = 0;           // started on the current session: the per-session cap
  int completed_on_session_ = 0;   // transactions the current session saw an answer to
  bool quitting_ = false;
  bool closed_ = false;
  bool ready_reported_ = false;
};

}  // namespace b2bmail::smtp
