#pragma once
// Reads one '\n'-terminated line from a file descriptor (a pipe or a socket), keeping
// what follows in `buffer` for the next call. Used by ChildProcess and LineClient.

#include <chrono>
#include <string>

namespace b2bmail::testing {

// Returns the line without its '\n'. Throws std::runtime_error naming `what` when no
// line arrives within `timeout` or the other side closes first.
std::string ReadLineFrom(int fd, std::string& buffer, std::chrono::milliseconds timeout,
                         const std::string& what);

}  // namespace b2bmail::testing
