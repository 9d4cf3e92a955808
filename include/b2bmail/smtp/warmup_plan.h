#pragma once
// The daily volume ramp of a new sending IP or domain. Receivers judge a sender they do
// not know by how its volume grows: Yahoo lists "did not increase traffic slowly" as a
// cause of deferrals, and EOP graylists IPs whose volume jumps (deliverability.md §4,
// "Warm-up"). A plan caps each UTC calendar day; volume a day's cap refuses waits for
// the next day (NextDayStart).

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/diagnostics.h"

namespace b2bmail::smtp {

// The SendGrid-derived daily plan integrators use (deliverability.md §4, source S16):
// 50, 100, 250, 500, 1k, 2.5k, 5k, 7.5k, 10k, 15k, 20k, 30k, 40k, 55k, 70k, 100k, then
// unlimited. Roughly doubling at first, then +30-50 % a day: each step stays within what
// the previous day's clean results justify.
std::vector<int> DefaultWarmupRamp();

struct WarmupOptions {
  // Day 0 of the ramp is the UTC calendar day holding `start`, whatever its hour, so a
  // plan started at 18:00 has a short first day (the safe side of the ramp).
  base::TimePoint start{};
  // The cap of day 0, 1, 2, ...; no cap after the last entry, and none at all when
  // empty. REQUIRES: entries >= 0 (negative ones count as 0).
  std::vector<int> daily_caps = DefaultWarmupRamp();
};

// Pure function of its options; thread-safe.
class WarmupPlan {
 public:
  // What Remaining answers when no cap applies.
  static constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();

  explicit WarmupPlan(WarmupOptions options);

  // Whole UTC days from the start's day to now's: 0 on the start day, negative before.
  std::int64_t DayIndex(base::TimePoint now) const;
  // The cap of the UTC day holding `now`; nullopt once the ramp is over. Before the
  // start day, day 0's cap: an IP the plan has not started on is no warmer.
  std::optional<int> CapFor(base::TimePoint now) const;
  // Messages that may still go out on now's UTC day when `sent_today` went out since
  // its midnight: the cap minus that, never below 0; kUnlimited when no cap applies.
  std::int64_t Remaining(base::TimePoint now, std::int64_t sent_today) const;
  // The UTC midnight after `now` (the next one when `now` is a midnight itself): when
  // the volume refused today may start.
  base::TimePoint NextDayStart(base::TimePoint now) const;

  const WarmupOptions& options() const { return options_; }

 private:
  WarmupOptions options_;
};

// The ramp when `diagnostics` has no errors, else empty: a ramp with one day dropped
// would shift every later day's cap.
struct WarmupRampParse {
  std::vector<int> daily_caps;
  base::Diagnostics diagnostics;
};

// Parses a ramp written as whole numbers separated by commas ("50, 100, 250"),
// whitespace and line breaks allowed around them. Errors: "empty-ramp",
// "empty-entry" (",," or a trailing comma), "not-a-number", "negative-cap",
// "cap-too-large" (above INT_MAX). Warning: "ramp-decreases" (a day below the day
// before is allowed, for a planned quiet day, but is usually a typo). Diagnostics name
// `file` and the entry's 1-based line and column (in code points). Never throws.
WarmupRampParse ParseWarmupRamp(std::string_view text, const std::string& file = {});

}  // namespace b2bmail::smtp
