#include "smtp_session.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "wire_format.h"

namespace b2bmail::smtp {
namespace {

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(n, 0)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// CR or LF would let an address inject commands; brackets would break the path.
bool BadAddress(std::string_view address, bool may_be_empty) {
  if (address.empty()) return !may_be_empty;
  for (char c : address) {
    if (c == '\r' || c == '\n' || c == '<' || c == '>' || c == '\0') return true;
  }
  return false;
}

constexpr std::size_t kMaxInputLine = 8192 + 2;

}  // namespace

std::optional<DeliveryOutcome> CheckEnvelope(std::string_view sender, std::string_view recipient) {
  DeliveryOutcome outcome;
  outcome.status = DeliveryStatus::kPermanent;
  if (BadAddress(sender, true)) {
    // A broken sender is ours; a broken recipient address is that recipient's.
    outcome.category = FailureCategory::kProtocol;
    outcome.text = "invalid envelope sender address \"" + std::string(sender.substr(0, 200)) + "\"";
    return outcome;
  }
  if (BadAddress(recipient, false)) {
    outcome.category = FailureCategory::kBadMailbox;
    outcome.text =
        "invalid envelope recipient address \"" + std::string(recipient.substr(0, 200)) + "\"";
    return outcome;
  }
  return std::nullopt;
}

bool ParseTlsPolicy(std::string_view text, TlsPolicy& out) {
  if (text == "none") {
    out = TlsPolicy::kNone;
  } else if (text == "opportunistic") {
    out = TlsPolicy::kOpportunistic;
  } else if (text == "require") {
    out = TlsPolicy::kRequire;
  } else if (text == "verify") {
    out = TlsPolicy::kVerify;
  } else {
    return false;
  }
  return true;
}

std::string_view TlsPolicyName(TlsPolicy policy) {
  switch (policy) {
    case TlsPolicy::kNone:
      return "none";
    case TlsPolicy::kOpportunistic:
      return "opportunistic";
    case TlsPolicy::kRequire:
      return "require";
    case TlsPolicy::kVerify:
      return "verify";
  }
  return "?";
}

SmtpSession::SmtpSession(const SessionOptions& options, std::string where)
    : options_(options), where_(std::move(where)) {}

const char* SmtpSession::StepName(Step step) {
  switch (step) {
    case Step::kGreeting:
      return "greeting";
    case Step::kEhlo:
      return "EHLO";
    case Step::kHelo:
      return "HELO";
    case Step::kStartTls:
      return "STARTTLS";
    case Step::kAuthPlain:
    case Step::kAuthLoginUser:
    case Step::kAuthLoginPassword:
    case Step::kAuthLoginDone:
      return "AUTH";
    case Step::kRset:
      return "RSET";
    case Step::kMail:
      return "MAIL FROM";
    case Step::kRcpt:
      return "RCPT TO";
    case Step::kData:
      return "DATA";
    case Step::kDataEnd:
    case Step::kDataEndDiscard:
      return "end of data";
    case Step::kQuit:
      return "QUIT";
  }
  return "?";
}

std::chrono::milliseconds SmtpSession::TimeoutFor(Step step) const {
  const auto& t = options_.timeouts;
  switch (step) {
    case Step::kGreeting:
      return t.greeting;
    case Step::kData:
      return t.data_start;
    case Step::kDataEnd:
    case Step::kDataEndDiscard:
      return t.data_end;
    default:
      return t.command;
  }
}

bool SmtpSession::Has(std::string_view extension) const {
  return extensions_.find(extension) != extensions_.end();
}

DeliveryOutcome SmtpSession::Local(DeliveryStatus status, FailureCategory category,
                                   std::string text) const {
  DeliveryOutcome outcome;
  outcome.status = status;
  outcome.category = category;
  outcome.text = std::move(text);
  return outcome;
}

std::optional<SteadyTime> SmtpSession::deadline() const {
  if (state_ == State::kClosed || tls_requested_ || paused_) return std::nullopt;
  if (state_ == State::kConnecting) return std::nullopt;  // the driver times the connect
  if (expects_.empty()) return std::nullopt;
  return waiting_since_ + TimeoutFor(expects_.front().step);
}

void SmtpSession::OnConnected(SteadyTime now) {
  state_ = State::kGreeting;
  connected_at_ = now;
  expects_.push_back({Step::kGreeting, nullptr});
  waiting_since_ = now;
}

void SmtpSession::Command(std::string_view line, Step step, Txn* txn, SteadyTime now) {
  if (expects_.empty()) waiting_since_ = now;
  output_.append(line);
  output_ += "\r\n";
  expects_.push_back({step, txn});
  if (txn) ++txn->replies_due;
}

void SmtpSession::OnInput(std::string_view bytes, SteadyTime now) {
  if (state_ == State::kClosed) return;
  input_.append(bytes);
  ProcessInput(now);
}

void SmtpSession::Resume(SteadyTime now) {
  if (!paused_) return;
  paused_ = false;
  waiting_since_ = now;
  ProcessInput(now);
}

void SmtpSession::ProcessInput(SteadyTime now) {
  std::size_t start = 0;
  try {
    while (!paused_) {
      std::size_t lf = input_.find('\n', start);
      if (lf == std::string::npos) break;
      std::string_view line(input_.data() + start, lf - start);
      start = lf + 1;
      if (auto reply = assembler_.AddLine(line)) {
        waiting_since_ = now;
        HandleReply(*reply, now);
        if (state_ == State::kClosed) {
          input_.clear();
          return;
        }
        // After "220" to STARTTLS the next bytes are TLS: plain text must stop here
        // (RFC 3207 §5 and the STARTTLS command-injection bugs, CVE-2011-0411).
        if (tls_requested_) {
          if (start < input_.size())
            Fail(Step::kStartTls, FailureCategory::kProtocol,
                 "protocol violation: plain text after the reply to STARTTLS");
          input_.clear();
          return;
        }
      }
    }
    input_.erase(0, start);
    if (input_.size() > kMaxInputLine)
      throw Error(ErrorKind::kProtocol,
                  "reply line longer than " + std::to_string(kMaxInputLine) + " bytes");
  } catch (const Error& e) {
    input_.clear();
    Step step = expects_.empty() ? Step::kQuit : expects_.front().step;
    Fail(step, FailureCategory::kProtocol, std::string("protocol violation: ") + e.what());
  }
}

void SmtpSession::HandleReply(const SmtpReply& reply, SteadyTime now) {
  if (expects_.empty()) {
    // A reply nobody asked for; an idle server sends 421 before it hangs up (§3.8).
    if (reply.code == 421) {
      state_ = State::kClosed;
      return;
    }
    Fail(Step::kQuit, FailureCategory::kProtocol,
         "protocol violation: unexpected reply \"" + reply.Text() + "\"");
    return;
  }
  Expect expect = expects_.front();
  expects_.pop_front();
  switch (expect.step) {
    case Step::kGreeting:
      if (reply.Class() == 2) {
        state_ = State::kHello;
        Command("EHLO " + options_.helo_name, Step::kEhlo, nullptr, now);
      } else if (reply.Class() == 3) {
        Fail(expect.step, FailureCategory::kProtocol,
             "protocol violation: unexpected reply \"" + reply.Text() + "\"");
      } else {
        // §3.1: a 554 greeting still expects QUIT; a 421 is closing already.
        SetupFailed(ToOutcome(reply), now, reply.Class() == 5);
      }
      return;
    case Step::kEhlo:
    case Step::kHelo:
      if (reply.Class() == 2) {
        if (expect.step == Step::kEhlo) ParseExtensions(reply);
        AfterHello(now);
      } else if (expect.step == Step::kEhlo && reply.Class() == 5) {
        // §4.1.4 / §3.2: a server that does not know EHLO gets the old HELO.
        Command("HELO " + options_.helo_name, Step::kHelo, nullptr, now);
      } else if (reply.Class() == 3) {
        Fail(expect.step, FailureCategory::kProtocol,
             "protocol violation: unexpected reply \"" + reply.Text() + "\"");
      } else {
        SetupFailed(ToOutcome(reply), now, reply.code != 421);
      }
      return;
    case Step::kStartTls:
      if (reply.code == 220) {
        tls_requested_ = true;
        state_ = State::kTls;
      } else if (options_.tls == TlsPolicy::kOpportunistic && reply.code != 421) {
        // A server that offers STARTTLS and then refuses it: plain text, as before.
        AfterHelloNoTls(now);
      } else {
        auto outcome = ToOutcome(reply);
        if (reply.code != 421) {
          outcome.status = DeliveryStatus::kTemporary;
          outcome.category = FailureCategory::kTlsFailure;
        }
        SetupFailed(std::move(outcome), now, reply.code != 421);
      }
      return;
    case Step::kAuthPlain:
    case Step::kAuthLoginDone:
      if (reply.Class() == 2) {
        authenticated_ = true;
        BecomeReady();
        return;
      }
      [[fallthrough]];
    case Step::kAuthLoginUser:
    case Step::kAuthLoginPassword:
      if (reply.code == 334 && expect.step == Step::kAuthLoginUser) {
        Command(Base64(options_.auth_user), Step::kAuthLoginPassword, nullptr, now);
      } else if (reply.code == 334 && expect.step == Step::kAuthLoginPassword) {
        Command(Base64(options_.auth_password), Step::kAuthLoginDone, nullptr, now);
      } else {
        // Wrong credentials are our configuration's fault, not the messages': keep
        // them queued (temporary) until someone fixes b2bmail.toml.
        auto outcome = ToOutcome(reply);
        if (reply.code != 421) {
          outcome.status = DeliveryStatus::kTemporary;
          outcome.category = FailureCategory::kAuthenticationRequired;
        }
        SetupFailed(std::move(outcome), now, reply.code != 421);
      }
      return;
    case Step::kQuit:
      state_ = State::kClosed;
      return;
    case Step::kRset:
      if (reply.Class() != 2) {
        Fail(expect.step,
             reply.code == 421 ? FailureCategory::kRateLimited : FailureCategory::kProtocol,
             "RSET refused: \"" + reply.Text() + "\"");
      }
      return;
    default:
      HandleTxnReply(expect, reply, now);
      return;
  }
}

void SmtpSession::HandleTxnReply(const Expect& expect, const SmtpReply& reply, SteadyTime now) {
  Txn& txn = *expect.txn;
  --txn.replies_due;
  auto unexpected = [&] {
    Fail(expect.step, FailureCategory::kProtocol,
         "protocol violation: unexpected reply \"" + reply.Text() + "\"");
  };
  switch (expect.step) {
    case Step::kMail:
    case Step::kRcpt:
      if (reply.Class() == 2) {
        if (expect.step == Step::kMail) txn.mail_accepted = true;
      } else if (reply.Class() == 3) {
        return unexpected();
      } else if (!txn.failed) {
        FailTxn(txn, ToOutcome(reply));
      }
      break;
    case Step::kData:
      if (reply.code == 354) {
        if (txn.failed) {
          // RFC 2920 §3.1: a server that accepts DATA after refusing the recipient
          // gets an empty message, which it must not deliver.
          Command(".", Step::kDataEndDiscard, &txn, now);
        } else {
          if (expects_.empty()) waiting_since_ = now;
          AppendWire(output_, txn.message.data);
          expects_.push_back({Step::kDataEnd, &txn});
          ++txn.replies_due;
          txn.body_sent = true;
        }
      } else if (reply.Class() == 2) {
        return unexpected();
      } else if (!txn.failed) {
        FailTxn(txn, ToOutcome(reply));
      }
      break;
    case Step::kDataEnd:
      if (reply.Class() == 3) return unexpected();
      txn.outcome = ToOutcome(reply);
      txn.failed = reply.Class() != 2;
      // Nothing more happens on this session (no next body goes out) until the driver
      // has made this outcome durable and calls Resume(): a crash then repeats at most
      // one message per session.
      paused_ = true;
      break;
    case Step::kDataEndDiscard:
      break;
    default:
      break;
  }
  // Without PIPELINING the next envelope command goes out now, or never when the
  // transaction already failed.
  while (!pending_.empty() && pending_.front().txn == &txn && txn.replies_due == 0) {
    PendingCommand next = std::move(pending_.front());
    pending_.pop_front();
    if (!txn.failed) Command(next.line, next.step, next.txn, now);
  }
  // §3.8: 421 means the server is closing the channel; what is in flight fails.
  if (reply.code == 421) {
    CompleteFinishedTxns();
    Fail(expect.step, FailureCategory::kRateLimited, "");
    return;
  }
  CompleteFinishedTxns();
}

void SmtpSession::FailTxn(Txn& txn, DeliveryOutcome outcome) {
  txn.failed = true;
  txn.outcome = std::move(outcome);
  // Without pipelining the rest of the envelope was never sent: nothing more comes.
}

void SmtpSession::CompleteFinishedTxns() {
  while (!txns_.empty() && txns_.front().replies_due == 0) {
    Txn& txn = txns_.front();
    if (txn.failed && !txn.body_sent) need_rset_ = true;
    completions_.push_back({txn.message.tag, std::move(txn.outcome), txn.mail_accepted});
    txns_.pop_front();
  }
}

void SmtpSession::ParseExtensions(const SmtpReply& ehlo) {
  extensions_.clear();
  size_limit_ = 0;
  auth_mechanisms_.clear();
  // Keywords of the EHLO reply, one per line after the first (§4.1.1.1).
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
    if (ehlo.lines[i].size() <= 4) continue;
    std::string_view rest = std::string_view(ehlo.lines[i]).substr(4);
    std::string_view keyword = rest.substr(0, rest.find(' '));
    std::string_view params =
        keyword.size() < rest.size() ? rest.substr(keyword.size() + 1) : std::string_view();
    std::string lower = base::AsciiLower(keyword);
    if (lower == "size" && !params.empty()) {
      std::from_chars(params.data(), params.data() + params.size(), size_limit_);
    } else if (lower == "auth") {
      auth_mechanisms_ = " " + Upper(params) + " ";
    }
    extensions_.insert(std::move(lower));
  }
}

