#include "connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace b2bmail::smtp {
namespace {

// A temporary failure of the session or its network, for which another session may
// do better: the server dropped or timed out a reused session, or said 421.
bool WorthAFreshSession(const SessionCompletion& completion) {
  return !completion.mail_accepted && completion.outcome.status == DeliveryStatus::kTemporary &&
         (completion.outcome.category == FailureCategory::kNetwork ||
          completion.outcome.reply_code == 421 || completion.outcome.reply_code == 0);
}

}  // namespace

Connection::Connection(EventLoop& loop, const TlsContexts& tls, ConnectionListener& listener,
                       ConnectionOptions options, std::vector<Endpoint> candidates,
                       std::uint64_t id)
    : loop_(loop),
      tls_contexts_(tls),
      listener_(listener),
      options_(std::move(options)),
      candidates_(std::move(candidates)),
      id_(id) {}

Connection::~Connection() {
  loop_.SetDeadline(this, std::nullopt);
  CloseSocket();
}

std::string Connection::Where() const {
  const Endpoint& e = candidates_[candidate_];
  std::string address =
      e.address.find(':') != std::string::npos ? "[" + e.address + "]" : e.address;
  if (e.host.empty() || e.host == e.address) return address + ":" + std::to_string(e.port);
  return e.host + "[" + e.address + "]:" + std::to_string(e.port);
}

void Connection::Send(const SessionMessage& message) {
  waiting_.push_back({message, false});
  ready_reported_ = false;  // the next Pump reports again if it can take more at once
}

void Connection::Open(SteadyTime now) {
  Connect(now);
  Pump(now);
}

void Connection::Resume(SteadyTime now) {
  if (closed_ || !session_) return;
  session_->Resume(now);
  Pump(now);
}

void Connection::Quit(SteadyTime now) {
  quitting_ = true;
  Pump(now);
}

bool Connection::CanTake() const {
  return !closed_ && !quitting_ && waiting_.empty() && session_ && session_->CanStart() &&
         transactions_ < options_.max_messages;
}

void Connection::CloseSocket() {
  if (fd_ >= 0) {
    loop_.Forget(fd_);
    close(fd_);
    fd_ = -1;
  }
  interest_ = 0;
  write_buffer_.clear();
  write_offset_ = 0;
}

void Connection::Connect(SteadyTime now) {
  CloseSocket();
  tls_.reset();
  SessionOptions session_options = options_.session;
  if (plain_text_only_) session_options.tls = TlsPolicy::kNone;
  session_ = std::make_unique<SmtpSession>(session_options, Where());
  completed_on_session_ = 0;
  transactions_ = 0;
  phase_ = Phase::kConnecting;
  phase_started_ = now;

  const Endpoint& e = candidates_[candidate_];
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, e.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(e.port));
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, e.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(e.port));
    length = sizeof *v6;
  } else {
    session_->OnDisconnected("not a numeric address: \"" + e.address + "\"", false, now);
    return;
  }
  fd_ = socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    session_->OnDisconnected(std::strerror(errno), false, now);
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0 && errno != EINPROGRESS) {
    int error = errno;
    CloseSocket();
    session_->OnDisconnected(std::strerror(error), false, now);
    return;
  }
  interest_ = EPOLLOUT;
  loop_.Watch(fd_, interest_, this);
}

void Connection::OnEvents(std::uint32_t events, SteadyTime now) {
  if (phase_ == Phase::kConnecting) {
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
      int error = 0;
      socklen_t size = sizeof error;
      getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) {
        CloseSocket();
        session_->OnDisconnected(std::strerror(error), false, now);
      } else {
        phase_ = Phase::kConnected;
        session_->OnConnected(now);
      }
    }
    Pump(now);
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ReadSocket(now);
  Pump(now);
}

void Connection::ReadSocket(SteadyTime now) {
  if (fd_ < 0) return;
  char buffer[65536];
  std::string plain;
  bool ended = false;
  std::string why;
  for (;;) {
    ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      if (tls_) {
        tls_->FeedCiphertext({buffer, static_cast<std::size_t>(n)});
      } else {
        session_->OnInput({buffer, static_cast<std::size_t>(n)}, now);
        // After "220" to STARTTLS the rest is TLS; the session has stopped reading.
        if (session_->tls_requested() || session_->finished()) break;
      }
      continue;
    }
    if (n == 0) {
      ended = true;
      why = "the server closed the connection";
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      ended = true;
      why = std::strerror(errno);
    }
    break;
  }
  if (tls_ && phase_ == Phase::kConnected) {
    if (!tls_->ReadPlaintext(plain)) {
      if (!plain.empty()) session_->OnInput(plain, now);
      plain.clear();
      ended = true;
      why = "TLS: " + tls_->error();
    }
    if (!plain.empty()) session_->OnInput(plain, now);
  }
  if (ended) {
    // The reply may have come with the close: it was handled above.
    CloseSocket();
    session_->OnDisconnected(why, false, now);
  }
}

