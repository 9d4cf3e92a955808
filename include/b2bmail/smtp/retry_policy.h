#pragma once
// When to try a temporarily failed message again: exponential backoff, as RFC 5321
// §4.5.4.1 asks of a client ("retry ... at least 30 minutes" apart is the RFC's
// suggestion for a single host; bulk senders start sooner and back off).

#include <chrono>
#include <optional>

#include "b2bmail/base/clock.h"

namespace b2bmail::smtp {

struct RetryOptions {
  std::chrono::seconds first_delay = std::chrono::minutes(5);  // wait after the first attempt
  std::chrono::seconds max_delay = std::chrono::hours(4);      // the doubling stops here
  int max_attempts = 10;  // attempts in total, the first one included; then give up
};

// Pure function of its options; thread-safe.
class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}) : options_(options) {}

  // The time of the next attempt after `attempts` attempts (the one that just failed
  // included) have been made, or nullopt when the message should be given up on
  // (attempts >= max_attempts). The delay is first_delay * 2^(attempts - 1), capped
  // at max_delay. REQUIRES: attempts >= 1 (smaller values are treated as 1).
  std::optional<base::TimePoint> NextAttempt(int attempts, base::TimePoint now) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
};

}  // namespace b2bmail::smtp
