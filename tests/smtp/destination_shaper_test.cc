#include "b2bmail/smtp/destination_shaper.h"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::DestinationShaper;
using smtp::Instant;
using smtp::OutcomeKind;
using smtp::ShapingLimits;
using State = smtp::CircuitBreaker::State;

namespace {
const Instant kStart = Instant{} + 1000h;
constexpr Instant::duration kTick{1};

ShapingLimits Paced(double per_minute, int burst, int max_connections = 2) {
  ShapingLimits limits;
  limits.per_minute = per_minute;
  limits.burst = burst;
  limits.per_hour = std::nullopt;
  limits.max_connections = max_connections;
  return limits;
}

int StartsAt(DestinationShaper& shaper, Instant now) {
  int starts = 0;
  while (shaper.MayStartMessage(now)) ++starts;
  return starts;
}

void Report(DestinationShaper& shaper, Instant now, OutcomeKind kind, int times) {
  for (int i = 0; i < times; ++i) shaper.OnOutcome(now, kind);
}
}  // namespace

TEST_CASE("DestinationShaper opens at most max_connections sessions", "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultDomainLimits(), kStart);
  CHECK(shaper.MayOpenConnection(kStart));
  shaper.OnConnectionOpened(kStart);
  CHECK(shaper.MayOpenConnection(kStart));
  shaper.OnConnectionOpened(kStart);
  CHECK_FALSE(shaper.MayOpenConnection(kStart));
  CHECK(shaper.open_connections() == 2);
  shaper.OnConnectionClosed();
  CHECK(shaper.MayOpenConnection(kStart));
  shaper.OnConnectionClosed();
  shaper.OnConnectionClosed();  // one close too many does not go below zero
  CHECK(shaper.open_connections() == 0);
}

TEST_CASE("DestinationShaper spends one message per start, a burst then the pace",
          "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultDomainLimits(), kStart);  // 60/min, burst 10
  CHECK(shaper.CanStartMessage(kStart));
  CHECK(StartsAt(shaper, kStart) == 10);
  CHECK_FALSE(shaper.CanStartMessage(kStart));
  CHECK(shaper.NextStart(kStart) == kStart + 1s);
  CHECK_FALSE(shaper.MayStartMessage(kStart + 1s - kTick));
  CHECK(shaper.MayStartMessage(kStart + 1s));
}

TEST_CASE("DestinationShaper's pause stops sessions and starts without spending anything",
          "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultDomainLimits(), kStart);
  shaper.Pause(true);
  CHECK_FALSE(shaper.MayOpenConnection(kStart));
  CHECK_FALSE(shaper.MayStartMessage(kStart));
  CHECK(shaper.NextStart(kStart) == Instant::max());
  CHECK(shaper.Snapshot(kStart).paused);
  shaper.Pause(false);
  CHECK(shaper.MayOpenConnection(kStart));
  CHECK(StartsAt(shaper, kStart) == 10);
}

TEST_CASE("DestinationShaper halves its pace once for a burst of 421s", "[smtp][shaping]") {
  DestinationShaper shaper(Paced(60, 1), kStart);
  REQUIRE(shaper.MayStartMessage(kStart));
  Report(shaper, kStart + 100ms, OutcomeKind::kRateLimited, 10);
  auto snapshot = shaper.Snapshot(kStart + 100ms);
  CHECK(snapshot.rate_factor == 0.5);
  CHECK(snapshot.effective_per_minute == 30.0);
  // The 0.9 of a message still missing 100 ms after the start refills at half speed.
  CHECK(shaper.NextStart(kStart + 100ms) == kStart + 1900ms);
  // Deliveries after the cool-down bring it back up.
  Report(shaper, kStart + 1min, OutcomeKind::kDelivered, 20);
  CHECK(shaper.Snapshot(kStart + 1min).rate_factor == Approx(0.55));
}

TEST_CASE("DestinationShaper ignores permanent failures for the rate and the breaker",
          "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultDomainLimits(), kStart);
  Report(shaper, kStart, OutcomeKind::kPermanentFailure, 100);
  CHECK(shaper.Snapshot(kStart).rate_factor == 1.0);
  CHECK(shaper.breaker().state() == State::kClosed);
  // Nor do they break a run of connection failures.
  Report(shaper, kStart, OutcomeKind::kConnectionFailure, 4);
  shaper.OnOutcome(kStart, OutcomeKind::kPermanentFailure);
  shaper.OnOutcome(kStart, OutcomeKind::kConnectionFailure);
  CHECK(shaper.breaker().state() == State::kOpen);
}

