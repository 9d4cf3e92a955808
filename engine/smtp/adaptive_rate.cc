#include "b2bmail/smtp/adaptive_rate.h"

#include <algorithm>

namespace b2bmail::smtp {

AdaptiveRate::AdaptiveRate(AdaptiveRateOptions options) : options_(options) {}

void AdaptiveRate::OnRateLimited(Instant now) {
  consecutive_successes_ = 0;
  if (last_cut_ && now - *last_cut_ < options_.cool_down) return;
  last_cut_ = now;
  factor_ = std::max(factor_ * options_.decrease, options_.min_factor);
}

void AdaptiveRate::OnDeferral(Instant now) {
  consecutive_successes_ = 0;
  while (!recent_deferrals_.empty() &&
         recent_deferrals_.front() + options_.deferral_window <= now) {
    recent_deferrals_.pop_front();
  }
  recent_deferrals_.push_back(now);
  if (static_cast<int>(recent_deferrals_.size()) > options_.deferral_burst) {
    // The run is spent on this one signal, even when the cool-down swallows it:
    // otherwise its old deferrals plus one new one would cut again right after.
    recent_deferrals_.clear();
    OnRateLimited(now);
  }
}

void AdaptiveRate::OnSuccess(Instant now) {
  if (last_cut_ && now - *last_cut_ < options_.cool_down) return;
  if (++consecutive_successes_ < options_.increase_every) return;
  consecutive_successes_ = 0;
  factor_ = std::min(factor_ + options_.increase, 1.0);
}

}  // namespace b2bmail::smtp
