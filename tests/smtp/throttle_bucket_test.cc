#include "b2bmail/smtp/throttle_bucket.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::Instant;
using smtp::ShapingLimits;
using smtp::ThrottleBucket;

namespace {

using Duration = Instant::duration;
const Instant kStart = Instant{} + 1000h;  // away from the epoch, like a real steady clock
constexpr Duration kTick{1};               // the clock's resolution

ShapingLimits Limits(std::optional<double> per_minute, int burst, std::optional<double> per_hour,
                     std::optional<double> per_day) {
  ShapingLimits limits;
  limits.per_minute = per_minute;
  limits.burst = burst;
  limits.per_hour = per_hour;
  limits.per_day = per_day;
  return limits;
}

// The most starts inside any window of length `window` (closed [t, t + window] or
// half-open [t, t + window)). The busiest window can always be moved to begin at a start.
std::int64_t MostInAnyWindow(const std::vector<Instant>& starts, Duration window, bool closed) {
  std::int64_t most = 0;
  std::size_t end = 0;
  for (std::size_t begin = 0; begin < starts.size(); ++begin) {
    Instant limit = starts[begin] + window;
    while (end < starts.size() && (closed ? starts[end] <= limit : starts[end] < limit)) ++end;
    most = std::max<std::int64_t>(most, static_cast<std::int64_t>(end - begin));
  }
  return most;
}

struct Drive {
  std::vector<Instant> starts;
  int inconsistent = 0;  // TryTake disagreed with NextAvailable
  int not_exact = 0;     // TryTake succeeded one tick before NextAvailable, or failed at it
};

// Asks the bucket at random instants from kStart until `until`, as an engine with
// varying demand would. Time is cut into phases of random length: busy ones, where the
// sender nearly always waits exactly until NextAvailable (which drives every limit to
// its edge); mixed ones, where it comes back after a random delay of up to 3 s half the
// time (refusals at odd instants); and idle spells of up to 6 hours (the bucket refills,
// then bursts). Every answer is checked against NextAvailable.
Drive DriveRandomly(ThrottleBucket& bucket, Instant until, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  auto up_to = [&rng](Duration longest) {
    return Duration(std::uniform_int_distribution<Duration::rep>(0, longest.count())(rng));
  };
  Drive drive;
  Instant now = kStart;
  while (now < until) {
    int phase = percent(rng);
    if (phase < 10) {
      now += up_to(6h);
      continue;
    }
    int greedy_percent = phase < 60 ? 95 : 50;
    Instant phase_end = std::min(now + 1min + up_to(4h), until);
    while (now < phase_end) {
      Instant next = bucket.NextAvailable(now);
      if (percent(rng) < greedy_percent && next != Instant::max()) {
        if (next >= phase_end) {
          now = phase_end;
          break;
        }
        if (next > now && bucket.TryTake(next - kTick)) ++drive.not_exact;
        now = next;
        if (bucket.TryTake(now))
          drive.starts.push_back(now);
        else
          ++drive.not_exact;
        continue;
      }
      now += up_to(3s);
      if (now >= phase_end) break;
      next = bucket.NextAvailable(now);
      bool took = bucket.TryTake(now);
      if (took != (next == now)) ++drive.inconsistent;
      if (took) drive.starts.push_back(now);
    }
  }
  return drive;
}

struct Scenario {
  const char* name;
  ShapingLimits limits;
  double factor;
  Duration simulated;
};

}  // namespace

TEST_CASE("ThrottleBucket never exceeds any window's limit at random instants over days",
          "[smtp][shaping]") {
  auto scenario = GENERATE(
      Scenario{"domain defaults with a day cap", Limits(60, 10, 1000, 5000), 1.0, 72h},
      Scenario{"domain defaults halved", Limits(60, 10, 1000, 5000), 0.5, 72h},
      Scenario{"provider defaults", Limits(600, 50, 20000, std::nullopt), 1.0, 6h},
      Scenario{"fractional pace, no burst", Limits(7.5, 1, std::nullopt, 300), 1.0, 72h},
      Scenario{"odd factor", Limits(45, 3, 100, std::nullopt), 0.3, 48h},
      Scenario{"less than one an hour", Limits(std::nullopt, 1, 0.5, std::nullopt), 1.0, 72h});
  INFO(scenario.name);
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    ThrottleBucket bucket(scenario.limits, kStart);
    bucket.SetRateFactor(scenario.factor, kStart);
    Drive drive = DriveRandomly(bucket, kStart + scenario.simulated, seed);
    CHECK(drive.inconsistent == 0);
    CHECK(drive.not_exact == 0);
    REQUIRE(drive.starts.size() > 10);

    const ShapingLimits& limits = scenario.limits;
    if (limits.per_minute) {
      // Closed windows: the strongest form of "any 60 seconds".
      auto bound = static_cast<std::int64_t>(std::floor(*limits.per_minute * scenario.factor)) +
                   limits.burst;
      auto most = MostInAnyWindow(drive.starts, 60s, true);
      // Equal, not just at most: the greedy sender reaches the edge, so a bucket that
      // allowed one more would fail here, and so would one that allowed less.
      CHECK(most == bound);
    }
    if (limits.per_hour) {
      double per_hour = *limits.per_hour * scenario.factor;
      if (per_hour >= 1) {
        auto bound = static_cast<std::int64_t>(std::floor(per_hour));
        CHECK(MostInAnyWindow(drive.starts, 1h, false) == bound);
      } else {
        CHECK(MostInAnyWindow(drive.starts, std::chrono::duration_cast<Duration>(1h / per_hour),
                              false) == 1);
      }
    }
    if (limits.per_day) {
      CHECK(MostInAnyWindow(drive.starts, 24h, false) ==
            static_cast<std::int64_t>(*limits.per_day));
    }
  }
}

