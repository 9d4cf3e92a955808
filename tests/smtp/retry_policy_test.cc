#include "b2bmail/smtp/retry_policy.h"

#include <catch2/catch.hpp>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::RetryOptions;
using smtp::RetryPolicy;

namespace {
const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};
}

TEST_CASE("RetryPolicy waits 5 minutes after the first attempt and doubles up to 4 hours",
          "[smtp]") {
  RetryPolicy policy;
  CHECK(policy.NextAttempt(1, kNow) == kNow + 5min);
  CHECK(policy.NextAttempt(2, kNow) == kNow + 10min);
  CHECK(policy.NextAttempt(3, kNow) == kNow + 20min);
  CHECK(policy.NextAttempt(4, kNow) == kNow + 40min);
  CHECK(policy.NextAttempt(5, kNow) == kNow + 80min);
  CHECK(policy.NextAttempt(6, kNow) == kNow + 160min);
  CHECK(policy.NextAttempt(7, kNow) == kNow + 4h);  // 320 min, capped
  CHECK(policy.NextAttempt(9, kNow) == kNow + 4h);
}

TEST_CASE("RetryPolicy gives up once max_attempts attempts have been made", "[smtp]") {
  RetryPolicy policy;
  CHECK(policy.NextAttempt(9, kNow).has_value());
  CHECK_FALSE(policy.NextAttempt(10, kNow).has_value());
  CHECK_FALSE(policy.NextAttempt(11, kNow).has_value());

  RetryPolicy three(RetryOptions{1min, 1h, 3});
  CHECK(three.NextAttempt(2, kNow) == kNow + 2min);
  CHECK_FALSE(three.NextAttempt(3, kNow).has_value());
}

TEST_CASE("RetryPolicy treats attempt counts below 1 as the first attempt", "[smtp]") {
  RetryPolicy policy;
  CHECK(policy.NextAttempt(0, kNow) == kNow + 5min);
  CHECK(policy.NextAttempt(-3, kNow) == kNow + 5min);
}

TEST_CASE("RetryPolicy does not overflow for huge attempt counts", "[smtp]") {
  RetryPolicy policy(RetryOptions{5min, 4h, 1'000'000});
  CHECK(policy.NextAttempt(999'999, kNow) == kNow + 4h);
}
