#pragma once
// A child process for tests (a scripted server), with its stdout readable line by line.
// The child is sent SIGTERM and reaped when the object dies.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace b2bmail::testing {

class ChildProcess {
 public:
  // Starts argv[0] (an absolute path) with `argv`; stderr is inherited. Throws
  // std::runtime_error when the process cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of the child's stdout without its newline. Throws std::runtime_error
  // when none arrives within `timeout` or the child closes stdout.
  std::string ReadLine(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
};

}  // namespace b2bmail::testing