TEST_CASE("ThrottleBucket lets a burst go back to back, then paces, and refills only to the burst",
          "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(60, 10, std::nullopt, std::nullopt), kStart);
  for (int i = 0; i < 10; ++i) CHECK(bucket.TryTake(kStart));
  CHECK_FALSE(bucket.TryTake(kStart));
  CHECK(bucket.NextAvailable(kStart) == kStart + 1s);
  CHECK_FALSE(bucket.TryTake(kStart + 1s - kTick));
  CHECK(bucket.TryTake(kStart + 1s));
  CHECK_FALSE(bucket.TryTake(kStart + 1s));
  CHECK(bucket.NextAvailable(kStart + 1s) == kStart + 2s);

  // Idle for a minute: the bucket holds 10 again, not 60.
  Instant later = kStart + 61s;
  for (int i = 0; i < 10; ++i) CHECK(bucket.TryTake(later));
  CHECK_FALSE(bucket.TryTake(later));
}

TEST_CASE("ThrottleBucket paces fractional rates to the tick", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(7.5, 1, std::nullopt, std::nullopt), kStart);  // one per 8 s
  CHECK(bucket.TryTake(kStart));
  CHECK(bucket.NextAvailable(kStart) == kStart + 8s);
  CHECK(bucket.TryTake(kStart + 8s));
  CHECK(bucket.NextAvailable(kStart + 9s) == kStart + 16s);
}

TEST_CASE("ThrottleBucket's hourly ceiling counts the last 60 minutes exactly", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(std::nullopt, 1, 3, std::nullopt), kStart);
  CHECK(bucket.TryTake(kStart));
  CHECK(bucket.TryTake(kStart + 10min));
  CHECK(bucket.TryTake(kStart + 20min));
  CHECK_FALSE(bucket.TryTake(kStart + 30min));
  // The oldest start leaves the window at exactly one hour.
  CHECK(bucket.NextAvailable(kStart + 30min) == kStart + 60min);
  CHECK_FALSE(bucket.TryTake(kStart + 60min - kTick));
  CHECK(bucket.TryTake(kStart + 60min));
  CHECK(bucket.NextAvailable(kStart + 60min) == kStart + 70min);
}

TEST_CASE("ThrottleBucket spaces a ceiling below one a window by its reciprocal",
          "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(std::nullopt, 1, 0.25, std::nullopt), kStart);  // one per 4 h
  CHECK(bucket.TryTake(kStart));
  CHECK(bucket.NextAvailable(kStart + 1h) == kStart + 4h);
}

TEST_CASE("ThrottleBucket's daily ceiling holds over any 24 hours", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(std::nullopt, 1, std::nullopt, 2), kStart);
  CHECK(bucket.TryTake(kStart + 1h));
  CHECK(bucket.TryTake(kStart + 5h));
  CHECK_FALSE(bucket.TryTake(kStart + 23h));
  CHECK(bucket.NextAvailable(kStart + 23h) == kStart + 25h);
  CHECK(bucket.TryTake(kStart + 25h));
  CHECK_FALSE(bucket.TryTake(kStart + 28h));
}

TEST_CASE("ThrottleBucket sends exactly per_day in each day to a sender that never stops",
          "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(60, 10, 1000, 5000), kStart);
  int starts = 0;
  for (Instant now = kStart; now < kStart + 72h; now = bucket.NextAvailable(now)) {
    REQUIRE(bucket.TryTake(now));
    ++starts;
  }
  CHECK(starts == 3 * 5000);
}

namespace {
// Starts made by a sender that asks as soon as NextAvailable says, over [kStart, kStart + span).
int GreedyStarts(ThrottleBucket& bucket, Duration span) {
  int starts = 0;
  for (Instant now = bucket.NextAvailable(kStart); now < kStart + span;
       now = bucket.NextAvailable(now)) {
    REQUIRE(bucket.TryTake(now));
    ++starts;
  }
  return starts;
}
}  // namespace

