#pragma once
// tests/support/scripted_smtp_server.py as a child process: a real SMTP server
// (aiosmtpd) on 127.0.0.1 that fails on purpose by recipient; see the script for the
// recipients and modes.

#include <string>
#include <vector>

#include "support/child_process.h"

namespace b2bmail::testing {

class ScriptedSmtpServer {
 public:
  // Starts /usr/bin/python3 with the script and `args` (e.g. {"--no-ehlo"}) and waits
  // for the port it prints. Throws std::runtime_error when it does not start.
  explicit ScriptedSmtpServer(const std::vector<std::string>& args = {});

  int port() const { return port_; }
  ChildProcess& process() { return process_; }

 private:
  ChildProcess process_;
  int port_ = 0;
};

}  // namespace b2bmail::testing
