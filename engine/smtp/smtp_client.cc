// RFC 5321 client: §3.1 session initiation, §4.1.1.1 EHLO with HELO fallback, §3.3
// mail transaction, §4.1.1.5 RSET, §4.1.1.10 QUIT, §4.5.2 transparency, §4.5.3.2
// timeouts. Extensions used when offered: RFC 1870 SIZE, RFC 6152 8BITMIME,
// RFC 6531 SMTPUTF8. Replies are read by smtp_reply.h (RFC 3463 enhanced codes).

#include "b2bmail/smtp/smtp_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <optional>
#include <set>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "smtp_reply.h"
#include "socket_channel.h"

namespace b2bmail::smtp {
namespace {

// The step a failure happened in, for outcome texts.
enum class Step { kConnect, kGreeting, kEhlo, kHelo, kRset, kMail, kRcpt, kData, kBody, kDataEnd };

const char* StepName(Step step) {
  switch (step) {
    case Step::kConnect:
      return "connect";
    case Step::kGreeting:
      return "greeting";
    case Step::kEhlo:
      return "EHLO";
    case Step::kHelo:
      return "HELO";
    case Step::kRset:
      return "RSET";
    case Step::kMail:
      return "MAIL FROM";
    case Step::kRcpt:
      return "RCPT TO";
    case Step::kData:
      return "DATA";
    case Step::kBody:
      return "message data";
    case Step::kDataEnd:
      return "end of data";
  }
  return "?";
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// The header section of a message (up to the first empty line).
std::string_view Headers(std::string_view data) {
  for (std::size_t pos = 0; pos < data.size();) {
    auto lf = data.find('\n', pos);
    if (lf == std::string_view::npos) return data;
    std::string_view line = data.substr(pos, lf - pos);
    if (line.empty() || line == "\r") return data.substr(0, pos);
    pos = lf + 1;
  }
  return data;
}

// §2.3.8: only CRLF ends a line, so bare LF and bare CR become CRLF; §4.1.1.4: the
// data ends with CRLF before the final ".".
std::string NormalizeLineEnds(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 32 + 2);
  for (std::size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) {
    if (!out.empty()) out += "\r\n";
  }
  return out;
}

// §4.5.2: a line starting with "." gets a second one; then the end-of-data mark.
// REQUIRES: `data` from NormalizeLineEnds.
std::string DotStuff(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 64 + 8);
  bool line_start = true;
  for (char c : data) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  out += ".\r\n";
  return out;
}

DeliveryOutcome LocalFailure(DeliveryStatus status, FailureCategory category, std::string text) {
  DeliveryOutcome outcome;
  outcome.status = status;
  outcome.category = category;
  outcome.reply_code = 0;
  outcome.text = std::move(text);
  return outcome;
}

}  // namespace

class SmtpClient::Impl {
 public:
  explicit Impl(SmtpClientOptions options) : options_(std::move(options)) {}

  DeliveryOutcome Send(std::string_view sender, std::string_view recipient, std::string_view data) {
    if (auto bad = CheckAddress("sender", sender, true)) return *bad;
    if (auto bad = CheckAddress("recipient", recipient, false)) return *bad;
    std::string wire = NormalizeLineEnds(data);
    bool reused = channel_.has_value();
    if (reused && needs_reset_) {
      if (Reset()) reused = false;
    }
    if (!channel_) {
      if (auto failed = Open()) return *failed;
    }
    auto outcome = Transaction(sender, recipient, wire);
    if (outcome.retry_on_fresh_session && reused) {
      Close();
      if (auto failed = Open()) return *failed;
      outcome = Transaction(sender, recipient, wire);
    }
    return outcome.outcome;
  }

  void Quit() {
    if (!channel_) return;
    try {
      channel_->WriteAll("QUIT\r\n", DeadlineAfter(options_.command_timeout));
      ReadReply(*channel_, DeadlineAfter(options_.command_timeout));
    } catch (const std::exception&) {
      // The session ends either way; a server that does not answer QUIT is its business.
    }
    Close();
  }

  void Close() {
    if (channel_) channel_->Close();
    channel_.reset();
    extensions_.clear();
    needs_reset_ = false;
    transactions_ = 0;
  }

  bool connected() const { return channel_.has_value(); }
  int transactions() const { return transactions_; }

 private:
  struct TransactionResult {
    DeliveryOutcome outcome;
    bool retry_on_fresh_session = false;  // a reused session was found dead before MAIL took
  };

