// RFC 5321 server side: §3.1 greeting, §4.1.1 commands (EHLO, HELO, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT), §4.2.4 500/502 for unknown and unimplemented commands, §4.3.2
// 503 for commands out of sequence, §4.5.2 transparency (dot removal), §4.5.3.1.10
// recipients limit. Extensions advertised: RFC 6152 8BITMIME, RFC 2920 PIPELINING
// (commands are read line by line from a buffer, so a pipelined group is answered in
// order), RFC 1870 SIZE, RFC 6531 SMTPUTF8, RFC 2034 ENHANCEDSTATUSCODES.

#include "b2bmail/smtp/sink_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <optional>
#include <vector>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "maildir.h"
#include "socket_channel.h"

namespace b2bmail::smtp {
namespace {

// §4.5.3.1.4 sets 512 octets per command line; SMTPUTF8 addresses and parameters need
// more room, and a generous limit costs nothing here.
constexpr std::size_t kMaxCommandLine = 4096;
// §4.5.3.1.8: at least 100 recipients must be accepted.
constexpr std::size_t kMaxRecipients = 100;

// What all sessions share.
struct SinkState {
  explicit SinkState(SinkOptions o)
      : options(std::move(o)), maildir(options.maildir, options.hostname) {}

  SinkOptions options;
  Maildir maildir;
  std::atomic<bool> stopping{false};
  std::atomic<std::int64_t> messages{0};
  std::atomic<std::int64_t> connections{0};
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Parses `<path> [params]` after "FROM:" or "TO:" (§4.1.2; a space before "<" is
// tolerated, as most servers do). Returns nullopt on a syntax error.
struct PathArgument {
  std::string address;
  std::vector<std::string> params;
};
std::optional<PathArgument> ParsePathArgument(std::string_view arg, std::string_view keyword) {
  if (arg.size() < keyword.size() ||
      !base::EqualsIgnoreCase(arg.substr(0, keyword.size()), keyword)) {
    return std::nullopt;
  }
  arg.remove_prefix(keyword.size());
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  if (arg.empty() || arg.front() != '<') return std::nullopt;
  auto close = arg.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  PathArgument result;
  result.address = std::string(arg.substr(1, close - 1));
  for (auto piece : base::Split(arg.substr(close + 1), ' ')) {
    if (!piece.empty()) result.params.emplace_back(piece);
  }
  return result;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class SinkSession final : public Poco::Net::TCPServerConnection {
 public:
  SinkSession(const Poco::Net::StreamSocket& socket, SinkState& state)
      : Poco::Net::TCPServerConnection(socket), state_(state), channel_(socket, &state.stopping) {}

  void run() override {
    ++state_.connections;
    try {
      Serve();
    } catch (const std::exception&) {
      // The peer went away, timed out or broke the protocol; if the server is
      // stopping, say so (§3.8), otherwise there is nobody left to tell.
      if (state_.stopping) {
        try {
          Reply("421 4.3.2 Service shutting down");
        } catch (const std::exception&) {
        }
      }
    }
    channel_.Close();
  }

 private:
  void Reply(const std::string& line) {
    channel_.WriteAll(line + "\r\n", DeadlineAfter(state_.options.idle_timeout));
  }

  void ResetTransaction() {
    mail_from_.reset();
    recipients_.clear();
  }

  void Serve() {
    Reply("220 " + state_.options.hostname + " ESMTP b2bmail sink ready");
    for (;;) {
      std::string line;
      try {
        line = channel_.ReadLine(DeadlineAfter(state_.options.idle_timeout), kMaxCommandLine);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kProtocol) throw;
        Reply("500 5.5.2 Line too long");
        return;
      }
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      std::string_view view = line;
      auto space = view.find(' ');
      std::string verb = Upper(view.substr(0, space));
      std::string_view arg = space == std::string_view::npos ? "" : view.substr(space + 1);
      if (!Dispatch(verb, arg)) return;
    }
  }

  // Handles one command; false ends the session.
  bool Dispatch(const std::string& verb, std::string_view arg) {
    if (verb == "EHLO" || verb == "HELO") {
      if (base::Trim(arg).empty()) {
        Reply("501 5.5.4 Syntax: " + verb + " hostname");
        return true;
      }
      ResetTransaction();
      greeted_ = true;
      const auto& host = state_.options.hostname;
      if (verb == "HELO") {
        Reply("250 " + host);
      } else {
        Reply("250-" + host + "\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-SIZE " +
              std::to_string(state_.options.max_message_bytes) +
              "\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES");
      }
    } else if (verb == "MAIL") {
      Mail(arg);
    } else if (verb == "RCPT") {
      Rcpt(arg);
    } else if (verb == "DATA") {
      return Data(arg);
    } else if (verb == "RSET") {
      if (!arg.empty()) {
        Reply("501 5.5.4 Syntax: RSET");
        return true;
      }
      ResetTransaction();
      Reply("250 2.0.0 Ok");
    } else if (verb == "NOOP") {
      Reply("250 2.0.0 Ok");
    } else if (verb == "QUIT") {
      Reply("221 2.0.0 Bye");
      return false;
    } else if (verb == "VRFY" || verb == "EXPN" || verb == "HELP" || verb == "TURN" ||
               verb == "ETRN" || verb == "STARTTLS" || verb == "AUTH" || verb == "BDAT") {
      Reply("502 5.5.1 Command not implemented");
    } else {
      Reply("500 5.5.2 Command unrecognized");
    }
    return true;
  }

  void Mail(std::string_view arg) {
    if (!greeted_) return Reply("503 5.5.1 Send EHLO or HELO first");
    if (mail_from_) return Reply("503 5.5.1 Nested MAIL command");
    auto path = ParsePathArgument(arg, "FROM:");
    if (!path) return Reply("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
    for (const auto& param : path->params) {
      std::string upper = Upper(param);
      if (upper.rfind("SIZE=", 0) == 0 && AllDigits(upper.substr(5))) {
        // RFC 1870 §6.2: refuse up front what would be refused after DATA.
        if (upper.size() > 24 || std::stoll(upper.substr(5)) > state_.options.max_message_bytes) {
          return Reply("552 5.3.4 Message size exceeds fixed maximum message size");
        }
      } else if (upper != "BODY=7BIT" && upper != "BODY=8BITMIME" && upper != "SMTPUTF8") {
        return Reply("555 5.5.4 MAIL FROM parameter not recognized: " + param);
      }
    }
    mail_from_ = path->address;
    Reply("250 2.1.0 Ok");
  }

  void Rcpt(std::string_view arg) {
    if (!mail_from_) return Reply("503 5.5.1 Need MAIL command first");
    auto path = ParsePathArgument(arg, "TO:");
    if (!path) return Reply("501 5.5.4 Syntax: RCPT TO:<address>");
    if (path->address.empty()) return Reply("501 5.1.3 Empty recipient address");
    if (!path->params.empty()) return Reply("555 5.5.4 RCPT TO parameters not recognized");
    if (recipients_.size() >= kMaxRecipients) return Reply("452 4.5.3 Too many recipients");
    recipients_.push_back(path->address);
    Reply("250 2.1.5 Ok");
  }

  bool Data(std::string_view arg) {
    if (!arg.empty()) {
      Reply("501 5.5.4 Syntax: DATA");
      return true;
    }
    if (!mail_from_ || recipients_.empty()) {
      Reply(mail_from_ ? "503 5.5.1 Need RCPT command first" : "503 5.5.1 Need MAIL command first");
      return true;
    }
    Reply("354 End data with <CR><LF>.<CR><LF>");

    // §4.5.2: the data ends at CRLF "." CRLF; a leading "." of a line was doubled by
    // the client and is removed. "Line start" means after CRLF only, so a bare LF
    // never creates an end marker.
    const std::int64_t limit = state_.options.max_message_bytes;
    const std::size_t max_line = static_cast<std::size_t>(limit) + 3;
    std::string body;
    std::int64_t size = 0;
    bool line_start = true;
    for (;;) {
      std::string line;
      try {
        line = channel_.ReadLine(DeadlineAfter(state_.options.idle_timeout), max_line);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kProtocol) throw;
        Reply("552 5.3.4 Message size exceeds fixed maximum message size");
        return false;
      }
      if (line_start && line == ".\r\n") break;
      std::string_view piece = line;
      if (line_start && piece.front() == '.') piece.remove_prefix(1);
      line_start = line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0;
      size += static_cast<std::int64_t>(piece.size());
      // Past the limit, keep reading to the end marker but keep nothing.
      if (size <= limit) body.append(piece);
    }

    std::string sender = *mail_from_;
    std::vector<std::string> recipients = std::move(recipients_);
    ResetTransaction();
    if (size > limit) {
      Reply("552 5.3.4 Message size exceeds fixed maximum message size");
      return true;
    }
    std::string queue_id;
    if (!state_.options.maildir.empty()) {
      try {
        for (const auto& recipient : recipients) {
          auto path = state_.maildir.Deliver(
              "Return-Path: <" + sender + ">\r\nDelivered-To: <" + recipient + ">\r\n", body);
          if (queue_id.empty()) queue_id = path.filename().string();
        }
      } catch (const Error&) {
        Reply("451 4.3.0 Local error writing the message");
        return true;
      }
    }
    auto number = ++state_.messages;
    if (queue_id.empty()) queue_id = std::to_string(number);
    Reply("250 2.0.0 Ok: queued as " + queue_id);
    return true;
  }

  SinkState& state_;
  SocketChannel channel_;
  bool greeted_ = false;
  std::optional<std::string> mail_from_;
  std::vector<std::string> recipients_;
};

class SinkSessionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit SinkSessionFactory(SinkState& state) : state_(state) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    // Poco's TCPServer takes ownership of the returned connection.
    return new SinkSession(socket, state_);
  }

