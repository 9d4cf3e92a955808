#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal and at
// most ten times a second.

#include <chrono>
#include <cstdint>
#include <string>

namespace b2bmail::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // clears the line
  void Update(std::uint64_t done, std::uint64_t total);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace b2bmail::cli
