#pragma once
// Paces message starts for one queue: a per-minute pace with a burst, and hourly and
// daily ceilings (ShapingLimits). Pure arithmetic on Instants the caller passes in.
//
// The per-minute pace is a GCRA (the "virtual scheduling" form of a token bucket, ITU-T
// I.371): a bucket `burst` deep that refills at per_minute * factor a minute. Over any
// closed 60-second interval at most floor(per_minute * factor) + burst messages start.
//
// The hourly and daily limits are sliding-window ceilings: at most floor(per_hour *
// factor) starts in any half-open 60 minutes, at most floor(per_day) in any 24 hours,
// with no burst allowance on top. A ceiling is a count of past starts, not a second
// bucket, because receivers count "messages in the last hour" and a bucket with any
// depth would let them see more than the figure. The pace spreads the ceiling's
// messages; the ceiling only stops a queue that has been sending at full pace.
// A ceiling below one message per window (per_hour * factor < 1) becomes one message
// per 1 / (per_hour * factor) hours, so a slowed queue keeps probing instead of stopping.
//
// The rate factor (AdaptiveRate's output) scales the per-minute pace and the hourly
// ceiling, the two figures a receiver's "slow down" reply is about. It leaves the
// daily ceiling alone: that is a volume quota, and scaling a 24-hour window would turn
// a minute's 421 storm into a stop of up to a day, with no successes to recover from.
//
// A limit that is zero, negative or NaN stops the queue altogether (the safe reading
// of a broken configuration).
//
// Memory: the start times inside the longest active ceiling window (8 bytes each), so
// it grows with traffic actually sent, not with the limits.
//
// Thread safety: not thread-safe; a value type (copyable).

#include <cstdint>
#include <deque>
#include <optional>

#include "b2bmail/smtp/instant.h"
#include "b2bmail/smtp/shaping_limits.h"

namespace b2bmail::smtp {

class ThrottleBucket {
 public:
  // A full bucket at `start`: `burst` messages may start at once. No starts are
  // remembered before `start`.
  ThrottleBucket(const ShapingLimits& limits, Instant start);

  // Starts one message at `now` when every limit allows it and answers true; otherwise
  // changes nothing and answers false. REQUIRES: `now` does not go back from call to
  // call; an earlier instant is treated as the latest one seen.
  bool TryTake(Instant now);

  // The earliest instant at or after `now` at which TryTake succeeds if nothing else is
  // taken meanwhile: exact, TryTake fails one clock tick before and succeeds at it.
  // Instant::max() when a limit stops the queue altogether.
  Instant NextAvailable(Instant now) const;

  // Scales the per-minute pace and the hourly ceiling by `factor` from `now` on,
  // keeping the tokens the bucket holds (so slowing down never hands out extra
  // messages). Values are clamped into [0.001, 1]; NaN counts as 0.001.
  void SetRateFactor(double factor, Instant now);

  // Replaces the limits from `now` on, keeping the bucket's tokens (capped at the new
  // burst) and the remembered starts. Starts made while no ceiling was configured were
  // not remembered, so a ceiling switched on later counts from then on.
  void SetLimits(const ShapingLimits& limits, Instant now);

  const ShapingLimits& limits() const { return limits_; }
  double rate_factor() const { return rate_factor_; }
  // per_minute * rate_factor, the pace now in force; nullopt when not limited.
  std::optional<double> EffectivePerMinute() const;

 private:
  using Duration = Instant::duration;

  // The GCRA state: the bucket is full again at `full_at`; a start is allowed while the
  // debt (full_at - now) is at most `tolerance` = (depth - 1) * interval.
  struct Pace {
    bool active = false;
    Duration interval{};   // one message's worth of refill, rounded up
    Duration tolerance{};  // (depth - 1) * interval
    int depth = 1;         // burst, at least 1
    Instant full_at{};
  };
  // At most `count` starts in any half-open `window`.
  struct Ceiling {
    bool active = false;
    std::int64_t count = 0;
    Duration window{};
  };

  // Recomputes pace_ and the ceilings from limits_ and rate_factor_, carrying the
  // bucket's tokens over at `now`.
  void Configure(Instant now);
  Ceiling CeilingFor(std::optional<double> per_window, Duration window) const;
  Instant CeilingNext(const Ceiling& ceiling, Instant now) const;
  void ForgetOldStarts(Instant now);

  ShapingLimits limits_;
  double rate_factor_ = 1.0;
  bool stopped_ = false;  // a limit is zero, negative or NaN
  Pace pace_;
  Ceiling hourly_;
  Ceiling daily_;
  std::deque<Instant> starts_;  // oldest first; kept while a ceiling window may hold them
  Instant latest_{};            // the latest instant seen by a mutating call
};

}  // namespace b2bmail::smtp