  std::optional<DeliveryOutcome> CheckAddress(const char* role, std::string_view address,
                                              bool may_be_empty) {
    bool bad = !may_be_empty && address.empty();
    for (char c : address) {
      // CR or LF would let an address inject commands; brackets would break the path.
      if (c == '\r' || c == '\n' || c == '<' || c == '>' || c == '\0') bad = true;
    }
    if (!bad) return std::nullopt;
    // A broken recipient address is that recipient's; a broken sender is ours.
    auto category = std::string_view(role) == "recipient" ? FailureCategory::kBadMailbox
                                                          : FailureCategory::kProtocol;
    return LocalFailure(DeliveryStatus::kPermanent, category,
                        std::string("invalid envelope ") + role + " address \"" +
                            std::string(address.substr(0, 200)) + "\"");
  }

  std::string Where() const { return options_.host + ":" + std::to_string(options_.port); }

  // A failure that ends the session: close it and say what happened.
  DeliveryOutcome Abort(Step step, const std::exception& e) {
    Close();
    std::string what;
    FailureCategory category = FailureCategory::kNetwork;
    if (dynamic_cast<const TimeoutError*>(&e)) {
      auto limit = (step == Step::kBody || step == Step::kDataEnd) ? options_.data_timeout
                   : step == Step::kConnect                        ? options_.connect_timeout
                                                                   : options_.command_timeout;
      what = "timed out after " + std::to_string(limit.count()) + " ms";
    } else if (auto* error = dynamic_cast<const Error*>(&e);
               error && error->kind() == ErrorKind::kProtocol) {
      what = std::string("protocol violation: ") + e.what();
      category = FailureCategory::kProtocol;
    } else {
      what = e.what();
    }
    return LocalFailure(DeliveryStatus::kTemporary, category,
                        std::string(StepName(step)) + ": " + what + " (" + Where() + ")");
  }

  // A reply that ends the session (greeting or EHLO refused, 421): close it.
  DeliveryOutcome AbortWithReply(const SmtpReply& reply, bool send_quit) {
    auto outcome = ToOutcome(reply);
    if (send_quit) {
      Quit();
    } else {
      Close();
    }
    return outcome;
  }

  DeliveryOutcome Unexpected(Step step, const SmtpReply& reply) {
    Close();
    return LocalFailure(DeliveryStatus::kTemporary, FailureCategory::kProtocol,
                        std::string(StepName(step)) + ": protocol violation: unexpected reply \"" +
                            reply.Text() + "\" (" + Where() + ")");
  }

  SmtpReply Command(const std::string& line, std::chrono::milliseconds timeout) {
    channel_->WriteAll(line + "\r\n", DeadlineAfter(options_.command_timeout));
    return ReadReply(*channel_, DeadlineAfter(timeout));
  }

  // Connects, reads the greeting and says EHLO (HELO when EHLO is refused). Returns the
  // outcome when that fails; the session is then closed.
  std::optional<DeliveryOutcome> Open() {
    Step step = Step::kConnect;
    try {
      Poco::Net::StreamSocket socket;
      try {
        Poco::Net::SocketAddress address(options_.host, static_cast<Poco::UInt16>(options_.port));
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(options_.connect_timeout);
        socket.connect(address, Poco::Timespan(us.count()));
        socket.setNoDelay(true);
      } catch (const Poco::TimeoutException&) {
        throw TimeoutError("connect timed out");
      } catch (const Poco::Exception& e) {
        throw Error(ErrorKind::kNetwork, e.displayText());
      }
      channel_.emplace(socket);

      step = Step::kGreeting;
      SmtpReply greeting = ReadReply(*channel_, DeadlineAfter(options_.command_timeout));
      if (greeting.code == 421) return AbortWithReply(greeting, false);
      if (greeting.Class() == 3) return Unexpected(step, greeting);
      if (greeting.Class() != 2) return AbortWithReply(greeting, greeting.Class() == 5);

      step = Step::kEhlo;
      SmtpReply hello = Command("EHLO " + options_.helo_name, options_.command_timeout);
      if (hello.Class() == 5) {
        // §4.1.4 / §3.2: a server that does not know EHLO gets the old HELO.
        step = Step::kHelo;
        hello = Command("HELO " + options_.helo_name, options_.command_timeout);
        if (hello.Class() == 2) return std::nullopt;
      } else if (hello.Class() == 2) {
        // Keywords of the EHLO reply, one per line after the first (§4.1.1.1).
        for (std::size_t i = 1; i < hello.lines.size(); ++i) {
          if (hello.lines[i].size() <= 4) continue;
          std::string_view keyword = std::string_view(hello.lines[i]).substr(4);
          keyword = keyword.substr(0, keyword.find(' '));
          extensions_.insert(base::AsciiLower(keyword));
        }
        return std::nullopt;
      }
      if (hello.Class() == 3) return Unexpected(step, hello);
      return AbortWithReply(hello, hello.code != 421);
    } catch (const std::exception& e) {
      return Abort(step, e);
    }
  }

