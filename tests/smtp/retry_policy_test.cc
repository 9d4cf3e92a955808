#include "b2bmail/smtp/retry_policy.h"

#include <catch2/catch.hpp>
#include <set>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::RetryOptions;
using smtp::RetryPolicy;

namespace {
const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};

// The defaults without the spread, for the exact schedule.
RetryOptions NoJitter(RetryOptions options = {}) {
  options.jitter = 0;
  return options;
}
}  // namespace

TEST_CASE("RetryPolicy waits 5 minutes after the first attempt and doubles up to 4 hours",
          "[smtp]") {
  RetryPolicy policy(NoJitter());
  CHECK(policy.NextAttempt(1, kNow, kNow) == kNow + 5min);
  CHECK(policy.NextAttempt(2, kNow, kNow) == kNow + 10min);
  CHECK(policy.NextAttempt(3, kNow, kNow) == kNow + 20min);
  CHECK(policy.NextAttempt(4, kNow, kNow) == kNow + 40min);
  CHECK(policy.NextAttempt(5, kNow, kNow) == kNow + 80min);
  CHECK(policy.NextAttempt(6, kNow, kNow) == kNow + 160min);
  CHECK(policy.NextAttempt(7, kNow, kNow) == kNow + 4h);  // 320 min, capped
  CHECK(policy.NextAttempt(9, kNow, kNow) == kNow + 4h);
}

TEST_CASE("RetryPolicy gives up once max_attempts attempts have been made", "[smtp]") {
  RetryPolicy policy(NoJitter());
  CHECK(policy.NextAttempt(9, kNow, kNow).has_value());
  CHECK_FALSE(policy.NextAttempt(10, kNow, kNow).has_value());
  CHECK_FALSE(policy.NextAttempt(11, kNow, kNow).has_value());

  RetryPolicy three(NoJitter(RetryOptions{1min, 1h, 3}));
  CHECK(three.NextAttempt(2, kNow, kNow) == kNow + 2min);
  CHECK_FALSE(three.NextAttempt(3, kNow, kNow).has_value());
}

TEST_CASE("RetryPolicy treats attempt counts below 1 as the first attempt", "[smtp]") {
  RetryPolicy policy(NoJitter());
  CHECK(policy.NextAttempt(0, kNow, kNow) == kNow + 5min);
  CHECK(policy.NextAttempt(-3, kNow, kNow) == kNow + 5min);
}

TEST_CASE("RetryPolicy does not overflow for huge attempt counts", "[smtp]") {
  RetryPolicy policy(NoJitter(RetryOptions{5min, 4h, 1'000'000}));
  CHECK(policy.NextAttempt(999'999, kNow, kNow) == kNow + 4h);
}

TEST_CASE("RetryPolicy gives up when the next attempt would fall after the expiry", "[smtp]") {
  RetryPolicy policy(NoJitter());  // 72 h from queueing
  const base::TimePoint queued = kNow - 71h;
  CHECK(policy.NextAttempt(2, queued, kNow) == kNow + 10min);
  CHECK(policy.NextAttempt(8, queued, kNow) == std::nullopt);  // 4 h would pass 72 h
  CHECK(policy.NextAttempt(1, kNow - 72h, kNow) == std::nullopt);
  CHECK(policy.NextAttempt(1, kNow - 72h + 5min, kNow) == kNow + 5min);  // exactly at expiry
}

TEST_CASE("RetryPolicy spreads delays by at most the jitter, the same way for the same message",
          "[smtp]") {
  RetryPolicy policy;  // 10 % either way
  std::set<std::int64_t> seen;
  for (std::uint64_t id = 1; id <= 2000; ++id) {
    for (int attempts : {1, 4, 9}) {
      auto next = policy.NextAttempt(attempts, kNow, kNow, id);
      REQUIRE(next.has_value());
      auto plain = RetryPolicy(NoJitter()).NextAttempt(attempts, kNow, kNow);
      auto delay = std::chrono::duration_cast<std::chrono::seconds>(*next - kNow).count();
      auto base_delay = std::chrono::duration_cast<std::chrono::seconds>(*plain - kNow).count();
      CHECK(delay >= base_delay * 9 / 10);
      CHECK(delay <= base_delay * 11 / 10);
      CHECK(policy.NextAttempt(attempts, kNow, kNow, id) == next);  // deterministic
      if (attempts == 1) seen.insert(delay);
    }
  }
  // 2000 messages deferred together come back spread over the minute either side of
  // 5 min, not in one second: nearly every second of the ±30 s window is used.
  CHECK(seen.size() > 55);
  CHECK(*seen.begin() <= 275);
  CHECK(*seen.rbegin() >= 325);
}
