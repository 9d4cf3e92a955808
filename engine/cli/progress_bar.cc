#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace b2bmail::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::Update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
  last_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(kWidth * done / total);
  std::string bar(filled, '#');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r%s [%s] %3d%%  %.1f/%.1f MB", label_.c_str(), bar.c_str(),
               static_cast<int>(100 * done / total), done / 1e6, total / 1e6);
  std::fflush(stderr);
}

}  // namespace b2bmail::cli
