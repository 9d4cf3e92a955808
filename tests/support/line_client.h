#pragma once
// A bare TCP client for driving a server by hand in tests (plain POSIX sockets, so a
// test sees exactly the bytes on the wire), and a way to find a port nobody listens on.

#include <chrono>
#include <string>

namespace b2bmail::testing {

class LineClient {
 public:
  // Connects to 127.0.0.1:`port`. Throws std::runtime_error.
  explicit LineClient(int port);
  // Connects to `host` (an IPv4 address such as "127.0.0.2"):`port`.
  LineClient(const std::string& host, int port);
  ~LineClient();
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;

  // Sends all of `bytes`. Throws std::runtime_error.
  void Send(const std::string& bytes);
  // The next line without CRLF. Throws std::runtime_error on timeout or EOF.
  std::string ReadLine(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // An SMTP reply: lines up to the one with a space after the code, joined by "\n".
  std::string ReadReply(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the server closed the connection (EOF) within `timeout`.
  bool ClosedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  int fd_ = -1;
  std::string buffer_;
};

// A port on 127.0.0.1 that was free a moment ago (bound, read, closed).
int UnusedLocalPort();

}  // namespace b2bmail::testing
