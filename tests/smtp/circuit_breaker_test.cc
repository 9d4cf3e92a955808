#include "b2bmail/smtp/circuit_breaker.h"

#include <catch2/catch.hpp>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::CircuitBreaker;
using smtp::CircuitBreakerOptions;
using smtp::Instant;
using State = smtp::CircuitBreaker::State;

namespace {
const Instant kStart = Instant{} + 1000h;
constexpr Instant::duration kTick{1};

void Fail(CircuitBreaker& breaker, Instant now, int times) {
  for (int i = 0; i < times; ++i) breaker.OnFailure(now);
}

// Opens the breaker with five failures at `now`.
CircuitBreaker Opened(Instant now, CircuitBreakerOptions options = {}) {
  CircuitBreaker breaker(options);
  Fail(breaker, now, 5);
  REQUIRE(breaker.state() == State::kOpen);
  return breaker;
}
}  // namespace

TEST_CASE("CircuitBreaker opens after 5 consecutive failures, not after 4", "[smtp][shaping]") {
  CircuitBreaker breaker;
  Fail(breaker, kStart, 4);
  CHECK(breaker.state() == State::kClosed);
  CHECK(breaker.AllowAttempt(kStart));
  breaker.OnSuccess(kStart);  // the run is broken
  Fail(breaker, kStart, 4);
  CHECK(breaker.state() == State::kClosed);
  breaker.OnFailure(kStart + 1s);
  CHECK(breaker.state() == State::kOpen);
  CHECK(breaker.reopens_at() == kStart + 1s + 60s);
  CHECK(ToString(breaker.state()) == "open");
}

TEST_CASE("CircuitBreaker lets one probe through once the opening has passed", "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  CHECK_FALSE(breaker.WouldAllowAttempt(kStart + 60s - kTick));
  CHECK_FALSE(breaker.AllowAttempt(kStart + 60s - kTick));
  CHECK(breaker.state() == State::kOpen);

  CHECK(breaker.WouldAllowAttempt(kStart + 60s));
  CHECK(breaker.AllowAttempt(kStart + 60s));
  CHECK(breaker.state() == State::kHalfOpen);
  // Only one: the rest wait for the probe's outcome.
  CHECK_FALSE(breaker.WouldAllowAttempt(kStart + 61s));
  CHECK_FALSE(breaker.AllowAttempt(kStart + 61s));
  CHECK_FALSE(breaker.AllowAttempt(kStart + 5min));
}

TEST_CASE("CircuitBreaker ignores late outcomes while open", "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  breaker.OnSuccess(kStart + 1s);
  breaker.OnFailure(kStart + 2s);
  CHECK(breaker.state() == State::kOpen);
  CHECK(breaker.reopens_at() == kStart + 60s);
}

TEST_CASE("CircuitBreaker doubles the opening on each failed probe, up to 30 minutes",
          "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  Instant now = kStart;
  std::vector<std::chrono::seconds> openings;
  for (int i = 0; i < 8; ++i) {
    now = breaker.reopens_at();
    REQUIRE(breaker.AllowAttempt(now));
    breaker.OnFailure(now + 1s);
    openings.push_back(
        std::chrono::duration_cast<std::chrono::seconds>(breaker.reopens_at() - (now + 1s)));
  }
  CHECK(openings ==
        std::vector<std::chrono::seconds>{120s, 240s, 480s, 960s, 1800s, 1800s, 1800s, 1800s});
}

TEST_CASE("CircuitBreaker closes on a successful probe and starts over", "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  REQUIRE(breaker.AllowAttempt(kStart + 60s));
  breaker.OnFailure(kStart + 61s);  // opening doubled to 120 s
  REQUIRE(breaker.AllowAttempt(kStart + 181s));
  breaker.OnSuccess(kStart + 182s);
  CHECK(breaker.state() == State::kClosed);
  CHECK(breaker.AllowAttempt(kStart + 182s));
  CHECK(breaker.AllowAttempt(kStart + 182s));
  // A fresh run of failures is needed, and the opening is back to 60 s.
  Fail(breaker, kStart + 200s, 4);
  CHECK(breaker.state() == State::kClosed);
  breaker.OnFailure(kStart + 200s);
  CHECK(breaker.reopens_at() == kStart + 260s);
}

TEST_CASE("CircuitBreaker lets another probe through when one ends without a verdict",
          "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  REQUIRE(breaker.AllowAttempt(kStart + 60s));
  breaker.ReleaseProbe();
  CHECK(breaker.state() == State::kHalfOpen);
  CHECK(breaker.AllowAttempt(kStart + 61s));
  CHECK_FALSE(breaker.AllowAttempt(kStart + 62s));

  CircuitBreaker closed;
  closed.ReleaseProbe();
  CHECK(closed.state() == State::kClosed);
}

TEST_CASE("CircuitBreaker counts a probe lost for 15 minutes as failed at its deadline",
          "[smtp][shaping]") {
  CircuitBreaker breaker = Opened(kStart);
  const Instant probe = kStart + 60s;
  REQUIRE(breaker.AllowAttempt(probe));
  CHECK_FALSE(breaker.AllowAttempt(probe + 15min - kTick));
  CHECK(breaker.state() == State::kHalfOpen);
  // Failed at probe + 15 min, so open until 120 s after that.
  CHECK_FALSE(breaker.WouldAllowAttempt(probe + 15min + 120s - kTick));
  CHECK(breaker.WouldAllowAttempt(probe + 15min + 120s));
  CHECK_FALSE(breaker.AllowAttempt(probe + 15min));
  CHECK(breaker.state() == State::kOpen);
  CHECK(breaker.reopens_at() == probe + 15min + 120s);
  // Asked only long after: the reopening is already due, and this call is the probe.
  CircuitBreaker late = Opened(kStart);
  REQUIRE(late.AllowAttempt(probe));
  CHECK(late.AllowAttempt(probe + 1h));
  CHECK(late.state() == State::kHalfOpen);
  CHECK(late.open_for() == 120s);
}
