#include "b2bmail/base/random.h"

namespace b2bmail::base {

std::uint64_t SystemRandom::Next() {
  // random_device yields 32 bits per call on libstdc++.
  return (static_cast<std::uint64_t>(device_()) << 32) | device_();
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
