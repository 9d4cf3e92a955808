#pragma once
// Runs a shell command and captures its standard output (tests only).

#include <string>

namespace b2bmail::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // standard output
};

CommandResult RunCommand(const std::string& command);

// Single-quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

}  // namespace b2bmail::testing
