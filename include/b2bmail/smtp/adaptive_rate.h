#pragma once
// How fast a destination lets us send, learnt from its replies: additive increase,
// multiplicative decrease (AIMD, as TCP congestion control does it). The output is a
// factor in (0, 1] that scales the queue's configured rates (ThrottleBucket::
// SetRateFactor). deliverability.md §4: throttle replies (Gmail 421 4.7.28, Yahoo
// [TSS04], Outlook.com RP-00x, EOP 451 4.7.650) mean "deferral + slow down"; MTAs
// answer them by cutting the message rate and returning to normal after deliveries.

#include <chrono>
#include <deque>
#include <optional>

#include "b2bmail/smtp/instant.h"

namespace b2bmail::smtp {

struct AdaptiveRateOptions {
  // Each rate-limit reply multiplies the factor by this. 0.5: halving is the classic
  // AIMD cut; deeper cuts come from repeated signals, one per cool_down.
  double decrease = 0.5;
  // Further rate-limit signals within this long of a cut are the same event: 10
  // pipelined sessions answered 421 together count once. 30 s: longer than a
  // transaction round trip, short enough to cut again if the slowed rate is still too
  // fast.
  std::chrono::seconds cool_down = std::chrono::seconds(30);
  // The factor never falls below this. 0.05: a queue paced at 60/min still sends 3 a
  // minute, enough deliveries to learn that the destination has recovered.
  double min_factor = 0.05;
  // Added to the factor after every `increase_every` consecutive deliveries, up to 1.
  // 0.05 per 20: from the floor back to full speed takes 380 clean deliveries, so the
  // recovery is slower than the cut, as AIMD needs to be stable.
  double increase = 0.05;
  int increase_every = 20;
  // Temporary failures that are not rate limits (greylisting, "server busy", dropped
  // sessions) count as one rate-limit signal when more than `deferral_burst` arrive
  // within `deferral_window`. 5 in 60 s: a few deferrals are normal greylisting;
  // a run of them is a destination asking us to go away.
  int deferral_burst = 5;
  std::chrono::seconds deferral_window = std::chrono::seconds(60);
};

// Not thread-safe. REQUIRES: instants passed in do not go back from call to call.
class AdaptiveRate {
 public:
  explicit AdaptiveRate(AdaptiveRateOptions options = {});

  // A rate-limit reply at `now`: multiplies the factor by `decrease` (not below
  // `min_factor`) unless the last cut was less than `cool_down` ago. Ends the run of
  // consecutive deliveries either way.
  void OnRateLimited(Instant now);

  // A temporary failure at `now` that is not a rate limit. Ends the run of consecutive
  // deliveries; the one that makes more than `deferral_burst` within `deferral_window`
  // acts as OnRateLimited(now) and starts a new count.
  void OnDeferral(Instant now);

  // A delivery at `now`: counts toward the next increase. Deliveries within `cool_down`
  // after a cut do not count: they are mostly messages started at the old pace (queued
  // on pipelined sessions) and say nothing about whether the new pace is acceptable.
  void OnSuccess(Instant now);

  // The current factor, in [min_factor, 1]; starts at 1.
  double factor() const { return factor_; }
  const AdaptiveRateOptions& options() const { return options_; }

 private:
  AdaptiveRateOptions options_;
  double factor_ = 1.0;
  std::optional<Instant> last_cut_;
  int consecutive_successes_ = 0;
  std::deque<Instant> recent_deferrals_;  // within deferral_window, oldest first
};

}  // namespace b2bmail::smtp