 private:
  SinkState& state_;
};

}  // namespace

class SinkServer::Impl {
 public:
  explicit Impl(SinkOptions options)
      : state_(std::move(options)), pool_(1, state_.options.max_connections + 1) {}

  ~Impl() { Stop(); }

  void Start() {
    if (server_) throw Error(ErrorKind::kInternal, "SinkServer::Start called twice");
    if (!state_.options.maildir.empty()) state_.maildir.Create();
    state_.stopping = false;
    try {
      Poco::Net::ServerSocket socket;
      socket.bind(Poco::Net::SocketAddress(state_.options.address,
                                           static_cast<Poco::UInt16>(state_.options.port)),
                  /*reuseAddress=*/true);
      socket.listen(64);
      auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
      params->setMaxThreads(state_.options.max_connections);
      params->setMaxQueued(64);
      server_ = std::make_unique<Poco::Net::TCPServer>(Poco::makeShared<SinkSessionFactory>(state_),
                                                       pool_, socket, params);
      server_->start();
      port_ = socket.address().port();
    } catch (const Poco::Exception& e) {
      server_.reset();
      throw Error(ErrorKind::kNetwork, "cannot listen on " + state_.options.address + ":" +
                                           std::to_string(state_.options.port) + ": " +
                                           e.displayText());
    }
  }

  void Stop() {
    if (!server_) return;
    // Sessions poll the flag while they wait, so joinAll() below returns promptly.
    state_.stopping = true;
    server_->stop();
    pool_.joinAll();
    server_.reset();
  }

  int port() const { return port_; }
  const SinkState& state() const { return state_; }

 private:
  SinkState state_;
  Poco::ThreadPool pool_;  // declared before server_: it must outlive the server
  std::unique_ptr<Poco::Net::TCPServer> server_;
  int port_ = 0;
};

SinkServer::SinkServer(SinkOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
SinkServer::~SinkServer() = default;
void SinkServer::Start() { impl_->Start(); }
void SinkServer::Stop() { impl_->Stop(); }
int SinkServer::port() const { return impl_->port(); }
std::int64_t SinkServer::messages_received() const { return impl_->state().messages; }
std::int64_t SinkServer::connections_accepted() const { return impl_->state().connections; }

}  // namespace b2bmail::smtp