TEST_CASE("ThrottleBucket's rate factor halves throughput, paced or capped", "[smtp][shaping]") {
  SECTION("the per-minute pace binds") {
    ThrottleBucket full(Limits(60, 1, std::nullopt, std::nullopt), kStart);
    ThrottleBucket half(Limits(60, 1, std::nullopt, std::nullopt), kStart);
    half.SetRateFactor(0.5, kStart);
    CHECK(GreedyStarts(full, 1h) == 3600);
    CHECK(GreedyStarts(half, 1h) == 1800);
    CHECK(half.EffectivePerMinute() == 30.0);
  }
  SECTION("the hourly ceiling binds") {
    ThrottleBucket full(Limits(120, 10, 1000, std::nullopt), kStart);
    ThrottleBucket half(Limits(120, 10, 1000, std::nullopt), kStart);
    half.SetRateFactor(0.5, kStart);
    CHECK(GreedyStarts(full, 5h) == 5000);
    CHECK(GreedyStarts(half, 5h) == 2500);
  }
  SECTION("the daily ceiling is a quota the factor leaves alone") {
    ThrottleBucket half(Limits(std::nullopt, 1, std::nullopt, 300), kStart);
    half.SetRateFactor(0.5, kStart);
    CHECK(GreedyStarts(half, 24h) == 300);
  }
}

TEST_CASE("ThrottleBucket keeps its tokens when the rate factor changes", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(60, 10, std::nullopt, std::nullopt), kStart);
  SECTION("an empty bucket stays empty: slowing down hands out nothing extra") {
    for (int i = 0; i < 10; ++i) REQUIRE(bucket.TryTake(kStart));
    bucket.SetRateFactor(0.5, kStart);
    CHECK_FALSE(bucket.TryTake(kStart));
    CHECK(bucket.NextAvailable(kStart) == kStart + 2s);
  }
  SECTION("a half-full bucket keeps its five") {
    for (int i = 0; i < 5; ++i) REQUIRE(bucket.TryTake(kStart));
    bucket.SetRateFactor(0.5, kStart);
    for (int i = 0; i < 5; ++i) CHECK(bucket.TryTake(kStart));
    CHECK_FALSE(bucket.TryTake(kStart));
    // One second at the slow pace refilled half a token; the fast pace adds the other
    // half in half a second.
    bucket.SetRateFactor(1.0, kStart + 1s);
    CHECK(bucket.NextAvailable(kStart + 1s) == kStart + 1500ms);
  }
  SECTION("factors are clamped into (0, 1]") {
    bucket.SetRateFactor(7.0, kStart);
    CHECK(bucket.rate_factor() == 1.0);
    bucket.SetRateFactor(0.0, kStart);
    CHECK(bucket.rate_factor() == Approx(0.001));
    bucket.SetRateFactor(std::nan(""), kStart);
    CHECK(bucket.rate_factor() == Approx(0.001));
  }
}

TEST_CASE("ThrottleBucket keeps its history when the limits change", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(std::nullopt, 1, 10, std::nullopt), kStart);
  for (int i = 0; i < 10; ++i) REQUIRE(bucket.TryTake(kStart + i * 1s));
  CHECK_FALSE(bucket.TryTake(kStart + 10s));

  bucket.SetLimits(Limits(std::nullopt, 1, 15, std::nullopt), kStart + 10s);
  for (int i = 0; i < 5; ++i) CHECK(bucket.TryTake(kStart + 10s));
  CHECK_FALSE(bucket.TryTake(kStart + 10s));

  bucket.SetLimits(Limits(std::nullopt, 1, 5, std::nullopt), kStart + 20s);
  // 15 starts in the window, 5 allowed: the 11th oldest (at kStart + 10s) must leave.
  CHECK(bucket.NextAvailable(kStart + 20s) == kStart + 10s + 1h);
}

TEST_CASE("ThrottleBucket caps carried-over tokens at a smaller new burst", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(60, 10, std::nullopt, std::nullopt), kStart);
  bucket.SetLimits(Limits(60, 3, std::nullopt, std::nullopt), kStart);
  for (int i = 0; i < 3; ++i) CHECK(bucket.TryTake(kStart));
  CHECK_FALSE(bucket.TryTake(kStart));
}

TEST_CASE("ThrottleBucket stops a queue whose limit is zero, negative or NaN", "[smtp][shaping]") {
  auto limits =
      GENERATE(Limits(0, 10, std::nullopt, std::nullopt), Limits(60, 10, -1, std::nullopt),
               Limits(60, 10, std::nullopt, std::nan("")));
  ThrottleBucket bucket(limits, kStart);
  CHECK_FALSE(bucket.TryTake(kStart + 1h));
  CHECK(bucket.NextAvailable(kStart + 1h) == Instant::max());
}

TEST_CASE("ThrottleBucket with no limits lets everything through", "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(std::nullopt, 1, std::nullopt, std::nullopt), kStart);
  for (int i = 0; i < 100000; ++i) REQUIRE(bucket.TryTake(kStart));
  CHECK(bucket.EffectivePerMinute() == std::nullopt);
}

TEST_CASE("ThrottleBucket treats an instant earlier than the latest as the latest",
          "[smtp][shaping]") {
  ThrottleBucket bucket(Limits(60, 1, std::nullopt, std::nullopt), kStart);
  REQUIRE(bucket.TryTake(kStart + 10s));
  CHECK_FALSE(bucket.TryTake(kStart + 5s));
  CHECK(bucket.NextAvailable(kStart) == kStart + 11s);
}
