// DeliveryEngine: the loop of ARCHITECTURE.md's smtp box, "DomainQueue per destination
// → ThrottleBucket → ConnectionPool → server". One thread runs the event loop, the
// queues and the group commit; a few resolver threads block in DNS lookups.

#include "b2bmail/smtp/delivery_engine.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/smtp/provider_map.h"
#include "connection.h"
#include "event_loop.h"
#include "host_lookup.h"
#include "smtp_session.h"
#include "tls_layer.h"

namespace b2bmail::smtp {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kResolverThreads = 4;
constexpr std::size_t kMaxCandidates = 10;  // addresses tried per message before deferring

std::string DomainOf(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : base::AsciiLower(address.substr(at + 1));
}

// "host", "host:port", "[v6]:port" -> host and port.
std::pair<std::string, int> SplitHostPort(const std::string& text, int default_port) {
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos)
      throw Error(ErrorKind::kConfig, "bad route host \"" + text + "\"");
    std::string host = text.substr(1, close - 1);
    if (close + 1 < text.size() && text[close + 1] == ':')
      return {host, std::stoi(text.substr(close + 2))};
    return {host, default_port};
  }
  auto colon = text.rfind(':');
  if (colon != std::string::npos && text.find(':') == colon) {
    int port = 0;
    try {
      port = std::stoi(text.substr(colon + 1));
    } catch (const std::exception&) {
      throw Error(ErrorKind::kConfig, "bad port in route host \"" + text + "\"");
    }
    if (port <= 0 || port > 65535)
      throw Error(ErrorKind::kConfig, "bad port in route host \"" + text + "\"");
    return {text.substr(0, colon), port};
  }
  return {text, default_port};
}

OutcomeKind KindOf(const DeliveryOutcome& outcome) {
  switch (outcome.status) {
    case DeliveryStatus::kDelivered:
      return OutcomeKind::kDelivered;
    case DeliveryStatus::kPermanent:
      return OutcomeKind::kPermanentFailure;
    case DeliveryStatus::kTemporary:
      break;
  }
  switch (outcome.category) {
    case FailureCategory::kRateLimited:
      return OutcomeKind::kRateLimited;
    case FailureCategory::kNetwork:
    case FailureCategory::kTlsFailure:
      return OutcomeKind::kConnectionFailure;
    default:
      return OutcomeKind::kDeferred;
  }
}

DeliveryOutcome Temporary(FailureCategory category, std::string text) {
  DeliveryOutcome outcome;
  outcome.status = DeliveryStatus::kTemporary;
  outcome.category = category;
  outcome.text = std::move(text);
  return outcome;
}

}  // namespace

class DeliveryEngine::Impl final : public ConnectionListener {
 public:
  Impl(DeliveryEngineOptions options, Outbox& outbox, const base::Clock& clock)
      : options_(std::move(options)),
        outbox_(outbox),
        clock_(clock),
        retry_policy_(options_.retry),
        resolver_(options_.dns, clock) {
    for (auto& [provider, suffix] : options_.provider_suffixes) providers_.Add(provider, suffix);
    if (options_.relay) relay_ = MakeStaticRoute("relay", *options_.relay, "relay");
    for (auto& [domain, route] : options_.routes)
      static_routes_[base::AsciiLower(domain)] =
          MakeStaticRoute("route:" + base::AsciiLower(domain), route, "");
    for (auto& [domain, warmup] : options_.warmup)
      warmups_.emplace(base::AsciiLower(domain), WarmupState{WarmupPlan(warmup), 0, 0});
  }

  ~Impl() override {
    StopResolvers();
    connections_.clear();
  }

  void Stop() {
    stop_requested_ = true;
    loop_.Wake();
  }

