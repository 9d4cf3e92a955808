#include "b2bmail/smtp/retry_policy.h"

#include <algorithm>

namespace b2bmail::smtp {

std::optional<base::TimePoint> RetryPolicy::NextAttempt(int attempts, base::TimePoint now) const {
  attempts = std::max(attempts, 1);
  if (attempts >= options_.max_attempts) return std::nullopt;
  // Double step by step rather than shifting, so large attempt counts cannot overflow.
  std::chrono::seconds delay = options_.first_delay;
  for (int i = 1; i < attempts && delay < options_.max_delay; ++i) delay *= 2;
  return now + std::min(delay, options_.max_delay);
}

}  // namespace b2bmail::smtp
