#include "socket_channel.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <sys/socket.h>

#include <algorithm>

namespace b2bmail::smtp {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kWriteChunk = 64 * 1024;
// How often a wait looks at the stop flag.
constexpr auto kStopPollInterval = std::chrono::milliseconds(100);

Poco::Timespan ToTimespan(std::chrono::steady_clock::duration d) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return Poco::Timespan(std::max<std::int64_t>(us, 1));
}

}  // namespace

SocketChannel::SocketChannel(const Poco::Net::StreamSocket& socket, const std::atomic<bool>* stop)
    : socket_(socket), stop_(stop) {}

std::string SocketChannel::ReadLine(Deadline deadline, std::size_t max_length) {
  for (;;) {
    auto lf = buffer_.find('\n', start_ + scanned_);
    if (lf != std::string::npos && lf + 1 - start_ <= max_length) {
      std::string line = buffer_.substr(start_, lf + 1 - start_);
      start_ = lf + 1;
      scanned_ = 0;
      return line;
    }
    if (lf != std::string::npos || buffer_.size() - start_ >= max_length) {
      throw Error(ErrorKind::kProtocol,
                  "line longer than " + std::to_string(max_length) + " bytes");
    }
    scanned_ = buffer_.size() - start_;
    Fill(deadline);
  }
}

void SocketChannel::Fill(Deadline deadline) {
  // Drop consumed bytes so the buffer holds at most one partial line plus a chunk.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  try {
    for (;;) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) throw TimeoutError("timed out waiting for data");
      auto wait = deadline - now;
      if (stop_) wait = std::min<std::chrono::steady_clock::duration>(wait, kStopPollInterval);
      if (socket_.poll(ToTimespan(wait), Poco::Net::Socket::SELECT_READ)) break;
      if (stop_ && stop_->load()) throw Error(ErrorKind::kNetwork, "server is stopping");
    }
    char chunk[kReadChunk];
    int n = socket_.receiveBytes(chunk, static_cast<int>(sizeof chunk));
    if (n <= 0) throw Error(ErrorKind::kNetwork, "connection closed by peer");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("timed out waiting for data");
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kNetwork, e.displayText());
  }
}

void SocketChannel::WriteAll(std::string_view data, Deadline deadline) {
  try {
    while (!data.empty()) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) throw TimeoutError("timed out sending data");
      // SO_SNDTIMEO bounds a blocking send that the peer does not drain.
      socket_.setSendTimeout(ToTimespan(deadline - now));
      auto len = static_cast<int>(std::min(data.size(), kWriteChunk));
      // MSG_NOSIGNAL: a peer that went away must be an error value, not SIGPIPE.
      int n = socket_.sendBytes(data.data(), len, MSG_NOSIGNAL);
      if (n <= 0) throw Error(ErrorKind::kNetwork, "connection closed while sending");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    throw TimeoutError("timed out sending data");
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kNetwork, e.displayText());
  }
}

void SocketChannel::Close() {
  try {
    socket_.close();
  } catch (...) {
    // Closing is best effort; the descriptor is released either way.
  }
}

}  // namespace b2bmail::smtp