  DeliveryStats Run(bool until_idle, const std::function<void(const DeliveryStats&)>& progress,
                    const std::function<void(const AttemptLogEntry&)>& log) {
    stats_ = DeliveryStats{};
    log_ = &log;
    stopping_ = false;
    stop_requested_ = false;
    last_claim_empty_ = false;
    InitWarmupCounters();
    RefreshPaused(Steady::now(), true);
    auto last_progress = Steady::now();
    for (;;) {
      auto now = Steady::now();
      if (stop_requested_ && !stopping_) BeginStop(now);
      ApplyResolutions(now);
      RefreshPaused(now, false);
      if (!stopping_) Claim(now, until_idle);
      wake_at_.reset();
      if (!stopping_) Dispatch(now);
      FlushReady(now);
      QuitUnneededConnections(now);
      if (!held_.empty() && connections_.empty() && active_.empty() && pending_resolutions_ == 0 &&
          completions_.empty())
        RecoverStranded();
      bool idle = held_.empty() && pending_resolutions_ == 0;
      if (idle && (stopping_ || (until_idle && last_claim_empty_))) {
        if (connections_.empty()) break;
        QuitAll(now);
      }
      auto wait = std::chrono::milliseconds(until_idle ? 1000 : 250);
      if (wake_at_) {
        auto until = std::chrono::ceil<std::chrono::milliseconds>(*wake_at_ - now);
        wait = std::clamp(until, std::chrono::milliseconds(0), wait);
      }
      if (!until_idle && last_claim_empty_ && held_.empty()) {
        // Nothing to do: look for due messages a few times a second.
        wait = std::min(wait, std::chrono::milliseconds(250));
      }
      if (!completions_.empty()) {
        // A commit is due at the latest commit_delay after the first pending outcome.
        auto due = std::chrono::ceil<std::chrono::milliseconds>(first_pending_ +
                                                                options_.commit_delay - now);
        wait = std::clamp(due, std::chrono::milliseconds(0), wait);
      }
      loop_.RunOnce(wait);
      MaybeCommit(Steady::now());
      DestroyClosed();
      if (progress && Steady::now() - last_progress >= std::chrono::milliseconds(200)) {
        last_progress = Steady::now();
        progress(Snapshot());
      }
    }
    if (progress) progress(Snapshot());
    log_ = nullptr;
    return Snapshot();
  }

  // --- ConnectionListener ----------------------------------------------------------
  void OnCompletion(Connection& connection, SessionCompletion completion) override {
    if (completions_.empty()) first_pending_ = Steady::now();
    completions_.push_back(
        {completion.tag, std::move(completion.outcome), connection.Where(), &connection});
  }
  void OnReady(Connection& connection) override {
    auto it = connection_info_.find(&connection);
    if (it != connection_info_.end()) it->second.route->ready.push_back(&connection);
    to_flush_.push_back(&connection);
  }
  void OnClosed(Connection& connection) override { closed_.push_back(&connection); }

 private:
  struct Route;
  struct ProviderQueue {
    std::string name;
    std::unique_ptr<DestinationShaper> shaper;
  };
  struct Held;
  struct DomainQueue {
    std::string name;
    enum class State { kNew, kResolving, kReady, kFailed } state = State::kNew;
    Route* route = nullptr;
    ProviderQueue* provider = nullptr;
    std::unique_ptr<DestinationShaper> shaper;
    std::deque<Held*> waiting;
    Steady::time_point route_expires{};
    std::optional<MxAnswer> failed_answer;        // kFailed: the permanent DNS answer
    std::optional<DeliveryOutcome> last_failure;  // the last session-level failure
    Steady::time_point parked_until{};            // released: not claimed for until then
    base::TimePoint parked_until_day{};           // at its warm-up cap: not claimed until then
  };
  struct Held {
    OutgoingMessage message;
    DomainQueue* domain = nullptr;
    Steady::time_point started{};
    bool on_the_wire = false;
  };
  struct Route {
    std::string key;
    std::vector<Endpoint> candidates;
    std::string provider;
    SessionOptions session;
    std::vector<Connection*> ready;  // reported ready; check CanTake() before use
  };
  struct ConnectionInfo {
    Route* route;
    DomainQueue* domain;
    ProviderQueue* provider;
  };
  struct Completion {
    std::uint64_t tag;
    DeliveryOutcome outcome;
    std::string server;
    Connection* connection = nullptr;  // to resume once the outcome is durable
  };
  struct WarmupState {
    WarmupPlan plan;
    std::int64_t day = 0;
    std::int64_t sent_today = 0;
  };

  std::unique_ptr<Route> MakeStaticRoute(const std::string& key, const RouteOptions& options,
                                         const std::string& default_provider) {
    auto route = std::make_unique<Route>();
    route->key = key;
    route->session = options_.session;
    if (options.tls) route->session.tls = *options.tls;
    route->session.auth_user = options.auth_user;
    route->session.auth_password = options.auth_password;
    for (const auto& text : options.hosts) {
      auto [host, port] = SplitHostPort(text, options.default_port);
      std::vector<std::string> addresses;
      try {
        addresses = LookUpHost(host);
      } catch (const Error& e) {
        throw Error(ErrorKind::kConfig, std::string("route ") + key + ": " + e.what());
      }
      for (auto& address : addresses) route->candidates.push_back({host, address, port});
    }
    if (route->candidates.empty())
      throw Error(ErrorKind::kConfig, "route " + key + " has no hosts");
    route->provider = !options.provider.empty() ? options.provider
                      : !default_provider.empty()
                          ? default_provider
                          : base::AsciiLower(SplitHostPort(options.hosts.front(), 25).first);
    return route;
  }

