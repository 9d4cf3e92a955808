#include "b2bmail/smtp/circuit_breaker.h"

#include <algorithm>

namespace b2bmail::smtp {

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options)
    : options_(options), open_for_(options.open_for) {}

bool CircuitBreaker::AllowAttempt(Instant now) {
  // A lost probe fails at its deadline, not when someone next asks, so the answer
  // depends only on `now` (WouldAllowAttempt relies on that) and a long silence
  // does not stretch the opening.
  if (state_ == State::kHalfOpen && probe_in_flight_ &&
      now - probe_started_ >= options_.probe_timeout) {
    OnFailure(probe_started_ + options_.probe_timeout);
  }
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now < reopens_at_) return false;
      state_ = State::kHalfOpen;
      break;
    case State::kHalfOpen:
      if (probe_in_flight_) return false;
      break;
  }
  probe_in_flight_ = true;
  probe_started_ = now;
  return true;
}

bool CircuitBreaker::WouldAllowAttempt(Instant now) const {
  // The breaker is a handful of fields; asking a copy keeps the two answers identical.
  CircuitBreaker copy = *this;
  return copy.AllowAttempt(now);
}

void CircuitBreaker::OnSuccess(Instant) {
  switch (state_) {
    case State::kClosed:
      consecutive_failures_ = 0;
      break;
    case State::kHalfOpen:
      state_ = State::kClosed;
      consecutive_failures_ = 0;
      open_for_ = options_.open_for;
      probe_in_flight_ = false;
      break;
    case State::kOpen:
      break;
  }
}

void CircuitBreaker::OnFailure(Instant now) {
  switch (state_) {
    case State::kClosed:
      if (++consecutive_failures_ >= options_.failure_threshold) Open(now, open_for_);
      break;
    case State::kHalfOpen: {
      // The cap never shortens an open_for configured above it.
      auto cap = std::max(options_.max_open_for, options_.open_for);
      Open(now, std::min(open_for_ * 2, cap));
      break;
    }
    case State::kOpen:
      break;
  }
}

void CircuitBreaker::ReleaseProbe() {
  if (state_ == State::kHalfOpen) probe_in_flight_ = false;
}

void CircuitBreaker::Open(Instant now, std::chrono::seconds duration) {
  state_ = State::kOpen;
  open_for_ = duration;
  reopens_at_ = now + duration;
  consecutive_failures_ = 0;
  probe_in_flight_ = false;
}

std::string_view ToString(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half-open";
  }
  return "?";
}

}  // namespace b2bmail::smtp
