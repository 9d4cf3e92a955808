#pragma once
// Traffic shaping for one delivery queue: one destination domain, or one mail provider
// shared by all the domains it hosts (deliverability.md §4: KumoMTA's MX rollup,
// PowerMTA's queue-to). It combines the queue's ShapingLimits, a ThrottleBucket for the
// pace, an AdaptiveRate that slows the pace on throttle replies, a CircuitBreaker that
// stops a destination failing at the connection level, a count of open sessions and a
// pause switch.
//
// The engine holds one shaper per domain and one per provider, and a message starts
// only when both agree: use MayOpenConnection(domain, provider, now) and
// MayStartMessage(domain, provider, now) below, which never spend one shaper's
// allowance when the other refuses.
//
// The circuit breaker gates sessions: when it is open no session opens and no message
// starts (close the idle sessions); once it reopens, the next session opened is its one
// probe, and messages may start on it.
//
// Thread safety: not thread-safe; the engine calls it from one thread or under a lock.
// REQUIRES: instants passed in do not go back from call to call.

#include <cstdint>
#include <optional>

#include "b2bmail/smtp/adaptive_rate.h"
#include "b2bmail/smtp/circuit_breaker.h"
#include "b2bmail/smtp/instant.h"
#include "b2bmail/smtp/shaping_limits.h"
#include "b2bmail/smtp/throttle_bucket.h"

namespace b2bmail::smtp {

// What an attempt ended in, as far as shaping cares (the caller maps DeliveryOutcome and
// its FailureCategory onto these).
enum class OutcomeKind {
  kDelivered,    // 250 after DATA: counts toward speeding up; closes a half-open breaker
  kRateLimited,  // a throttle reply (FailureCategory::kRateLimited): cut the rate
  kDeferred,     // any other temporary failure: a run of them cuts the rate
  // The session failed: refused, dropped, timed out, a 421 greeting. Feeds the breaker
  // and counts as a deferral for the rate.
  kConnectionFailure,
  // A permanent failure about one recipient or message (bad mailbox, content): says
  // nothing about the destination, so it changes neither the rate nor the breaker's
  // state or count (if it ends a half-open breaker's probe, the next session probes).
  kPermanentFailure,
};

struct DestinationShaperOptions {
  AdaptiveRateOptions adaptive;   // halve per 421 (once per 30 s), +0.05 per 20 deliveries
  CircuitBreakerOptions breaker;  // open after 5 failures for 60 s, doubling up to 30 min
};

// A copy of a shaper's state for status output.
struct DestinationShaperSnapshot {
  int open_connections = 0;
  int max_connections = 0;
  double rate_factor = 1.0;                    // AdaptiveRate's factor
  std::optional<double> effective_per_minute;  // per_minute * rate_factor; nullopt: unlimited
  CircuitBreaker::State breaker = CircuitBreaker::State::kClosed;
  Instant breaker_reopens_at{};  // meaningful when breaker is kOpen
  bool paused = false;
  Instant next_start{};  // NextStart(now) at the time of the snapshot
};

class DestinationShaper {
 public:
  // The bucket starts full at `start`.
  DestinationShaper(ShapingLimits limits, Instant start, DestinationShaperOptions options = {});

  // Whether a new session may open at `now`: not paused, fewer than max_connections
  // open, and the breaker allows an attempt (closed, or open and due for its probe).
  bool MayOpenConnection(Instant now) const;
  // A session is opening: call it before connecting, so that the count is right while
  // the connection is being made, and call OnConnectionClosed when it ends, whether it
  // ever connected or not. Takes the breaker's probe when the breaker is due for one.
  void OnConnectionOpened(Instant now);
  void OnConnectionClosed();

  // Whether a message may start at `now`, without spending anything: not paused, the
  // breaker not open, and the bucket has a message to give.
  bool CanStartMessage(Instant now) const;
  // CanStartMessage(now), and if so spends the bucket's message and answers true.
  bool MayStartMessage(Instant now);
  // The earliest instant at or after `now` worth asking MayStartMessage again, when
  // nothing else happens meanwhile: Instant::max() while paused; while the breaker is
  // open, its reopening time or later (open a session first: it is the probe).
  Instant NextStart(Instant now) const;

  // Reports what an attempt ended in (see OutcomeKind), and applies the new rate factor
  // to the bucket. Report every outcome to both the domain's and the provider's shaper.
  void OnOutcome(Instant now, OutcomeKind kind);

  // Pausing stops new sessions and message starts (an operator's hold, or a block that
  // needs a human, such as Proofpoint's or 5.7.708); sessions already open stay counted.
  void Pause(bool paused) { paused_ = paused; }
  bool paused() const { return paused_; }

  // Replaces the limits from `now` on (a temporary override after a throttle reply,
  // say), keeping the bucket's state and the rate factor.
  void SetLimits(const ShapingLimits& limits, Instant now);

  DestinationShaperSnapshot Snapshot(Instant now) const;
  const ShapingLimits& limits() const { return bucket_.limits(); }
  int open_connections() const { return open_connections_; }
  const CircuitBreaker& breaker() const { return breaker_; }
  const AdaptiveRate& adaptive_rate() const { return adaptive_rate_; }

 private:
  ThrottleBucket bucket_;
  AdaptiveRate adaptive_rate_;
  CircuitBreaker breaker_;
  int open_connections_ = 0;
  bool paused_ = false;
};

// Both shapers allow a new session at `now` (neither is changed).
bool MayOpenConnection(const DestinationShaper& domain, const DestinationShaper& provider,
                       Instant now);
// Starts a message at `now` only when both shapers allow it, spending one message of
// each; when either refuses, neither is changed. Use this rather than calling
// MayStartMessage on each in turn, which would spend the domain's message every time
// the provider refuses. REQUIRES: two different shapers (a domain with no provider
// rollup uses its own MayStartMessage).
bool MayStartMessage(DestinationShaper& domain, DestinationShaper& provider, Instant now);
// The earliest instant both shapers may allow a start: the later of the two NextStarts.
Instant NextStart(const DestinationShaper& domain, const DestinationShaper& provider, Instant now);

}  // namespace b2bmail::smtp
