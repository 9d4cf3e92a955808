#pragma once
// A child process started with /bin/sh -c, killed (SIGTERM, then SIGKILL) when the
// object dies. For real servers in tests (the sink, scripted SMTP servers).

#include <string>
#include <sys/types.h>

namespace b2bmail::testing {

class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::string& command);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit status (or -signal).
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
};

// Waits until `path` exists and is non-empty (up to `timeout_ms`); returns its text or "".
std::string WaitForFile(const std::string& path, int timeout_ms);

}  // namespace b2bmail::testing
