#pragma once
// The delivery engine: pulls due messages from the Outbox into one queue per
// destination domain, finds each domain's route (a relay, a per-domain override or
// its MX hosts), shapes traffic per domain and per mail provider (ShapingLimits,
// adaptive rate, circuit breaker, warm-up caps), and sends over pooled, pipelined
// SMTP sessions on one event loop, so that thousands of sessions need one thread.
// Every outcome is recorded in the Outbox in one batch per loop iteration, before the
// sessions that produced them are given more work (crash safety: a kill repeats at
// most the messages whose final "." was on the wire).

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/smtp/delivery_outcome.h"
#include "b2bmail/smtp/destination_shaper.h"
#include "b2bmail/smtp/mx_resolver.h"
#include "b2bmail/smtp/outbox.h"
#include "b2bmail/smtp/retry_policy.h"
#include "b2bmail/smtp/session_options.h"
#include "b2bmail/smtp/shaping_limits.h"
#include "b2bmail/smtp/warmup_plan.h"

namespace b2bmail::smtp {

// Where mail for a domain goes instead of its MX hosts.
struct RouteOptions {
  // "host" or "host:port" (IPv6 in brackets), tried in order. Host names are resolved
  // once, when the engine starts.
  std::vector<std::string> hosts;
  int default_port = 25;
  std::optional<TlsPolicy> tls;  // unset: the engine's session default
  std::string auth_user;         // AUTH when set (a smarthost)
  std::string auth_password;
  std::string provider;  // the provider queue it counts against; empty: the host
};

// Counts for one Run().
struct DeliveryStats {
  int attempted = 0;  // outcomes recorded
  int delivered = 0;
  int deferred = 0;     // temporary failure, retry scheduled
  int failed = 0;       // permanent failure, or temporary after the last attempt
  int released = 0;     // given back unsent to wait for their queue (throttle, warm-up, pause)
  int in_flight = 0;    // messages held in memory now
  int connections = 0;  // SMTP sessions open now
  double rate_per_second = 0;  // recorded outcomes per second over the last 10 s
};

// One line of the attempt log (the CLI writes it as JSON).
struct AttemptLogEntry {
  base::TimePoint at{};
  std::int64_t id = 0;
  std::string campaign;
  std::string recipient;
  std::string domain;
  std::string provider;
  std::string server;  // "mx1.a.test[192.0.2.1]:25", empty when no session was made
  int attempt = 0;     // 1 for the first attempt
  DeliveryOutcome outcome;
  std::optional<base::TimePoint> retry_at;
  std::chrono::milliseconds duration{0};  // from start on a session to the outcome
};

// A relay's provider queue: 10 sessions of 100 messages, no rate caps (see relay_limits).
ShapingLimits RelayLimits();

struct DeliveryEngineOptions {
  // Defined in delivery_engine.cc: g++ 12 at -O2 crashes (an internal compiler error in
  // gimplify_modify_expr) inlining the implicit constructor into other files.
  // Our name, TLS policy and timeouts for every session (routes may change the TLS).
  SessionOptions session;
  int mx_port = 25;
  // Smarthost for every domain without a route of its own; unset: MX delivery.
  std::optional<RouteOptions> relay;
  std::map<std::string, RouteOptions> routes;  // by lower-case domain
  // Shaping: defaults for every domain and every provider, and overrides by name.
  ShapingLimits domain_limits = DefaultDomainLimits();
  ShapingLimits provider_limits = DefaultProviderLimits();
  // The provider queue "relay": a smarthost shapes its own traffic to the real
  // destinations, so only sessions are capped here (10, 100 messages each), not rates;
  // the per-domain limits still apply. [smtp.providers.relay] overrides it.
  ShapingLimits relay_limits = RelayLimits();
  std::map<std::string, ShapingLimits> domain_overrides;
  std::map<std::string, ShapingLimits> provider_overrides;
  DestinationShaperOptions shaper;
  // Extra MX host suffixes for the provider rollup: {provider, suffix}.
  std::vector<std::pair<std::string, std::string>> provider_suffixes;
  // Warm-up caps by envelope-sender domain (the part after '@' of MAIL FROM).
  std::map<std::string, WarmupOptions> warmup;
  RetryOptions retry;
  MxResolverOptions dns;
  int max_connections = 1000;  // all destinations together
  int max_in_memory = 5000;    // messages claimed and held at once
  int claim_batch_size = 500;
  int max_waiting_per_domain = 200;  // a domain with this many held is not claimed for
  // A message that would wait longer than this for its queue (a per-hour cap, the next
  // warm-up day, an open circuit) is given back to the Outbox, due when its queue is.
  std::chrono::seconds release_after = std::chrono::seconds(60);
  // Group commit: outcomes are recorded together once the sessions waiting for their
  // record outnumber those still mid-transaction, or this long after the first of them,
  // whichever is sooner. Sessions pause until their outcome is durable, so this bounds
  // the extra wait per message.
  std::chrono::microseconds commit_delay = std::chrono::microseconds(300);
  // How often paused domains and providers are read again from the Outbox.
  std::chrono::milliseconds pause_poll = std::chrono::seconds(5);
};

class DeliveryEngine {
 public:
  // Throws Error{kConfig} for a route host that does not resolve, Error{kInternal}
  // when the event loop or TLS cannot be set up.
  DeliveryEngine(DeliveryEngineOptions options, Outbox& outbox, const base::Clock& clock);
  ~DeliveryEngine();
  DeliveryEngine(const DeliveryEngine&) = delete;
  DeliveryEngine& operator=(const DeliveryEngine&) = delete;

  // Sends until nothing is due and nothing is in flight (until_idle), or until Stop().
  // Calls `progress` at most every 200 ms and `log` once per recorded attempt.
  // Throws what the Outbox throws; claimed messages then stay in flight for the next
  // run to requeue.
  DeliveryStats Run(bool until_idle, const std::function<void(const DeliveryStats&)>& progress = {},
                    const std::function<void(const AttemptLogEntry&)>& log = {});
  // Ends Run() soon: no new messages start, those on the wire finish, the rest are
  // given back. Safe to call from a signal handler's flag-watching thread or another thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace b2bmail::smtp