  // --- queues --------------------------------------------------------------------
  ProviderQueue* ProviderNamed(const std::string& name) {
    auto& slot = providers_by_name_[name];
    if (!slot) {
      slot = std::make_unique<ProviderQueue>();
      slot->name = name;
      auto it = options_.provider_overrides.find(name);
      const ShapingLimits& defaults =
          relay_ && name == relay_->provider ? options_.relay_limits : options_.provider_limits;
      slot->shaper = std::make_unique<DestinationShaper>(
          it != options_.provider_overrides.end() ? it->second : defaults, Steady::now(),
          options_.shaper);
      slot->shaper->Pause(paused_providers_.count(name) > 0);
    }
    return slot.get();
  }

  DomainQueue* DomainNamed(const std::string& name) {
    auto& slot = domains_[name];
    if (!slot) {
      slot = std::make_unique<DomainQueue>();
      slot->name = name;
      auto it = options_.domain_overrides.find(name);
      slot->shaper = std::make_unique<DestinationShaper>(
          it != options_.domain_overrides.end() ? it->second : options_.domain_limits,
          Steady::now(), options_.shaper);
      slot->shaper->Pause(paused_domains_.count(name) > 0);
      auto route = static_routes_.find(name);
      if (route != static_routes_.end()) {
        AssignRoute(*slot, route->second.get(), Steady::time_point::max());
      } else if (relay_) {
        AssignRoute(*slot, relay_.get(), Steady::time_point::max());
      }
    }
    return slot.get();
  }

  void AssignRoute(DomainQueue& domain, Route* route, Steady::time_point expires) {
    domain.route = route;
    domain.provider = ProviderNamed(route->provider);
    domain.state = DomainQueue::State::kReady;
    domain.route_expires = expires;
  }

  // --- claiming ------------------------------------------------------------------
  void Claim(Steady::time_point now, bool until_idle) {
    int room = options_.max_in_memory - static_cast<int>(held_.size());
    if (room < options_.max_in_memory / 2 && !held_.empty()) return;
    if (last_claim_empty_ && !until_idle && now - last_claim_ < std::chrono::milliseconds(250))
      return;
    if (last_claim_empty_ && until_idle && !held_.empty()) return;
    last_claim_ = now;
    std::vector<std::string> skip;
    const base::TimePoint wall = clock_.Now();
    for (auto& [name, domain] : domains_) {
      bool provider_blocked = domain->provider && (domain->provider->shaper->paused() ||
                                                   domain->provider->shaper->breaker().state() ==
                                                       CircuitBreaker::State::kOpen);
      if (static_cast<int>(domain->waiting.size()) >= options_.max_waiting_per_domain ||
          domain->shaper->paused() || provider_blocked || domain->parked_until > now ||
          domain->parked_until_day > wall)
        skip.push_back(name);
    }
    auto batch = outbox_.ClaimDue(clock_.Now(), std::min(room, options_.claim_batch_size), skip);
    last_claim_empty_ = batch.empty();
    for (auto& message : batch) {
      auto held = std::make_unique<Held>();
      std::string domain_name =
          message.domain.empty() ? DomainOf(message.recipient) : message.domain;
      held->message = std::move(message);
      held->domain = DomainNamed(domain_name);
      held->domain->waiting.push_back(held.get());
      active_.insert(held->domain);
      auto tag = static_cast<std::uint64_t>(held->message.id);
      held_.emplace(tag, std::move(held));
    }
  }

  // --- dispatching ---------------------------------------------------------------
  void Dispatch(Steady::time_point now) {
    std::vector<DomainQueue*> drained;
    for (DomainQueue* domain : active_) {
      DispatchDomain(*domain, now);
      if (domain->waiting.empty()) drained.push_back(domain);
    }
    for (DomainQueue* domain : drained) active_.erase(domain);
  }

  void WakeAt(Steady::time_point at) {
    if (!wake_at_ || at < *wake_at_) wake_at_ = at;
  }

