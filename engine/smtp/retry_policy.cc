#include "b2bmail/smtp/retry_policy.h"

#include <algorithm>

#include "b2bmail/base/random.h"

namespace b2bmail::smtp {

std::optional<base::TimePoint> RetryPolicy::NextAttempt(int attempts, base::TimePoint queued_at,
                                                        base::TimePoint now,
                                                        std::uint64_t jitter_key) const {
  attempts = std::max(attempts, 1);
  if (attempts >= options_.max_attempts) return std::nullopt;
  // Double step by step rather than shifting, so large attempt counts cannot overflow.
  std::chrono::seconds delay = options_.first_delay;
  for (int i = 1; i < attempts && delay < options_.max_delay; ++i) delay *= 2;
  delay = std::min(delay, options_.max_delay);
  if (options_.jitter > 0) {
    // A uniform draw in [-1, 1) from the key and the attempt (splitmix64 mixes both).
    base::SplitMix64 mix(jitter_key * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(attempts));
    double unit = static_cast<double>(mix.Next() >> 11) * 0x1.0p-53 * 2 - 1;
    auto spread = std::chrono::seconds(
        static_cast<std::int64_t>(static_cast<double>(delay.count()) * options_.jitter * unit));
    delay = std::max(delay + spread, std::chrono::seconds(1));
  }
  base::TimePoint next = now + delay;
  if (next > queued_at + options_.expire_after) return std::nullopt;
  return next;
}

}  // namespace b2bmail::smtp
