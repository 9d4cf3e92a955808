#pragma once
// Times are stored as INTEGER unix seconds (UTC).

#include <chrono>
#include <cstdint>

#include "b2bmail/base/clock.h"

namespace b2bmail::store {

inline std::int64_t Seconds(base::TimePoint t) { return t.time_since_epoch().count(); }
inline base::TimePoint FromSeconds(std::int64_t s) {
  return base::TimePoint{std::chrono::seconds{s}};
}

}  // namespace b2bmail::store
