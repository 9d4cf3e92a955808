#pragma once
// The monotonic time the traffic-shaping blocks (ThrottleBucket, AdaptiveRate,
// CircuitBreaker, DestinationShaper) work in. It is always passed in by the caller,
// never read from a clock inside them, so that tests can drive simulated days in
// microseconds and get the same answers every run. Calendar things (warm-up days) use
// base::TimePoint instead, because a steady clock has no calendar.

#include <chrono>

namespace b2bmail::smtp {

using Instant = std::chrono::steady_clock::time_point;

}  // namespace b2bmail::smtp