void SmtpSession::AfterHello(SteadyTime now) {
  if (!tls_active_ && options_.tls != TlsPolicy::kNone && Has("starttls")) {
    Command("STARTTLS", Step::kStartTls, nullptr, now);
    return;
  }
  AfterHelloNoTls(now);
}

void SmtpSession::AfterHelloNoTls(SteadyTime now) {
  if (!tls_active_ && (options_.tls == TlsPolicy::kRequire || options_.tls == TlsPolicy::kVerify)) {
    SetupFailed(
        Local(DeliveryStatus::kTemporary, FailureCategory::kTlsFailure,
              "STARTTLS: the route requires TLS and the server does not offer it (" + where_ + ")"),
        now, true);
    return;
  }
  if (!options_.auth_user.empty() && !authenticated_) {
    StartAuth(now);
    return;
  }
  BecomeReady();
}

void SmtpSession::StartAuth(SteadyTime now) {
  state_ = State::kAuth;
  if (auth_mechanisms_.find(" PLAIN ") != std::string::npos) {
    // RFC 4616: authzid NUL authcid NUL passwd.
    std::string token = std::string(1, '\0') + options_.auth_user + '\0' + options_.auth_password;
    Command("AUTH PLAIN " + Base64(token), Step::kAuthPlain, nullptr, now);
  } else if (auth_mechanisms_.find(" LOGIN ") != std::string::npos) {
    Command("AUTH LOGIN", Step::kAuthLoginUser, nullptr, now);
  } else {
    SetupFailed(Local(DeliveryStatus::kTemporary, FailureCategory::kAuthenticationRequired,
                      "AUTH: credentials are configured and the server offers neither AUTH "
                      "PLAIN nor LOGIN" +
                          std::string(tls_active_ ? "" : " (some only offer AUTH after STARTTLS)") +
                          " (" + where_ + ")"),
                now, true);
  }
}

