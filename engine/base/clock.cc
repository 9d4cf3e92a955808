#include "b2bmail/base/clock.h"

namespace b2bmail::base {

TimePoint SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace b2bmail::base