  void DispatchDomain(DomainQueue& domain, Steady::time_point now) {
    if (domain.waiting.empty()) return;
    if (domain.state == DomainQueue::State::kReady && now >= domain.route_expires && domain.route &&
        domain.route->key.rfind("mx:", 0) == 0)
      domain.state = DomainQueue::State::kNew;  // the MX answer expired: look again
    if (domain.state == DomainQueue::State::kFailed) {
      if (now < domain.route_expires) return FailWaiting(domain, *domain.failed_answer);
      domain.state = DomainQueue::State::kNew;
    }
    if (domain.state == DomainQueue::State::kNew) return RequestResolution(domain);
    if (domain.state == DomainQueue::State::kResolving) return;

    DestinationShaper& dshaper = *domain.shaper;
    DestinationShaper& pshaper = *domain.provider->shaper;
    if (dshaper.paused() || pshaper.paused()) {
      // An operator's hold: back to the Outbox, which will not hand them out while paused.
      domain.parked_until = now + options_.pause_poll;
      return ReleaseWaiting(domain, clock_.Now());
    }
    Route& route = *domain.route;
    int per_connection = std::min(dshaper.limits().max_messages_per_connection,
                                  pshaper.limits().max_messages_per_connection);
    while (!domain.waiting.empty()) {
      Held* held = domain.waiting.front();
      if (!WarmupAllows(domain, *held)) return;
      Connection* connection = PeekReadyConnection(route);
      bool may_open = !connection && connection_count() < options_.max_connections &&
                      MayOpenConnection(dshaper, pshaper, now);
      if (!connection && !may_open) {
        if (BreakerOpen(domain)) {
          if (OpenConnectionsFor(domain) == 0) return SuspendWaiting(domain, now);
          QuitIdleConnectionsOf(domain, now);
          WakeAt(std::max(dshaper.NextStart(now), pshaper.NextStart(now)));
        }
        // Otherwise wait for a session to finish or close; the loop wakes us then. An
        // idle session of a domain with nothing left to send may be holding the
        // provider's (or the engine's) last slot: close it.
        if (!OpenConnectionsFor(domain)) FreeIdleSlot(*domain.provider, now);
        return;
      }
      if (!MayStartMessage(dshaper, pshaper, now)) {
        if (BreakerOpen(domain)) {
          // The circuit opened under open sessions: close the idle ones, and when none
          // is left the waiting messages are deferred (above).
          QuitIdleConnectionsOf(domain, now);
          if (OpenConnectionsFor(domain) == 0) return SuspendWaiting(domain, now);
        }
        auto next = std::max(dshaper.NextStart(now), pshaper.NextStart(now));
        if (next - now > options_.release_after) {
          domain.parked_until = next;
          return ReleaseWaiting(domain,
                                clock_.Now() + std::chrono::ceil<std::chrono::seconds>(next - now));
        }
        WakeAt(next);
        return;
      }
      domain.waiting.pop_front();
      held->started = now;
      held->on_the_wire = true;
      CountWarmup(*held);
      SessionMessage message{static_cast<std::uint64_t>(held->message.id), held->message.sender,
                             held->message.recipient, held->message.data};
      if (connection) {
        route.ready.pop_back();  // PeekReadyConnection left it last
        connection->Send(message);
        connection->Flush(now);
      } else {
        OpenConnection(domain, per_connection, message, now);
      }
    }
  }

  // A session of the route that can take a message now, left last in route.ready.
  // Entries that cannot are dropped: a session reports ready again when it can.
  Connection* PeekReadyConnection(Route& route) {
    while (!route.ready.empty()) {
      Connection* c = route.ready.back();
      if (connection_info_.count(c) && c->CanTake()) return c;
      route.ready.pop_back();
    }
    return nullptr;
  }

  bool BreakerOpen(const DomainQueue& domain) const {
    return domain.shaper->breaker().state() == CircuitBreaker::State::kOpen ||
           domain.provider->shaper->breaker().state() == CircuitBreaker::State::kOpen;
  }

  // Quits one idle session whose domain has nothing waiting, of `provider` when its
  // budget is full, else of any provider when the engine's is.
  void FreeIdleSlot(const ProviderQueue& provider, Steady::time_point now) {
    bool provider_full =
        provider.shaper->open_connections() >= provider.shaper->limits().max_connections;
    if (!provider_full && connection_count() < options_.max_connections) return;
    for (auto& [c, info] : connection_info_) {
      if (provider_full && info.provider != &provider) continue;
      if (c->busy() || c->closed() || !info.domain->waiting.empty()) continue;
      c->Quit(now);
      return;
    }
  }

  void QuitIdleConnectionsOf(const DomainQueue& domain, Steady::time_point now) {
    std::vector<Connection*> idle;
    for (auto& [c, info] : connection_info_)
      if (info.domain == &domain && !c->busy() && !c->closed()) idle.push_back(c);
    for (Connection* c : idle) c->Quit(now);
  }