void SmtpSession::BecomeReady() { state_ = State::kReady; }

void SmtpSession::OnTlsUp(SteadyTime now) {
  tls_requested_ = false;
  tls_active_ = true;
  // RFC 3207 §4.2: forget everything learnt before TLS and say EHLO again.
  extensions_.clear();
  assembler_.Reset();
  state_ = State::kHello;
  Command("EHLO " + options_.helo_name, Step::kEhlo, nullptr, now);
}

void SmtpSession::OnTlsFailed(const std::string& why, SteadyTime now) {
  tls_requested_ = false;
  tls_handshake_failed_ = true;
  expects_.clear();
  SetupFailed(Local(DeliveryStatus::kTemporary, FailureCategory::kTlsFailure,
                    "STARTTLS: " + why + " (" + where_ + ")"),
              now, false);
}

void SmtpSession::OnDisconnected(const std::string& why, bool timed_out, SteadyTime now) {
  (void)now;
  if (state_ == State::kClosed) return;
  if (state_ == State::kQuitting) {
    state_ = State::kClosed;
    return;
  }
  Step step =
      expects_.empty() ? (txns_.empty() ? Step::kQuit : Step::kDataEnd) : expects_.front().step;
  if (state_ == State::kConnecting) {
    setup_failure_ = Local(DeliveryStatus::kTemporary, FailureCategory::kNetwork,
                           "connect: " + why + " (" + where_ + ")");
    state_ = State::kClosed;
    return;
  }
  // A reply that was due but never came; a body still being written fails in
  // "message data".
  if (!txns_.empty() && expects_.empty()) step = Step::kDataEnd;
  std::string what = why;
  if (timed_out)
    what = "timed out after " + std::to_string(options_.timeouts.data_block.count()) + " ms";
  Fail(step, FailureCategory::kNetwork, what);
}