bool Connection::WriteSocket(SteadyTime now) {
  while (fd_ >= 0 && write_offset_ < write_buffer_.size()) {
    ssize_t n = send(fd_, write_buffer_.data() + write_offset_,
                     write_buffer_.size() - write_offset_, MSG_NOSIGNAL);
    if (n > 0) {
      write_offset_ += static_cast<std::size_t>(n);
      last_write_progress_ = now;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
    int error = errno;
    CloseSocket();
    session_->OnDisconnected(std::strerror(error), false, now);
    return false;
  }
  if (write_offset_ == write_buffer_.size()) {
    write_buffer_.clear();
    write_offset_ = 0;
  }
  return true;
}

void Connection::Pump(SteadyTime now, bool flush) {
  for (int round = 0; round < 64 && !closed_; ++round) {
    bool progressed = false;
    if (session_->tls_requested() && !tls_ && phase_ == Phase::kConnected) {
      bool verify = options_.session.tls == TlsPolicy::kVerify;
      try {
        tls_ = std::make_unique<TlsLayer>(tls_contexts_.Get(verify), endpoint().host, verify);
        phase_ = Phase::kHandshaking;
        phase_started_ = now;
      } catch (const std::exception& e) {
        session_->OnTlsFailed(e.what(), now);
      }
    }
    if (phase_ == Phase::kHandshaking) {
      auto status = tls_->Handshake();
      tls_->TakeCiphertext(write_buffer_);
      if (status == TlsLayer::Status::kEstablished) {
        phase_ = Phase::kConnected;
        session_->OnTlsUp(now);
        std::string plain;
        if (tls_->ReadPlaintext(plain) && !plain.empty()) session_->OnInput(plain, now);
        progressed = true;
      } else if (status == TlsLayer::Status::kFailed) {
        phase_ = Phase::kConnected;
        session_->OnTlsFailed(tls_->error(), now);
        progressed = true;
      }
    }
    while (!waiting_.empty() && session_->CanStart() && transactions_ < options_.max_messages) {
      Waiting next = waiting_.front();
      waiting_.pop_front();
      next.behind_another = !in_flight_.empty();
      in_flight_.push_back(next);
      ++transactions_;
      session_->Start(next.message, now);
      progressed = true;
    }
    if (session_->Idle() && waiting_.empty() && !session_->finished() &&
        (quitting_ || transactions_ >= options_.max_messages)) {
      session_->Quit(now);
      progressed = true;
    }
    if (!session_->output().empty()) {
      if (tls_ && session_->tls_active()) {
        if (!tls_->WritePlaintext(session_->output()))
          session_->OnDisconnected("TLS: " + tls_->error(), false, now);
        tls_->TakeCiphertext(write_buffer_);
      } else {
        write_buffer_ += session_->output();
      }
      session_->output().clear();
      progressed = true;
    }
    // Write first: a failed write ends the session and completes what was in flight.
    bool cork = !flush && options_.cork_for_next && !write_buffer_.empty() && waiting_.empty() &&
                !quitting_ && transactions_ < options_.max_messages && session_->CanStart() &&
                !session_->Idle();
    if (cork) {
      last_write_progress_ = now;  // the stall timer counts from here
    } else if (!WriteSocket(now)) {
      progressed = true;
    }
    for (auto& completion : session_->TakeCompletions()) {
      progressed = true;
      auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                             [&](const Waiting& w) { return w.message.tag == completion.tag; });
      bool found = it != in_flight_.end();
      Waiting started = found ? *it : Waiting{};
      if (found) in_flight_.erase(it);
      if (completion.outcome.status == DeliveryStatus::kDelivered ||
          completion.outcome.reply_code != 0)
        ++completed_on_session_;
      // A session that worked before and died before taking this message (the server
      // timed it out while idle, or closed it after its quota), or a message pipelined
      // behind another whose failure took the session down: once more, fresh.
      if (WorthAFreshSession(completion) && (completed_on_session_ > 0 || started.behind_another) &&
          !started.retried && found && !quitting_) {
        started.retried = true;
        waiting_.push_front(started);
        continue;
      }
      listener_.OnCompletion(*this, std::move(completion));
    }
    if (session_->finished() && (write_buffer_.empty() || fd_ < 0)) {
      AfterSessionEnded(now);
      progressed = true;
    }
    if (!progressed) break;
  }
  if (closed_) return;
  bool idle = session_->Idle() && waiting_.empty();
  if (idle && !was_idle_) idle_since_ = now;
  was_idle_ = idle;
  bool can = CanTake();
  if (can && !ready_reported_) {
    ready_reported_ = true;
    listener_.OnReady(*this);
  }
  if (!can) ready_reported_ = false;
  UpdateInterest(now);
}

