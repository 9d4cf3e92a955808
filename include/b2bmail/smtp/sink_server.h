#pragma once
// A small capturing SMTP server: the server side of RFC 5321 (§4.1 commands, §4.2
// replies with RFC 3463 enhanced codes, §4.5.2 transparency) with the RFC 1870 SIZE,
// RFC 6152 8BITMIME, RFC 2920 PIPELINING, RFC 6531 SMTPUTF8 and RFC 2034
// ENHANCEDSTATUSCODES extensions. Every accepted message is written to a Maildir
// (https://cr.yp.to/proto/maildir.html), one file per recipient.
//
// It is the embedded default relay for `make demo` and the tests; it relays nothing.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace b2bmail::smtp {

struct SinkOptions {
  std::string address = "127.0.0.1";   // interface to listen on
  int port = 0;                        // 0 = an ephemeral port, see SinkServer::port()
  std::string maildir;                 // Maildir root (tmp/, new/, cur/ created); empty = discard
  std::string hostname = "localhost";  // named in the greeting, EHLO reply and file names
  std::int64_t max_message_bytes = 50 * 1024 * 1024;  // larger messages get 552
  // How long a client may stay silent (§4.5.3.2.7: at least 5 minutes).
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
  int max_connections = 16;  // sessions served at once; more wait in the accept queue
};

// Thread safety: Start/Stop from one thread; the counters may be read from any thread.
class SinkServer {
 public:
  explicit SinkServer(SinkOptions options);
  // Stops the server if it is running.
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  // Creates the Maildir, binds and starts accepting. Throws Error{kIo} when the
  // Maildir cannot be created and Error{kNetwork} when the address cannot be bound.
  // REQUIRES: not started.
  void Start();
  // Stops accepting, ends open sessions (within ~0.5 s) and waits for them.
  // Idempotent.
  void Stop();

  // The bound port (the ephemeral one when options.port was 0). REQUIRES: started.
  int port() const;
  // Messages accepted with 250 after DATA (one per transaction, however many recipients).
  std::int64_t messages_received() const;
  // TCP connections accepted so far.
  std::int64_t connections_accepted() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace b2bmail::smtp
