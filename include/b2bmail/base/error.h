#pragma once
// Environment and contract failures (ARCHITECTURE.md, Errors rule 3): I/O, database,
// network, a peer breaking a protocol, bad configuration. Expected bad input is
// reported as base::Diagnostics instead and never thrown.

#include <stdexcept>
#include <string>
#include <string_view>

namespace b2bmail {

// What went wrong, coarse enough for the CLI to pick an exit code and for the
// sender to decide that a failure is temporary.
enum class ErrorKind {
  kIo,        // a file or directory could not be read or written
  kDatabase,  // the store failed (open, migrate, query)
  kNetwork,   // a socket failed or timed out
  kProtocol,  // a peer broke the protocol it claims to speak
  kConfig,    // configuration is missing or invalid
  kUsage,     // the caller asked for something that cannot be done (unknown id, bad flag)
  kInternal,  // a bug: an invariant did not hold
};

// Name of a kind, for messages ("io", "database", ...).
std::string_view ToString(ErrorKind kind);

// Base of every exception b2bmail throws. Thread-safe to copy; carries a kind and
// one human-readable line (no trailing newline).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace b2bmail