  // Sessions this domain opened and that are not closed yet (its shaper counts them).
  static int OpenConnectionsFor(const DomainQueue& domain) {
    return domain.shaper->open_connections();
  }

  void OpenConnection(DomainQueue& domain, int per_connection, const SessionMessage& message,
                      Steady::time_point now) {
    ConnectionOptions options;
    options.session = domain.route->session;
    options.max_messages = per_connection;
    options.cork_for_next = true;
    auto connection = std::make_unique<Connection>(loop_, tls_, *this, options,
                                                   domain.route->candidates, ++connection_ids_);
    Connection* raw = connection.get();
    connection_info_[raw] = {domain.route, &domain, domain.provider};
    connections_.emplace(raw, std::move(connection));
    domain.shaper->OnConnectionOpened(now);
    domain.provider->shaper->OnConnectionOpened(now);
    raw->Send(message);
    raw->Open(now);
  }

  // --- warm-up --------------------------------------------------------------------
  void InitWarmupCounters() {
    if (warmups_.empty()) return;
    auto now = clock_.Now();
    auto day_start = std::chrono::floor<std::chrono::days>(now);
    auto counts = outbox_.AttemptsSince(base::TimePoint(day_start));
    for (auto& [domain, state] : warmups_) {
      state.day = state.plan.DayIndex(now);
      auto it = counts.find(domain);
      state.sent_today = it != counts.end() ? it->second : 0;
    }
  }

  WarmupState* WarmupFor(const Held& held) {
    if (warmups_.empty()) return nullptr;
    auto it = warmups_.find(DomainOf(held.message.sender));
    return it == warmups_.end() ? nullptr : &it->second;
  }

  bool WarmupAllows(DomainQueue& domain, const Held& held) {
    WarmupState* state = WarmupFor(held);
    if (!state) return true;
    auto now = clock_.Now();
    std::int64_t day = state->plan.DayIndex(now);
    if (day != state->day) {
      state->day = day;
      state->sent_today = 0;
    }
    if (state->plan.Remaining(now, state->sent_today) > 0) return true;
    // Today's cap is reached: the rest waits for tomorrow (carried over, not dropped).
    auto tomorrow = state->plan.NextDayStart(now);
    domain.parked_until_day = tomorrow;  // by the clock: --now runs and tests move it
    ReleaseWaiting(domain, tomorrow);
    return false;
  }

  void CountWarmup(const Held& held) {
    if (WarmupState* state = WarmupFor(held)) ++state->sent_today;
  }

  // --- DNS ------------------------------------------------------------------------
  void RequestResolution(DomainQueue& domain) {
    domain.state = DomainQueue::State::kResolving;
    ++pending_resolutions_;
    StartResolvers();
    {
      std::lock_guard lock(resolve_mutex_);
      resolve_requests_.push_back(domain.name);
    }
    resolve_cv_.notify_one();
  }

  void StartResolvers() {
    if (!resolver_threads_.empty()) return;
    for (int i = 0; i < kResolverThreads; ++i) {
      resolver_threads_.emplace_back([this] {
        for (;;) {
          std::string name;
          {
            std::unique_lock lock(resolve_mutex_);
            resolve_cv_.wait(lock, [&] { return resolvers_stop_ || !resolve_requests_.empty(); });
            if (resolvers_stop_) return;
            name = std::move(resolve_requests_.front());
            resolve_requests_.pop_front();
          }
          MxAnswer answer;
          try {
            answer = resolver_.Resolve(name);
          } catch (const std::exception& e) {
            answer.outcome = MxAnswer::Outcome::kTemporaryFailure;
            answer.detail = e.what();
          }
          {
            std::lock_guard lock(resolve_mutex_);
            resolve_results_.emplace_back(std::move(name), std::move(answer));
          }
          loop_.Wake();
        }
      });
    }
  }

  void StopResolvers() {
    {
      std::lock_guard lock(resolve_mutex_);
      resolvers_stop_ = true;
    }
    resolve_cv_.notify_all();
    for (auto& t : resolver_threads_) t.join();
    resolver_threads_.clear();
  }

