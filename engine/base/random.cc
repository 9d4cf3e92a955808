#include "b2bmail/base/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "b2bmail/base/error.h"

namespace b2bmail::base {

std::uint64_t SystemRandom::Next() {
  if (next_ == std::size(buffer_)) {
    auto* bytes = reinterpret_cast<unsigned char*>(buffer_);
    std::size_t filled = 0;
    while (filled < sizeof buffer_) {
      // Up to 256 bytes never return short once the pool is initialised, but a signal
      // may interrupt the call.
      ssize_t n = ::getrandom(bytes + filled, sizeof buffer_ - filled, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw Error(ErrorKind::kInternal, std::string("getrandom: ") + std::strerror(errno));
      filled += static_cast<std::size_t>(n);
    }
    next_ = 0;
  }
  return buffer_[next_++];
}

std::string RandomToken(Random& random, std::size_t length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    std::uint64_t bits = random.Next();
    // 36 does not divide 2^64; reject the top slice so every character is equally likely.
    constexpr std::uint64_t kLimit = UINT64_MAX - (UINT64_MAX % 36);
    if (bits >= kLimit) continue;
    for (int i = 0; i < 12 && out.size() < length; ++i) {
      out.push_back(kAlphabet[bits % 36]);
      bits /= 36;
    }
  }
  return out;
}

}  // namespace b2bmail::base
