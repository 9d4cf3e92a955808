#pragma once
// The time seam (ARCHITECTURE.md): everything that depends on "now" (Date headers,
// schedules, retry times, segment windows) asks a Clock, so tests and `--now` runs
// are reproducible.

#include <chrono>
#include <memory>

namespace b2bmail::base {

using TimePoint = std::chrono::sys_seconds;

// Source of the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The real wall clock (UTC), truncated to seconds.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that always answers the time it was given; Advance() moves it.
// Not thread-safe for concurrent Advance() and Now().
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

}  // namespace b2bmail::base