TEST_CASE("DestinationShaper stops a failing destination and probes it with one session",
          "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultDomainLimits(), kStart);
  shaper.OnConnectionOpened(kStart);
  Report(shaper, kStart, OutcomeKind::kConnectionFailure, 5);
  shaper.OnConnectionClosed();
  CHECK(shaper.Snapshot(kStart).rate_factor == 1.0);  // five is not a deferral burst
  CHECK_FALSE(shaper.MayOpenConnection(kStart + 1s));
  CHECK_FALSE(shaper.CanStartMessage(kStart + 1s));
  CHECK(shaper.NextStart(kStart + 1s) == kStart + 60s);
  auto snapshot = shaper.Snapshot(kStart + 1s);
  CHECK(snapshot.breaker == State::kOpen);
  CHECK(snapshot.breaker_reopens_at == kStart + 60s);

  const Instant due = kStart + 60s;
  CHECK_FALSE(shaper.MayOpenConnection(due - kTick));
  REQUIRE(shaper.MayOpenConnection(due));
  shaper.OnConnectionOpened(due);  // the probe
  CHECK(shaper.breaker().state() == State::kHalfOpen);
  CHECK_FALSE(shaper.MayOpenConnection(due));  // a second session waits, though one is free
  CHECK(shaper.MayStartMessage(due));          // the probe session may send

  SECTION("a delivery closes the breaker") {
    shaper.OnOutcome(due + 1s, OutcomeKind::kDelivered);
    CHECK(shaper.breaker().state() == State::kClosed);
    CHECK(shaper.MayOpenConnection(due + 1s));
  }
  SECTION("a deferral leaves it half-open and lets another probe session open") {
    shaper.OnOutcome(due + 1s, OutcomeKind::kDeferred);
    CHECK(shaper.breaker().state() == State::kHalfOpen);
    CHECK(shaper.MayOpenConnection(due + 1s));
  }
  SECTION("a failed probe reopens it for twice as long") {
    shaper.OnOutcome(due + 1s, OutcomeKind::kConnectionFailure);
    CHECK_FALSE(shaper.MayOpenConnection(due + 1s + 120s - kTick));
    CHECK(shaper.MayOpenConnection(due + 1s + 120s));
  }
}

TEST_CASE("MayStartMessage for domain and provider spends neither when one refuses",
          "[smtp][shaping]") {
  SECTION("the provider is slower: the domain keeps what the provider refused") {
    DestinationShaper domain(Paced(60, 10), kStart);
    DestinationShaper provider(Paced(6, 3), kStart);
    int started = 0;
    for (int i = 0; i < 10; ++i) started += smtp::MayStartMessage(domain, provider, kStart);
    CHECK(started == 3);
    CHECK(StartsAt(domain, kStart) == 7);
    CHECK(smtp::NextStart(domain, provider, kStart) == kStart + 10s);
  }
  SECTION("the domain is paused: the provider keeps its burst for other domains") {
    DestinationShaper domain(Paced(60, 10), kStart);
    DestinationShaper other(Paced(60, 10), kStart);
    DestinationShaper provider(Paced(6, 3), kStart);
    domain.Pause(true);
    CHECK_FALSE(smtp::MayStartMessage(domain, provider, kStart));
    CHECK(smtp::NextStart(domain, provider, kStart) == Instant::max());
    int started = 0;
    for (int i = 0; i < 10; ++i) started += smtp::MayStartMessage(other, provider, kStart);
    CHECK(started == 3);
  }
  SECTION("sessions need both") {
    DestinationShaper domain(Paced(60, 10, 2), kStart);
    DestinationShaper provider(Paced(60, 10, 1), kStart);
    CHECK(smtp::MayOpenConnection(domain, provider, kStart));
    domain.OnConnectionOpened(kStart);
    provider.OnConnectionOpened(kStart);
    CHECK(domain.MayOpenConnection(kStart));
    CHECK_FALSE(smtp::MayOpenConnection(domain, provider, kStart));
  }
}

TEST_CASE("Domains sharing a provider lose no messages to its refusals (random schedule)",
          "[smtp][shaping]") {
  // Five domains behind one provider whose pace is slower than their sum. Afterwards
  // each domain must be in exactly the state its own starts explain: replaying only its
  // successful starts on a fresh shaper gives the same next start at every later instant.
  std::mt19937 rng(7);
  std::vector<DestinationShaper> domains;
  for (int i = 0; i < 5; ++i) domains.emplace_back(Paced(20 + 10 * i, 2 + i), kStart);
  DestinationShaper provider(Paced(60, 8), kStart);
  std::vector<std::vector<Instant>> started(domains.size());
  std::vector<Instant> provider_starts;
  Instant now = kStart;
  for (int step = 0; step < 20000; ++step) {
    now += std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(rng));
    auto which = std::uniform_int_distribution<std::size_t>(0, domains.size() - 1)(rng);
    if (smtp::MayStartMessage(domains[which], provider, now)) {
      started[which].push_back(now);
      provider_starts.push_back(now);
    }
  }
  REQUIRE(provider_starts.size() > 1000);
  for (std::size_t i = 0; i < domains.size(); ++i) {
    INFO("domain " << i);
    DestinationShaper replay(Paced(20 + 10 * static_cast<double>(i), 2 + static_cast<int>(i)),
                             kStart);
    for (Instant t : started[i]) REQUIRE(replay.MayStartMessage(t));
    CHECK(replay.NextStart(now) == domains[i].NextStart(now));
  }
  DestinationShaper provider_replay(Paced(60, 8), kStart);
  for (Instant t : provider_starts) REQUIRE(provider_replay.MayStartMessage(t));
  CHECK(provider_replay.NextStart(now) == provider.NextStart(now));
}

TEST_CASE("DestinationShaper's snapshot reports its state", "[smtp][shaping]") {
  DestinationShaper shaper(smtp::DefaultProviderLimits(), kStart);
  shaper.OnConnectionOpened(kStart);
  auto snapshot = shaper.Snapshot(kStart);
  CHECK(snapshot.open_connections == 1);
  CHECK(snapshot.max_connections == 5);
  CHECK(snapshot.rate_factor == 1.0);
  CHECK(snapshot.effective_per_minute == 600.0);
  CHECK(snapshot.breaker == State::kClosed);
  CHECK_FALSE(snapshot.paused);
  CHECK(snapshot.next_start == kStart);

  ShapingLimits slower = smtp::DefaultProviderLimits();
  slower.per_minute = 1;
  slower.max_connections = 1;
  shaper.SetLimits(slower, kStart);
  CHECK(shaper.Snapshot(kStart).effective_per_minute == 1.0);
  CHECK_FALSE(shaper.MayOpenConnection(kStart));
}