void SmtpSession::OnTimeout(SteadyTime now) {
  auto due = deadline();
  if (!due || now < *due) return;
  Step step = expects_.front().step;
  Fail(step, FailureCategory::kNetwork,
       "timed out after " + std::to_string(TimeoutFor(step).count()) + " ms");
}

void SmtpSession::SetupFailed(DeliveryOutcome outcome, SteadyTime now, bool send_quit) {
  setup_failure_ = std::move(outcome);
  expects_.clear();
  if (send_quit) {
    Command("QUIT", Step::kQuit, nullptr, now);
    state_ = State::kQuitting;
  } else {
    state_ = State::kClosed;
  }
}

// Ends the session after a failure; everything in flight completes with it.
// `what` empty: the failure is the reply already recorded in the transaction (421).
void SmtpSession::Fail(Step step, FailureCategory category, const std::string& what) {
  bool before_ready = state_ < State::kReady;
  std::string text = std::string(StepName(step)) + ": " + what + " (" + where_ + ")";
  DeliveryOutcome outcome = Local(DeliveryStatus::kTemporary, category, text);
  state_ = State::kClosed;
  expects_.clear();
  pending_.clear();
  tls_requested_ = false;
  if (before_ready && !what.empty() && !setup_failure_) setup_failure_ = outcome;
  for (Txn& txn : txns_) {
    DeliveryOutcome result = txn.failed && txn.outcome.reply_code != 0 ? txn.outcome : outcome;
    if (what.empty() && !txn.failed) {
      result = Local(
          DeliveryStatus::kTemporary, FailureCategory::kRateLimited,
          std::string(StepName(step)) + ": the server closed the session (421) (" + where_ + ")");
    }
    completions_.push_back({txn.message.tag, std::move(result), txn.mail_accepted});
  }
  txns_.clear();
}

