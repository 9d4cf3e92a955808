#pragma once
// When to try a temporarily failed message again: exponential backoff, as RFC 5321
// §4.5.4.1 asks of a client ("retry ... at least 30 minutes" apart is the RFC's
// suggestion for a single host; bulk senders start sooner and back off).

#include <chrono>
#include <cstdint>
#include <optional>

#include "b2bmail/base/clock.h"

namespace b2bmail::smtp {

struct RetryOptions {
  std::chrono::seconds first_delay = std::chrono::minutes(5);  // wait after the first attempt
  std::chrono::seconds max_delay = std::chrono::hours(4);      // the doubling stops here
  int max_attempts = 10;  // attempts in total, the first one included; then give up
  // No retry is made later than this after the message was queued: it fails then.
  std::chrono::seconds expire_after = std::chrono::hours(72);
  // Each delay is spread by up to this fraction either way, so that messages deferred
  // together (a gateway's 421 burst) do not all come back in the same second.
  double jitter = 0.1;
};

// Pure function of its options and arguments; thread-safe.
class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}) : options_(options) {}

  // The time of the next attempt after `attempts` attempts (the one that just failed
  // included) have been made, or nullopt when the message should be given up on:
  // attempts >= max_attempts, or the next attempt would fall after queued_at +
  // expire_after. The delay is first_delay * 2^(attempts - 1), capped at max_delay,
  // then spread by up to ±jitter. The spread is drawn from `jitter_key` (the outbox id)
  // and the attempt count, not from a random source: the same message gets the same
  // schedule (tests, a rerun), different messages different ones. REQUIRES:
  // attempts >= 1 (smaller values are treated as 1).
  std::optional<base::TimePoint> NextAttempt(int attempts, base::TimePoint queued_at,
                                             base::TimePoint now,
                                             std::uint64_t jitter_key = 0) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
};

}  // namespace b2bmail::smtp
