// The blocking client: one Connection on a private EventLoop, run until the one
// message in flight completes. All protocol logic is in SmtpSession.

#include "b2bmail/smtp/smtp_client.h"

#include <optional>

#include "connection.h"
#include "event_loop.h"
#include "host_lookup.h"
#include "tls_layer.h"

namespace b2bmail::smtp {

class SmtpClient::Impl final : public ConnectionListener {
 public:
  explicit Impl(SmtpClientOptions options) : options_(std::move(options)) {
    connection_options_.session.helo_name = options_.helo_name;
    connection_options_.session.tls = options_.tls;
    connection_options_.session.auth_user = options_.auth_user;
    connection_options_.session.auth_password = options_.auth_password;
    connection_options_.session.pipelining = options_.pipelining;
    auto& t = connection_options_.session.timeouts;
    t.connect = options_.connect_timeout;
    t.greeting = t.command = t.data_start = t.tls_handshake = options_.command_timeout;
    t.data_block = t.data_end = options_.data_timeout;
    // The caller decides when a session ends (Quit, or transactions_on_connection()).
    t.idle = std::chrono::hours(24 * 365);
    connection_options_.max_messages = 1 << 30;
  }

  ~Impl() override { Quit(); }

  DeliveryOutcome Send(std::string_view sender, std::string_view recipient, std::string_view data) {
    if (auto bad = CheckEnvelope(sender, recipient)) return *bad;
    // Events that came while we were away (an idle server's 421 and close).
    if (connection_) loop_.RunOnce(std::chrono::milliseconds(0));
    if (connection_ && connection_->closed()) connection_.reset();
    result_.reset();
    auto now = std::chrono::steady_clock::now();
    SessionMessage message{1, sender, recipient, data};
    if (!connection_) {
      std::vector<Endpoint> candidates;
      try {
        for (auto& address : LookUpHost(options_.host))
          candidates.push_back({options_.host, address, options_.port});
      } catch (const std::exception& e) {
        DeliveryOutcome outcome;
        outcome.category = FailureCategory::kNetwork;
        outcome.text = std::string("connect: ") + e.what();
        return outcome;
      }
      connection_ = std::make_unique<Connection>(loop_, tls_, *this, connection_options_,
                                                 std::move(candidates), ++connections_);
      connection_->Send(message);
      connection_->Open(now);
    } else {
      connection_->Send(message);
      connection_->Flush(now);
    }
    while (!result_ && !connection_->closed()) loop_.RunOnce(std::chrono::seconds(1));
    // The outcome is the caller's now; the session may go on (see SmtpSession::Resume).
    if (!connection_->closed()) connection_->Resume(std::chrono::steady_clock::now());
    if (!result_) {
      DeliveryOutcome lost;
      lost.category = FailureCategory::kUnclassified;
      lost.text = "internal error: the session ended without an outcome";
      return lost;
    }
    return std::move(*result_);
  }

  void Quit() {
    if (!connection_) return;
    if (!connection_->closed()) {
      connection_->Quit(std::chrono::steady_clock::now());
      auto give_up = std::chrono::steady_clock::now() + options_.command_timeout;
      while (!connection_->closed() && std::chrono::steady_clock::now() < give_up)
        loop_.RunOnce(std::chrono::milliseconds(100));
    }
    connection_.reset();
  }

  void Close() { connection_.reset(); }

  bool connected() const { return connection_ && connection_->session_ready(); }
  int transactions() const { return connected() ? connection_->transactions() : 0; }
  bool tls_active() const { return connected() && connection_->tls_active(); }

  void OnCompletion(Connection&, SessionCompletion completion) override {
    result_ = std::move(completion.outcome);
  }
  void OnReady(Connection&) override {}
  void OnClosed(Connection&) override {}

 private:
  SmtpClientOptions options_;
  ConnectionOptions connection_options_;
  EventLoop loop_;
  TlsContexts tls_;
  std::unique_ptr<Connection> connection_;
  std::optional<DeliveryOutcome> result_;
  std::uint64_t connections_ = 0;
};

SmtpClient::SmtpClient(SmtpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SmtpClient::~SmtpClient() = default;
SmtpClient::SmtpClient(SmtpClient&&) noexcept = default;
SmtpClient& SmtpClient::operator=(SmtpClient&&) noexcept = default;

DeliveryOutcome SmtpClient::Send(std::string_view sender, std::string_view recipient,
                                 std::string_view data) {
  return impl_->Send(sender, recipient, data);
}

void SmtpClient::Quit() { impl_->Quit(); }
void SmtpClient::Close() { impl_->Close(); }
bool SmtpClient::connected() const { return impl_->connected(); }
int SmtpClient::transactions_on_connection() const { return impl_->transactions(); }
bool SmtpClient::tls_active() const { return impl_->tls_active(); }

}  // namespace b2bmail::smtp