  void ApplyResolutions(Steady::time_point now) {
    std::vector<std::pair<std::string, MxAnswer>> results;
    {
      std::lock_guard lock(resolve_mutex_);
      results.swap(resolve_results_);
    }
    for (auto& [name, answer] : results) {
      --pending_resolutions_;
      DomainQueue& domain = *DomainNamed(name);
      auto ttl = std::chrono::duration_cast<Steady::duration>(answer.expires - clock_.Now());
      auto expires = now + std::max<Steady::duration>(ttl, std::chrono::seconds(60));
      if (answer.outcome == MxAnswer::Outcome::kFound) {
        auto& route = mx_routes_[name];
        if (!route) route = std::make_unique<Route>();
        route->key = "mx:" + name;
        route->session = options_.session;
        route->candidates.clear();
        for (const auto& host : answer.hosts) {
          for (const auto& address : host.addresses) {
            if (route->candidates.size() < kMaxCandidates)
              route->candidates.push_back({host.name, address, options_.mx_port});
          }
        }
        route->provider = providers_.ProviderOf(answer.hosts.front().name);
        AssignRoute(domain, route.get(), expires);
        if (domain.provider->shaper->paused()) domain.parked_until = now + options_.pause_poll;
        active_.insert(&domain);
      } else if (IsPermanent(answer.outcome)) {
        domain.state = DomainQueue::State::kFailed;
        domain.route_expires = expires;
        domain.failed_answer = answer;
        FailWaiting(domain, answer);
      } else {
        domain.state = DomainQueue::State::kNew;
        DeferWaiting(domain, Temporary(FailureCategory::kNetwork, "DNS: " + answer.detail));
      }
    }
  }

  // --- giving messages back or failing them without a session ----------------------
  void ReleaseWaiting(DomainQueue& domain, base::TimePoint next_attempt) {
    if (domain.waiting.empty()) return;
    std::vector<std::int64_t> ids;
    for (Held* held : domain.waiting) ids.push_back(held->message.id);
    domain.waiting.clear();
    outbox_.Release(ids, next_attempt);
    stats_.released += static_cast<int>(ids.size());
    for (auto id : ids) held_.erase(static_cast<std::uint64_t>(id));
  }

  void FailWaiting(DomainQueue& domain, const MxAnswer& answer) {
    DeliveryOutcome outcome;
    outcome.status = DeliveryStatus::kPermanent;
    outcome.category = FailureCategory::kBadDomain;
    outcome.text = "DNS: " + answer.detail;
    DeferWaiting(domain, outcome);
  }

  // Completes every waiting message with `outcome` (no session was made for them).
  void DeferWaiting(DomainQueue& domain, const DeliveryOutcome& outcome) {
    if (completions_.empty()) first_pending_ = Steady::now();
    for (Held* held : domain.waiting)
      completions_.push_back({static_cast<std::uint64_t>(held->message.id), outcome, ""});
    domain.waiting.clear();
    // Recorded by the next Commit, with the others.
  }

  // The destination's circuit is open: the waiting messages are deferred with the
  // failure that opened it, as an MTA does ("delivery temporarily suspended").
  void SuspendWaiting(DomainQueue& domain, Steady::time_point now) {
    (void)now;
    DeliveryOutcome outcome = domain.last_failure
                                  ? *domain.last_failure
                                  : Temporary(FailureCategory::kNetwork, "destination unreachable");
    outcome.status = DeliveryStatus::kTemporary;
    outcome.text = "delivery suspended after repeated failures: " + outcome.text;
    DeferWaiting(domain, outcome);
    Commit(Steady::now());
  }

  // Held messages with no queue, no session and no lookup to bring them back: a bug,
  // but never a lost message or a hung run. They are given back to the Outbox.
  void RecoverStranded() {
    std::vector<std::int64_t> ids;
    for (auto& [tag, held] : held_) ids.push_back(held->message.id);
    outbox_.Release(ids, clock_.Now());
    stats_.released += static_cast<int>(ids.size());
    held_.clear();
  }

  // Group commit: one transaction for the outcomes of many sessions. Sessions wait
  // (paused) until their outcome is durable, so commit as soon as every session with
  // work is waiting for it; while some are still mid-transaction, gather their outcomes
  // too, but for no longer than commit_delay.
  void MaybeCommit(Steady::time_point now) {
    if (completions_.empty()) return;
    std::size_t working = 0;  // sessions still mid-transaction
    for (auto& [c, connection] : connections_)
      if (!connection->closed() && connection->busy() && !connection->awaiting_resume()) ++working;
    // Waiting for the stragglers pays only while they are fewer than those waiting.
    if (working == 0 || working < completions_.size() ||
        now - first_pending_ >= options_.commit_delay)
      Commit(now);
  }

