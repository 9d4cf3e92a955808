#pragma once
// Stops sending to a destination that keeps failing at the connection level, and tries
// it again with a single probe now and then (the circuit-breaker pattern). What counts
// as a failure is the caller's choice: refused or dropped connections, 421 greetings,
// timeouts; never a reply about one recipient. Hammering a host that is down or
// blocking us only adds to the reputation damage (deliverability.md §4: "don't
// retry-storm"; KumoMTA suspends a Yahoo queue for 2 h on [TSS04]).
//
//   closed ──failure_threshold consecutive failures──▶ open (for open_for)
//   open ──reopens_at passed, AllowAttempt──▶ half-open: one probe in flight
//   half-open ──probe succeeds──▶ closed, open time back to open_for
//   half-open ──probe fails, or no verdict within probe_timeout──▶ open, open time doubled
//                                                                (up to max_open_for)

#include <chrono>
#include <string_view>

#include "b2bmail/smtp/instant.h"

namespace b2bmail::smtp {

struct CircuitBreakerOptions {
  // Consecutive failures that open the breaker. 5: one or two failed sessions are
  // normal noise (a gateway restarting, greylisting); five in a row with no success
  // between them are not.
  int failure_threshold = 5;
  // How long the first opening lasts. 60 s: the shortest retry Mimecast's guidance
  // mentions (451: retry after 1 min to 12 h).
  std::chrono::seconds open_for = std::chrono::seconds(60);
  // Each failed probe doubles the opening, up to this. 30 min: the retry interval RFC
  // 5321 §4.5.4.1 suggests, so a dead destination costs one probe per half hour.
  std::chrono::seconds max_open_for = std::chrono::minutes(30);
  // A probe with no outcome reported after this long counts as failed, so a lost
  // outcome cannot hold the breaker half-open for ever. 15 min: longer than a session
  // can legitimately take (RFC 5321 §4.5.3.2: 5 min greeting, 10 min final dot).
  std::chrono::seconds probe_timeout = std::chrono::minutes(15);
};

// Not thread-safe. REQUIRES: instants passed in do not go back from call to call.
class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  explicit CircuitBreaker(CircuitBreakerOptions options = {});

  // Whether an attempt may start at `now`; an attempt it allows must later be reported
  // with OnSuccess, OnFailure or ReleaseProbe. Closed: always. Open: false before
  // reopens_at; from then on the first call moves to half-open and lets that one
  // attempt through as the probe. Half-open: false while the probe is in flight; a
  // probe in flight for probe_timeout has failed at that deadline (see OnFailure).
  bool AllowAttempt(Instant now);
  // What AllowAttempt(now) would answer, without taking the probe.
  bool WouldAllowAttempt(Instant now) const;

  // An attempt succeeded: closes a half-open breaker (the open time goes back to
  // open_for) and ends a closed breaker's run of failures. Ignored while open: the
  // outcome belongs to an attempt started before the breaker opened.
  void OnSuccess(Instant now);
  // An attempt failed: counts toward failure_threshold when closed; reopens a half-open
  // breaker for twice the previous open time (up to max_open_for). Ignored while open.
  void OnFailure(Instant now);
  // The probe ended without telling whether the destination is healthy (a reply about
  // one recipient, say): half-open stays, and the next AllowAttempt probes again.
  // No effect in other states.
  void ReleaseProbe();

  // The state as of the last call: an open breaker whose reopens_at has passed still
  // says kOpen until AllowAttempt moves it to half-open.
  State state() const { return state_; }
  // When an open breaker lets its probe through; meaningful only while kOpen.
  Instant reopens_at() const { return reopens_at_; }
  // The length of the current or most recent opening: open_for at first, doubled by
  // each failed probe, back to open_for when a probe succeeds.
  std::chrono::seconds open_for() const { return open_for_; }
  int consecutive_failures() const { return consecutive_failures_; }
  const CircuitBreakerOptions& options() const { return options_; }

 private:
  void Open(Instant now, std::chrono::seconds duration);

  CircuitBreakerOptions options_;
  State state_ = State::kClosed;
  int consecutive_failures_ = 0;
  std::chrono::seconds open_for_;
  Instant reopens_at_{};
  bool probe_in_flight_ = false;
  Instant probe_started_{};
};

// "closed", "open", "half-open": the names status output uses.
std::string_view ToString(CircuitBreaker::State state);

}  // namespace b2bmail::smtp
