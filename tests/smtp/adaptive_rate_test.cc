#include "b2bmail/smtp/adaptive_rate.h"

#include <catch2/catch.hpp>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::AdaptiveRate;
using smtp::AdaptiveRateOptions;
using smtp::Instant;

namespace {
const Instant kStart = Instant{} + 1000h;

void Succeed(AdaptiveRate& rate, Instant now, int times) {
  for (int i = 0; i < times; ++i) rate.OnSuccess(now);
}
}  // namespace

TEST_CASE("AdaptiveRate halves once per cool-down however many 421s arrive", "[smtp][shaping]") {
  AdaptiveRate rate;
  CHECK(rate.factor() == 1.0);
  // Ten pipelined sessions answer 421 within the same half minute.
  for (int i = 0; i < 30; ++i) rate.OnRateLimited(kStart + i * 1s);
  CHECK(rate.factor() == 0.5);
  rate.OnRateLimited(kStart + 30s - 1ms);
  CHECK(rate.factor() == 0.5);
  rate.OnRateLimited(kStart + 30s);
  CHECK(rate.factor() == 0.25);
}

TEST_CASE("AdaptiveRate never falls below its floor", "[smtp][shaping]") {
  AdaptiveRate rate;
  for (int i = 0; i < 20; ++i) rate.OnRateLimited(kStart + i * 30s);
  CHECK(rate.factor() == 0.05);

  AdaptiveRate custom(AdaptiveRateOptions{.decrease = 0.1, .min_factor = 0.2});
  custom.OnRateLimited(kStart);
  CHECK(custom.factor() == 0.2);
}

TEST_CASE("AdaptiveRate adds 0.05 per 20 consecutive deliveries, up to 1", "[smtp][shaping]") {
  AdaptiveRate rate;
  rate.OnRateLimited(kStart);
  REQUIRE(rate.factor() == 0.5);
  Instant later = kStart + 1min;
  Succeed(rate, later, 19);
  CHECK(rate.factor() == 0.5);
  rate.OnSuccess(later);
  CHECK(rate.factor() == Approx(0.55));
  Succeed(rate, later, 20 * 9);
  CHECK(rate.factor() == Approx(1.0));
  Succeed(rate, later, 200);
  CHECK(rate.factor() == 1.0);
}

TEST_CASE("AdaptiveRate restarts the count of deliveries after any failure", "[smtp][shaping]") {
  AdaptiveRate rate;
  rate.OnRateLimited(kStart);
  Instant later = kStart + 1min;
  Succeed(rate, later, 19);
  rate.OnDeferral(later);
  Succeed(rate, later, 19);
  CHECK(rate.factor() == 0.5);
  rate.OnRateLimited(later);  // within the cool-down of nothing: cuts, and resets the count
  CHECK(rate.factor() == 0.25);
  Succeed(rate, later + 1min, 19);
  CHECK(rate.factor() == 0.25);
  rate.OnSuccess(later + 1min);
  CHECK(rate.factor() == Approx(0.30));
}

TEST_CASE("AdaptiveRate ignores deliveries within the cool-down after a cut", "[smtp][shaping]") {
  AdaptiveRate rate;
  rate.OnRateLimited(kStart);
  Succeed(rate, kStart + 29s, 100);  // messages started at the old pace, landing now
  CHECK(rate.factor() == 0.5);
  Succeed(rate, kStart + 30s, 20);
  CHECK(rate.factor() == Approx(0.55));
}

TEST_CASE("AdaptiveRate treats more than 5 deferrals in 60 s as one rate limit",
          "[smtp][shaping]") {
  SECTION("six within a minute cut once") {
    AdaptiveRate rate;
    for (int i = 0; i < 5; ++i) rate.OnDeferral(kStart + i * 10s);
    CHECK(rate.factor() == 1.0);
    rate.OnDeferral(kStart + 50s);
    CHECK(rate.factor() == 0.5);
    // The run is spent: five more right after (past the cool-down) do not cut again...
    for (int i = 0; i < 5; ++i) rate.OnDeferral(kStart + 90s + i * 1s);
    CHECK(rate.factor() == 0.5);
    // ...the sixth of the new run does.
    rate.OnDeferral(kStart + 95s);
    CHECK(rate.factor() == 0.25);
  }
  SECTION("the same number spread over more than a minute do not") {
    AdaptiveRate rate;
    for (int i = 0; i < 30; ++i) rate.OnDeferral(kStart + i * 12s);  // five per minute
    CHECK(rate.factor() == 1.0);
  }
  SECTION("a deferral burst within the cool-down of a 421 counts as the same event") {
    AdaptiveRate rate;
    rate.OnRateLimited(kStart);
    for (int i = 0; i < 6; ++i) rate.OnDeferral(kStart + 1s);
    CHECK(rate.factor() == 0.5);
    rate.OnDeferral(kStart + 31s);  // one new deferral, the burst already spent
    CHECK(rate.factor() == 0.5);
  }
}