bool SmtpSession::CanStart() const {
  if (state_ != State::kReady) return false;
  if (txns_.empty()) return true;
  return pipelining() && txns_.size() == 1 && txns_.back().body_sent;
}

void SmtpSession::Start(const SessionMessage& message, SteadyTime now) {
  ++transactions_;
  Txn& txn = txns_.emplace_back();
  txn.message = message;
  auto local = [&](DeliveryStatus status, FailureCategory category, std::string text) {
    txn.failed = true;
    txn.outcome = Local(status, category, std::move(text));
    CompleteFinishedTxns();
  };
  if (auto bad = CheckEnvelope(message.sender, message.recipient)) {
    txn.failed = true;
    txn.outcome = std::move(*bad);
    CompleteFinishedTxns();
    return;
  }
  bool utf8_envelope = !IsAscii(message.sender) || !IsAscii(message.recipient);
  if (utf8_envelope && !Has("smtputf8")) {
    // RFC 6531 §3.2: without SMTPUTF8 the address cannot be sent at all.
    return local(DeliveryStatus::kPermanent, FailureCategory::kProtocol,
                 "MAIL FROM: non-ASCII envelope address and the server does not offer "
                 "SMTPUTF8 (" +
                     where_ + ")");
  }
  // The wire size is close to the data size; RFC 1870 asks for an estimate.
  std::size_t size = message.data.size() + message.data.size() / 32 + 5;
  if (size_limit_ > 0 && size > size_limit_) {
    return local(DeliveryStatus::kPermanent, FailureCategory::kMessageTooBig,
                 "MAIL FROM: the message (about " + std::to_string(size) +
                     " bytes) exceeds the server's SIZE limit of " + std::to_string(size_limit_) +
                     " (" + where_ + ")");
  }
  if (need_rset_) {
    need_rset_ = false;
    Command("RSET", Step::kRset, nullptr, now);
  }
  std::string mail = "MAIL FROM:<" + std::string(message.sender) + ">";
  if (Has("size")) mail += " SIZE=" + std::to_string(size);
  if (Has("8bitmime") && !IsAscii(message.data)) mail += " BODY=8BITMIME";
  if (Has("smtputf8") && (utf8_envelope || !IsAscii(HeaderSection(message.data))))
    mail += " SMTPUTF8";
  std::string rcpt = "RCPT TO:<" + std::string(message.recipient) + ">";
  if (pipelining()) {
    Command(mail, Step::kMail, &txn, now);
    Command(rcpt, Step::kRcpt, &txn, now);
    Command("DATA", Step::kData, &txn, now);
  } else {
    pending_.push_back({rcpt, Step::kRcpt, &txn});
    pending_.push_back({"DATA", Step::kData, &txn});
    Command(mail, Step::kMail, &txn, now);
  }
}

void SmtpSession::Quit(SteadyTime now) {
  if (state_ == State::kClosed || state_ == State::kQuitting) return;
  if (state_ == State::kConnecting || tls_requested_) {
    state_ = State::kClosed;
    return;
  }
  for (Txn& txn : txns_) {
    completions_.push_back({txn.message.tag,
                            Local(DeliveryStatus::kTemporary, FailureCategory::kNetwork,
                                  "the session was closed before the reply (" + where_ + ")"),
                            txn.mail_accepted});
  }
  txns_.clear();
  expects_.clear();
  pending_.clear();
  Command("QUIT", Step::kQuit, nullptr, now);
  state_ = State::kQuitting;
}

std::vector<SessionCompletion> SmtpSession::TakeCompletions() {
  std::vector<SessionCompletion> out;
  out.swap(completions_);
  return out;
}

}  // namespace b2bmail::smtp