  // Writes what sessions held back for a next message (ConnectionOptions::cork_for_next),
  // whether Dispatch gave them one or not.
  void FlushReady(Steady::time_point now) {
    std::vector<Connection*> flush;
    flush.swap(to_flush_);
    std::sort(flush.begin(), flush.end());
    flush.erase(std::unique(flush.begin(), flush.end()), flush.end());
    for (Connection* c : flush)
      if (connection_info_.count(c) && !c->closed()) c->Flush(now);
  }

  // --- recording --------------------------------------------------------------------
  void Commit(Steady::time_point now) {
    if (completions_.empty()) return;
    std::vector<Completion> batch;
    batch.swap(completions_);
    auto wall = clock_.Now();
    std::vector<OutboxRecord> records;
    records.reserve(batch.size());
    std::vector<std::unique_ptr<Held>> done;
    for (auto& completion : batch) {
      auto it = held_.find(completion.tag);
      if (it == held_.end()) continue;  // already recorded (a duplicate report)
      Held& held = *it->second;
      const DeliveryOutcome& outcome = completion.outcome;
      OutcomeKind kind = KindOf(outcome);
      if (!completion.server.empty()) {
        held.domain->shaper->OnOutcome(now, kind);
        if (held.domain->provider) held.domain->provider->shaper->OnOutcome(now, kind);
      }
      if (kind == OutcomeKind::kConnectionFailure && !completion.server.empty())
        held.domain->last_failure = outcome;
      std::optional<base::TimePoint> retry_at;
      if (outcome.status == DeliveryStatus::kTemporary)
        retry_at = retry_policy_.NextAttempt(held.message.attempts + 1, held.message.queued_at,
                                             wall, static_cast<std::uint64_t>(held.message.id));
      OutboxRecord record;
      record.message = &held.message;
      record.outcome = outcome;
      record.at = wall;
      record.retry_at = retry_at;
      record.provider = held.domain->provider ? held.domain->provider->name : "";
      records.push_back(std::move(record));
      done.push_back(std::move(it->second));
      held_.erase(it);
      servers_.push_back(std::move(completion.server));
    }
    // One transaction for all of them, durable before any session goes on.
    outbox_.RecordBatch(records);
    std::vector<Connection*> resume;
    for (const auto& completion : batch)
      if (completion.connection) resume.push_back(completion.connection);
    std::sort(resume.begin(), resume.end());
    resume.erase(std::unique(resume.begin(), resume.end()), resume.end());
    for (Connection* c : resume)
      if (connection_info_.count(c)) c->Resume(now);
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& record = records[i];
      ++stats_.attempted;
      if (record.outcome.status == DeliveryStatus::kDelivered) {
        ++stats_.delivered;
      } else if (record.retry_at) {
        ++stats_.deferred;
      } else {
        ++stats_.failed;
      }
      if (log_ && *log_) {
        const Held& held = *done[i];
        AttemptLogEntry entry;
        entry.at = wall;
        entry.id = held.message.id;
        entry.campaign = held.message.campaign;
        entry.recipient = held.message.recipient;
        entry.domain = held.domain->name;
        entry.provider = record.provider;
        entry.server = servers_[i];
        entry.attempt = held.message.attempts + 1;
        entry.outcome = record.outcome;
        entry.retry_at = record.retry_at;
        if (held.on_the_wire)
          entry.duration =
              std::chrono::duration_cast<std::chrono::milliseconds>(now - held.started);
        (*log_)(entry);
      }
    }
    servers_.clear();
    rate_samples_.push_back({now, stats_.attempted});
    while (rate_samples_.size() > 1 && now - rate_samples_.front().first > std::chrono::seconds(10))
      rate_samples_.pop_front();
  }

  // --- connections --------------------------------------------------------------------
  int connection_count() const { return static_cast<int>(connections_.size()); }

  void DestroyClosed() {
    for (Connection* c : closed_) {
      auto info = connection_info_.find(c);
      if (info != connection_info_.end()) {
        info->second.domain->shaper->OnConnectionClosed();
        info->second.provider->shaper->OnConnectionClosed();
        auto& ready = info->second.route->ready;
        ready.erase(std::remove(ready.begin(), ready.end(), c), ready.end());
        connection_info_.erase(info);
      }
      connections_.erase(c);
    }
    closed_.clear();
  }

  // Sessions whose domain has nothing waiting close now rather than after the idle
  // timeout, when the engine is winding down.
  void QuitUnneededConnections(Steady::time_point now) {
    if (!stopping_) return;
    for (auto& [c, connection] : connections_) {
      if (!connection->busy() && !connection->closed()) connection->Quit(now);
    }
  }

  void QuitAll(Steady::time_point now) {
    for (auto& [c, connection] : connections_) {
      if (!connection->closed()) connection->Quit(now);
    }
  }

  void BeginStop(Steady::time_point now) {
    stopping_ = true;
    for (auto& [name, domain] : domains_) ReleaseWaiting(*domain, clock_.Now());
    active_.clear();
    QuitUnneededConnections(now);
  }

  void RefreshPaused(Steady::time_point now, bool force) {
    if (!force && now - last_pause_poll_ < options_.pause_poll) return;
    last_pause_poll_ = now;
    auto domains = outbox_.PausedDomains();
    auto providers = outbox_.PausedProviders();
    paused_domains_ = {domains.begin(), domains.end()};
    paused_providers_ = {providers.begin(), providers.end()};
    for (auto& [name, domain] : domains_) domain->shaper->Pause(paused_domains_.count(name) > 0);
    for (auto& [name, provider] : providers_by_name_)
      provider->shaper->Pause(paused_providers_.count(name) > 0);
  }

  DeliveryStats Snapshot() const {
    DeliveryStats s = stats_;
    s.in_flight = static_cast<int>(held_.size());
    s.connections = connection_count();
    if (rate_samples_.size() >= 2) {
      auto span =
          std::chrono::duration<double>(rate_samples_.back().first - rate_samples_.front().first)
              .count();
      if (span > 0)
        s.rate_per_second = (rate_samples_.back().second - rate_samples_.front().second) / span;
    }
    return s;
  }

  DeliveryEngineOptions options_;
  Outbox& outbox_;
  const base::Clock& clock_;
  RetryPolicy retry_policy_;
  MxResolver resolver_;
  ProviderMap providers_;
  EventLoop loop_;
  TlsContexts tls_;

  std::unique_ptr<Route> relay_;
  std::unordered_map<std::string, std::unique_ptr<Route>> static_routes_;
  std::unordered_map<std::string, std::unique_ptr<Route>> mx_routes_;
  std::unordered_map<std::string, std::unique_ptr<ProviderQueue>> providers_by_name_;
  std::unordered_map<std::string, std::unique_ptr<DomainQueue>> domains_;
  std::set<DomainQueue*> active_;  // domains with waiting messages
  std::unordered_map<std::uint64_t, std::unique_ptr<Held>> held_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::unordered_map<Connection*, ConnectionInfo> connection_info_;
  std::vector<Connection*> closed_;
  std::vector<Connection*> to_flush_;  // reported ready: may hold corked output
  std::vector<Completion> completions_;
  std::vector<std::string> servers_;
  std::map<std::string, WarmupState> warmups_;
  std::unordered_set<std::string> paused_domains_, paused_providers_;
  std::uint64_t connection_ids_ = 0;

  std::mutex resolve_mutex_;
  std::condition_variable resolve_cv_;
  std::deque<std::string> resolve_requests_;
  std::vector<std::pair<std::string, MxAnswer>> resolve_results_;
  std::vector<std::thread> resolver_threads_;
  bool resolvers_stop_ = false;
  int pending_resolutions_ = 0;

  DeliveryStats stats_;
  const std::function<void(const AttemptLogEntry&)>* log_ = nullptr;
  std::deque<std::pair<Steady::time_point, int>> rate_samples_;
  std::optional<Steady::time_point> wake_at_;
  Steady::time_point first_pending_{};  // when completions_ became non-empty
  Steady::time_point last_claim_{};
  Steady::time_point last_pause_poll_{};
  bool last_claim_empty_ = false;
  bool stopping_ = false;
  std::atomic<bool> stop_requested_{false};
};

// Out of line: g++ 12 at -O2 crashes (internal compiler error in gimplify_modify_expr)
// inlining a function that resets std::optional members into a default member
// initializer.
ShapingLimits RelayLimits() {
  ShapingLimits limits;
  limits.max_connections = 10;
  limits.max_messages_per_connection = 100;
  limits.per_minute.reset();
  limits.per_hour.reset();
  limits.per_day.reset();
  limits.burst = 1000;
  return limits;
}

DeliveryEngine::DeliveryEngine(DeliveryEngineOptions options, Outbox& outbox,
                               const base::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), outbox, clock)) {}

DeliveryEngine::~DeliveryEngine() = default;

DeliveryStats DeliveryEngine::Run(bool until_idle,
                                  const std::function<void(const DeliveryStats&)>& progress,
                                  const std::function<void(const AttemptLogEntry&)>& log) {
  return impl_->Run(until_idle, progress, log);
}

void DeliveryEngine::Stop() { impl_->Stop(); }

}  // namespace b2bmail::smtp
