#include "b2bmail/smtp/throttle_bucket.h"

#include <algorithm>
#include <cmath>

namespace b2bmail::smtp {
namespace {

using Duration = Instant::duration;
using namespace std::chrono_literals;

constexpr double kMinRateFactor = 0.001;
// Every computed duration is capped here (30 years), so that tiny rates and huge bursts
// cannot overflow the 64-bit tick count when added to an Instant.
constexpr Duration kLongest = std::chrono::duration_cast<Duration>(24h * 365 * 30);
// Ceiling counts above this are as good as unlimited and stay far from overflow.
constexpr double kMostPerWindow = 1e15;

// `ticks` rounded up to whole clock ticks, within [0, kLongest]. Rounding up keeps every
// interval at least as long as the rate asks, so a window never holds one start too many.
Duration CeilTicks(double ticks) {
  if (!(ticks > 0)) return Duration::zero();
  if (ticks >= static_cast<double>(kLongest.count())) return kLongest;
  return Duration(static_cast<Duration::rep>(std::ceil(ticks)));
}

double Ticks(Duration d) { return static_cast<double>(d.count()); }

// A configured limit that cannot be met by sending anything.
bool StopsQueue(const std::optional<double>& limit) { return limit && !(*limit > 0); }

}  // namespace

ThrottleBucket::ThrottleBucket(const ShapingLimits& limits, Instant start)
    : limits_(limits), latest_(start) {
  Configure(start);
}

bool ThrottleBucket::TryTake(Instant now) {
  now = std::max(now, latest_);
  if (NextAvailable(now) != now) return false;
  latest_ = now;
  // After an idle spell the debt starts from now, not from the old full_at: the tokens
  // refilled meanwhile are spent first.
  if (pace_.active) pace_.full_at = std::max(pace_.full_at, now) + pace_.interval;
  if (hourly_.active || daily_.active) {
    starts_.push_back(now);
    ForgetOldStarts(now);
  }
  return true;
}

Instant ThrottleBucket::NextAvailable(Instant now) const {
  now = std::max(now, latest_);
  if (stopped_) return Instant::max();
  Instant next = now;
  if (pace_.active) next = std::max(next, pace_.full_at - pace_.tolerance);
  // Each limit only loosens as time passes without starts, so the latest of their
  // earliest instants is the earliest instant all of them allow.
  next = std::max(next, CeilingNext(hourly_, now));
  next = std::max(next, CeilingNext(daily_, now));
  return next;
}

void ThrottleBucket::SetRateFactor(double factor, Instant now) {
  factor = factor > kMinRateFactor ? std::min(factor, 1.0) : kMinRateFactor;  // NaN too
  now = std::max(now, latest_);
  latest_ = now;
  if (factor == rate_factor_) return;
  rate_factor_ = factor;
  Configure(now);
}

void ThrottleBucket::SetLimits(const ShapingLimits& limits, Instant now) {
  now = std::max(now, latest_);
  latest_ = now;
  limits_ = limits;
  Configure(now);
}

std::optional<double> ThrottleBucket::EffectivePerMinute() const {
  if (!limits_.per_minute) return std::nullopt;
  return *limits_.per_minute * rate_factor_;
}

void ThrottleBucket::Configure(Instant now) {
  // The tokens the bucket holds now, to carry over; a bucket that was not pacing
  // counts as full.
  std::optional<double> held;
  if (pace_.active) {
    double debt = Ticks(std::max(pace_.full_at - now, Duration::zero()));
    held = std::max(0.0, pace_.depth - debt / Ticks(pace_.interval));
  }

  stopped_ =
      StopsQueue(limits_.per_minute) || StopsQueue(limits_.per_hour) || StopsQueue(limits_.per_day);

  Pace pace;
  if (limits_.per_minute && *limits_.per_minute > 0) {
    double per_minute = *limits_.per_minute * rate_factor_;
    pace.active = true;
    pace.interval = std::max(CeilTicks(Ticks(Duration(1min)) / per_minute), Duration(1));
    pace.depth = std::max(limits_.burst, 1);
    pace.tolerance = CeilTicks((pace.depth - 1) * Ticks(pace.interval));
    double tokens = held ? std::min(*held, static_cast<double>(pace.depth)) : pace.depth;
    pace.full_at = now + CeilTicks((pace.depth - tokens) * Ticks(pace.interval));
  }
  pace_ = pace;

  std::optional<double> per_hour;
  if (limits_.per_hour) per_hour = *limits_.per_hour * rate_factor_;
  hourly_ = CeilingFor(per_hour, 1h);
  daily_ = CeilingFor(limits_.per_day, 24h);
  ForgetOldStarts(now);
}

ThrottleBucket::Ceiling ThrottleBucket::CeilingFor(std::optional<double> per_window,
                                                   Duration window) const {
  Ceiling ceiling;
  if (!per_window || !(*per_window > 0)) return ceiling;  // unlimited, or stopped_
  ceiling.active = true;
  if (*per_window >= 1) {
    // Rounded down: 2.5 an hour allows 2 in any hour, never 3.
    ceiling.count = static_cast<std::int64_t>(std::min(std::floor(*per_window), kMostPerWindow));
    ceiling.window = window;
  } else {
    ceiling.count = 1;
    ceiling.window = CeilTicks(Ticks(window) / *per_window);
  }
  return ceiling;
}

Instant ThrottleBucket::CeilingNext(const Ceiling& ceiling, Instant now) const {
  if (!ceiling.active) return now;
  // A start at t counts while now < t + window, i.e. t > now - window.
  auto first = std::upper_bound(starts_.begin(), starts_.end(), now - ceiling.window);
  auto in_window = static_cast<std::int64_t>(starts_.end() - first);
  if (in_window < ceiling.count) return now;
  // The window must lose in_window - count + 1 starts; the last of those to leave is
  // the one `count` places from the newest.
  return *(first + (in_window - ceiling.count)) + ceiling.window;
}

void ThrottleBucket::ForgetOldStarts(Instant now) {
  Duration keep = Duration::zero();
  if (hourly_.active) keep = std::max(keep, hourly_.window);
  if (daily_.active) keep = std::max(keep, daily_.window);
  while (!starts_.empty() && starts_.front() + keep <= now) starts_.pop_front();
}

}  // namespace b2bmail::smtp
