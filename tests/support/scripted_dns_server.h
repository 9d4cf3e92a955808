#pragma once
// tests/support/dns_server.py as a child process: a real DNS server on 127.0.0.1 that
// answers MX, A and AAAA queries from the records it is given, and logs every query so
// that a test can tell a cache hit from a lookup. See the script for the record syntax
// and the names that fail on purpose (servfail.*, timeout.*).

#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace b2bmail::testing {

class ScriptedDnsServer {
 public:
  // Starts /usr/bin/python3 with the script, `flags` (e.g. {"--ttl", "60"}) and
  // `records` (e.g. {"example.test MX 10 mx1.example.test"}), and waits for the port it
  // prints. Throws std::runtime_error when it does not start.
  explicit ScriptedDnsServer(const std::vector<std::string>& records,
                             const std::vector<std::string>& flags = {});

  // "127.0.0.1:<port>", the form resolver options take.
  std::string nameserver() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  // The queries received so far, one "NAME TYPE" each (e.g. "example.test MX"), oldest
  // first.
  std::vector<std::string> Queries() const;

 private:
  TempDir dir_;
  ChildProcess process_;
  int port_ = 0;
};

}  // namespace b2bmail::testing