void Connection::AfterSessionEnded(SteadyTime now) {
  CloseSocket();
  // Every started message must come back with an outcome, whatever ended the session.
  for (auto& completion : session_->TakeCompletions()) {
    auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                           [&](const Waiting& w) { return w.message.tag == completion.tag; });
    if (it != in_flight_.end()) in_flight_.erase(it);
    listener_.OnCompletion(*this, std::move(completion));
  }
  std::deque<Waiting> lost;
  lost.swap(in_flight_);
  for (auto& w : lost) {
    DeliveryOutcome outcome;
    outcome.category = FailureCategory::kNetwork;
    outcome.text = "the session ended before the reply (" + Where() + ")";
    listener_.OnCompletion(*this, {w.message.tag, std::move(outcome), false});
  }
  const auto& failure = session_->setup_failure();
  // Messages the session never got to (the first one waits until the session is ready).
  if (failure && !waiting_.empty()) {
    bool opportunistic = options_.session.tls == TlsPolicy::kOpportunistic;
    if (session_->tls_handshake_failed() && opportunistic && !plain_text_only_) {
      plain_text_only_ = true;  // RFC 7435: plain text rather than nothing
      Connect(now);
      return;
    }
    if (failure->status == DeliveryStatus::kTemporary && candidate_ + 1 < candidates_.size()) {
      ++candidate_;  // §5.1: the next MX host, or the next address of this one
      plain_text_only_ = false;
      Connect(now);
      return;
    }
    DeliveryOutcome outcome = *failure;
    std::deque<Waiting> failed;
    failed.swap(waiting_);
    for (auto& w : failed) listener_.OnCompletion(*this, {w.message.tag, outcome, false});
  } else if (!waiting_.empty()) {
    // The session ended after work (a 421, a drop) with messages put back for one
    // more try: a fresh session to the same host.
    Connect(now);
    return;
  }
  phase_ = Phase::kClosed;
  closed_ = true;
  loop_.SetDeadline(this, std::nullopt);
  listener_.OnClosed(*this);
}

void Connection::UpdateInterest(SteadyTime now) {
  (void)now;
  if (fd_ >= 0) {
    std::uint32_t want = phase_ == Phase::kConnecting ? EPOLLOUT : EPOLLIN;
    if (!write_buffer_.empty()) want |= EPOLLOUT;
    if (want != interest_) {
      loop_.Change(fd_, want, this);
      interest_ = want;
    }
  }
  const auto& t = options_.session.timeouts;
  std::optional<SteadyTime> deadline;
  auto consider = [&](SteadyTime at) {
    if (!deadline || at < *deadline) deadline = at;
  };
  if (phase_ == Phase::kConnecting) consider(phase_started_ + t.connect);
  if (phase_ == Phase::kHandshaking) consider(phase_started_ + t.tls_handshake);
  if (auto due = session_->deadline()) consider(*due);
  if (!write_buffer_.empty()) consider(last_write_progress_ + t.data_block);
  if (was_idle_) consider(idle_since_ + t.idle);
  loop_.SetDeadline(this, deadline);
}

void Connection::OnDeadline(SteadyTime now) {
  const auto& t = options_.session.timeouts;
  auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; };
  if (phase_ == Phase::kConnecting && now >= phase_started_ + t.connect) {
    CloseSocket();
    session_->OnDisconnected("timed out after " + ms(t.connect), false, now);
  } else if (phase_ == Phase::kHandshaking && now >= phase_started_ + t.tls_handshake) {
    phase_ = Phase::kConnected;
    session_->OnTlsFailed("handshake timed out after " + ms(t.tls_handshake), now);
  } else if (!write_buffer_.empty() && now >= last_write_progress_ + t.data_block) {
    CloseSocket();
    session_->OnDisconnected("", true, now);
  } else if (was_idle_ && now >= idle_since_ + t.idle) {
    quitting_ = true;
  } else {
    session_->OnTimeout(now);
  }
  Pump(now);
}

}  // namespace b2bmail::smtp
