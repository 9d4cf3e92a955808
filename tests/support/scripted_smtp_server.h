#pragma once
// tests/support/scripted_smtp_server.py as a child process: a real SMTP server
// (aiosmtpd) on loopback that fails on purpose by recipient; see the script's docstring
// for the recipients, the modes (--starttls, --auth, --no-pipelining, --stall-greeting,
// --max-message-size, --listen, --log, ...) and the event log format.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace b2bmail::testing {

class TempDir;

class ScriptedSmtpServer {
 public:
  struct Listener {
    std::string host;  // e.g. "127.0.0.2"
    int port = 0;
  };

  // One line of the --log file: "<time> <client ip> <EVENT> [args...] via=<addr>:<port>
  // conn=<n>".
  struct Event {
    double time = 0;                // Unix time, seconds
    std::string client_ip;          // the client's source address
    std::string name;               // CONNECT, GREETING, STARTTLS, AUTH, MAIL, RCPT, DATA,
                                    // DELIVERED, QUIT, CLOSE
    std::vector<std::string> args;  // e.g. {"ok@example.com", "10460"} for DELIVERED
    std::string via;                // the listener, "127.0.0.2:40123"
    int conn = 0;                   // connection number within the server process, from 1
  };

  struct Certificate {
    std::string cert;  // PEM certificate path
    std::string key;   // PEM private key path (unencrypted)
  };

  // Starts /usr/bin/python3 with the script and `args` (e.g. {"--no-ehlo"}) and waits
  // until it has printed every listener and READY. Throws std::runtime_error when it
  // does not start.
  explicit ScriptedSmtpServer(const std::vector<std::string>& args = {});

  // The first (often only) listener.
  int port() const { return listeners_.front().port; }
  const std::string& host() const { return listeners_.front().host; }
  // Every listener, in the order of --host / --listen.
  const std::vector<Listener>& listeners() const { return listeners_; }
  ChildProcess& process() { return process_; }

  // The --log FILE given in `args`, or "" when there is none.
  const std::string& log_path() const { return log_path_; }
  // The events logged so far (the server writes each line at once). Throws
  // std::runtime_error when the server was started without --log.
  std::vector<Event> ReadLog() const;
  // Rereads the log every 20 ms until `done(events)` holds and returns those events.
  // Throws std::runtime_error after `timeout`.
  std::vector<Event> ReadLogUntil(
      const std::function<bool(const std::vector<Event>&)>& done,
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  // Writes a self-signed certificate (CN=localhost, SANs localhost and 127.0.0.1-16) and
  // its key into `dir` with tests/support/make_test_cert.sh, for
  // {"--starttls", c.cert, c.key}. Throws std::runtime_error when openssl fails.
  static Certificate MakeTestCertificate(const TempDir& dir);

 private:
  ChildProcess process_;
  std::vector<Listener> listeners_;
  std::string log_path_;
};

// Parses one line of a --log file. Throws std::runtime_error on a malformed line.
ScriptedSmtpServer::Event ParseScriptedSmtpEvent(const std::string& line);

}  // namespace b2bmail::testing
