#pragma once
// Buffered line I/O over a Poco StreamSocket with deadlines, shared by the SMTP client
// and the sink server. RFC 5321 §2.3.8: lines end in CRLF; ReadLine splits at LF and
// hands the terminator back so callers can insist on CRLF where it matters.

#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {

using Deadline = std::chrono::steady_clock::time_point;

inline Deadline DeadlineAfter(std::chrono::milliseconds timeout) {
  return std::chrono::steady_clock::now() + timeout;
}

// A wait ran past its deadline; kNetwork, told apart so messages can say "timed out".
class TimeoutError : public Error {
 public:
  explicit TimeoutError(const std::string& message) : Error(ErrorKind::kNetwork, message) {}
};

// Owns one connected socket. Not thread-safe.
class SocketChannel {
 public:
  // `stop`, when given, is polled at least every 100 ms while waiting for input, and a
  // wait ends with Error{kNetwork} once it is set (the server is shutting down).
  explicit SocketChannel(const Poco::Net::StreamSocket& socket,
                         const std::atomic<bool>* stop = nullptr);

  // The next line including its LF (or CRLF). Throws TimeoutError after `deadline`,
  // Error{kNetwork} when the peer closes or resets the connection, and
  // Error{kProtocol} when the line (terminator included) is longer than `max_length`.
  std::string ReadLine(Deadline deadline, std::size_t max_length);

  // Writes all of `data`. Throws TimeoutError after `deadline` and Error{kNetwork}
  // when the connection fails.
  void WriteAll(std::string_view data, Deadline deadline);

  // Closes the socket; never throws.
  void Close();

 private:
  void Fill(Deadline deadline);

  Poco::Net::StreamSocket socket_;
  const std::atomic<bool>* stop_;
  std::string buffer_;
  std::size_t start_ = 0;    // first unread byte in buffer_
  std::size_t scanned_ = 0;  // bytes after start_ known to hold no LF
};

}  // namespace b2bmail::smtp