  // RSET after a failed transaction (§4.1.1.5). Returns true when the session had to
  // be closed instead; the caller then opens a new one.
  bool Reset() {
    try {
      SmtpReply reply = Command("RSET", options_.command_timeout);
      if (reply.Class() == 2) {
        needs_reset_ = false;
        return false;
      }
    } catch (const std::exception&) {
      // A session that cannot even reset is replaced; nothing is lost by that.
    }
    Close();
    return true;
  }

  bool Has(const char* extension) const { return extensions_.count(extension) > 0; }

  TransactionResult Transaction(std::string_view sender, std::string_view recipient,
                                const std::string& wire) {
    TransactionResult result;
    Step step = Step::kMail;
    ++transactions_;
    try {
      bool utf8_envelope = !IsAscii(sender) || !IsAscii(recipient);
      bool utf8_headers = !IsAscii(Headers(wire));
      if (utf8_envelope && !Has("smtputf8")) {
        // RFC 6531 §3.2: without SMTPUTF8 the address cannot be sent at all.
        needs_reset_ = false;
        result.outcome =
            LocalFailure(DeliveryStatus::kPermanent, FailureCategory::kProtocol,
                         "MAIL FROM: non-ASCII envelope address and the server does not offer "
                         "SMTPUTF8 (" +
                             Where() + ")");
        return result;
      }
      std::string mail = "MAIL FROM:<" + std::string(sender) + ">";
      if (Has("size")) mail += " SIZE=" + std::to_string(wire.size());
      if (Has("8bitmime") && !IsAscii(wire)) mail += " BODY=8BITMIME";
      if (Has("smtputf8") && (utf8_envelope || utf8_headers)) mail += " SMTPUTF8";

      SmtpReply reply;
      try {
        reply = Command(mail, options_.command_timeout);
      } catch (const Error& e) {
        // The server may have closed an idle session; nothing was accepted yet. A
        // timeout is not retried: it would only double the wait.
        result.retry_on_fresh_session =
            e.kind() == ErrorKind::kNetwork && !dynamic_cast<const TimeoutError*>(&e);
        throw;
      }
      if (reply.code == 421) result.retry_on_fresh_session = true;
      if (auto done = Finish(step, reply, 2)) {
        result.outcome = *done;
        return result;
      }
      result.retry_on_fresh_session = false;

      step = Step::kRcpt;
      reply = Command("RCPT TO:<" + std::string(recipient) + ">", options_.command_timeout);
      if (auto done = Finish(step, reply, 2)) {
        result.outcome = *done;
        return result;
      }

      step = Step::kData;
      reply = Command("DATA", options_.command_timeout);
      if (auto done = Finish(step, reply, 3)) {
        result.outcome = *done;
        return result;
      }

      step = Step::kBody;
      Deadline data_deadline = DeadlineAfter(options_.data_timeout);
      channel_->WriteAll(DotStuff(wire), data_deadline);
      step = Step::kDataEnd;
      reply = ReadReply(*channel_, data_deadline);
      if (auto done = Finish(step, reply, 2)) {
        result.outcome = *done;
        return result;
      }
      result.outcome = ToOutcome(reply);
      return result;
    } catch (const std::exception& e) {
      result.outcome = Abort(step, e);
      return result;
    }
  }

  // Judges a reply that should be of class `expected`. Returns nullopt to go on, or
  // the outcome that ends the transaction (and perhaps the session).
  std::optional<DeliveryOutcome> Finish(Step step, const SmtpReply& reply, int expected) {
    if (reply.Class() == expected) return std::nullopt;
    if (reply.Class() != 4 && reply.Class() != 5) return Unexpected(step, reply);
    auto outcome = ToOutcome(reply);
    if (reply.code == 421) {
      // §3.8: 421 means the server is closing the channel.
      Close();
    } else {
      needs_reset_ = true;
    }
    return outcome;
  }

  SmtpClientOptions options_;
  std::optional<SocketChannel> channel_;
  std::set<std::string> extensions_;  // lower-case EHLO keywords
  bool needs_reset_ = false;
  int transactions_ = 0;
};

SmtpClient::SmtpClient(SmtpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SmtpClient::~SmtpClient() {
  if (impl_) impl_->Quit();
}

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

}  // namespace b2bmail::smtp
