#include "b2bmail/smtp/destination_shaper.h"

#include <algorithm>
#include <cassert>

namespace b2bmail::smtp {

DestinationShaper::DestinationShaper(ShapingLimits limits, Instant start,
                                     DestinationShaperOptions options)
    : bucket_(limits, start), adaptive_rate_(options.adaptive), breaker_(options.breaker) {}

bool DestinationShaper::MayOpenConnection(Instant now) const {
  return !paused_ && open_connections_ < bucket_.limits().max_connections &&
         breaker_.WouldAllowAttempt(now);
}

void DestinationShaper::OnConnectionOpened(Instant now) {
  ++open_connections_;
  // Closed: a no-op. Open and due: this session becomes the probe. The answer is not
  // needed: the caller asked MayOpenConnection first.
  breaker_.AllowAttempt(now);
}

void DestinationShaper::OnConnectionClosed() {
  open_connections_ = std::max(open_connections_ - 1, 0);
}

bool DestinationShaper::CanStartMessage(Instant now) const {
  return !paused_ && breaker_.state() != CircuitBreaker::State::kOpen &&
         bucket_.NextAvailable(now) <= now;
}

bool DestinationShaper::MayStartMessage(Instant now) {
  if (!CanStartMessage(now)) return false;
  return bucket_.TryTake(now);
}

Instant DestinationShaper::NextStart(Instant now) const {
  if (paused_) return Instant::max();
  Instant next = bucket_.NextAvailable(now);
  if (breaker_.state() == CircuitBreaker::State::kOpen)
    next = std::max(next, breaker_.reopens_at());
  return next;
}

void DestinationShaper::OnOutcome(Instant now, OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kDelivered:
      adaptive_rate_.OnSuccess(now);
      breaker_.OnSuccess(now);
      break;
    case OutcomeKind::kRateLimited:
      // The server answered: the session works, so the breaker learns nothing, but a
      // half-open breaker may send its next probe.
      adaptive_rate_.OnRateLimited(now);
      breaker_.ReleaseProbe();
      break;
    case OutcomeKind::kDeferred:
      adaptive_rate_.OnDeferral(now);
      breaker_.ReleaseProbe();
      break;
    case OutcomeKind::kConnectionFailure:
      // Sessions refused in a row by a gateway under load are also a request to slow
      // down; a single one is not (the deferral burst threshold decides).
      adaptive_rate_.OnDeferral(now);
      breaker_.OnFailure(now);
      break;
    case OutcomeKind::kPermanentFailure:
      breaker_.ReleaseProbe();
      break;
  }
  bucket_.SetRateFactor(adaptive_rate_.factor(), now);
}

void DestinationShaper::SetLimits(const ShapingLimits& limits, Instant now) {
  bucket_.SetLimits(limits, now);
}

DestinationShaperSnapshot DestinationShaper::Snapshot(Instant now) const {
  DestinationShaperSnapshot snapshot;
  snapshot.open_connections = open_connections_;
  snapshot.max_connections = bucket_.limits().max_connections;
  snapshot.rate_factor = bucket_.rate_factor();
  snapshot.effective_per_minute = bucket_.EffectivePerMinute();
  snapshot.breaker = breaker_.state();
  snapshot.breaker_reopens_at = breaker_.reopens_at();
  snapshot.paused = paused_;
  snapshot.next_start = NextStart(now);
  return snapshot;
}

bool MayOpenConnection(const DestinationShaper& domain, const DestinationShaper& provider,
                       Instant now) {
  return domain.MayOpenConnection(now) && provider.MayOpenConnection(now);
}

bool MayStartMessage(DestinationShaper& domain, DestinationShaper& provider, Instant now) {
  // Ask both before spending either: CanStartMessage(now) guarantees the next
  // MayStartMessage(now) succeeds, as nothing changes in between.
  if (!domain.CanStartMessage(now) || !provider.CanStartMessage(now)) return false;
  bool domain_started = domain.MayStartMessage(now);
  bool provider_started = provider.MayStartMessage(now);
  assert(domain_started && provider_started);
  return domain_started && provider_started;
}

Instant NextStart(const DestinationShaper& domain, const DestinationShaper& provider, Instant now) {
  return std::max(domain.NextStart(now), provider.NextStart(now));
}

}  // namespace b2bmail::smtp
