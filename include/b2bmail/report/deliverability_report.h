#pragma once
// Account health (issue 8): per destination domain and per account, how much of our mail
// was accepted, deferred, bounced, blocked by policy or complained about, over a time
// window and optionally per day or week, and which rows need a person.
//
// When a company's gateway starts refusing us by policy, one contact's refusal says more
// about the account than about the address: the account row adds up its buying center,
// so 3 of 5 contacts blocked by the same Proofpoint gateway flag the account even though
// each address failed only once.
//
// Thread safety: the functions are reentrant; the Database is used by one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/store/database.h"

namespace b2bmail::report {

// Worst first: the order rows are listed in.
enum class HealthStatus {
  kBlocked,      // refused by policy or as spam: a blocklist, a gateway rule; needs a person
  kComplaining,  // recipients report the mail as spam
  kBouncing,     // many addresses bounce: the list is stale
  kDeferred,     // many messages wait after temporary refusals (throttling, greylisting)
  kOk,
};
// "blocked", "complaining", "bouncing", "deferred", "ok".
std::string_view ToString(HealthStatus status);

// The thresholds that turn figures into a status. Rates are over a row's messages.
struct HealthThresholds {
  // A rate (blocks, bounces, deferrals) is judged only once this many messages had that
  // outcome: B2B accounts get a handful of messages, so one bounce in three is 33% and
  // still the address's story; two at one company are the company's.
  std::int64_t min_events = 2;
  // Policy or spam blocks: one in five messages refused by policy means the destination
  // (its gateway or a blocklist it uses) rejects us as a sender, not an address.
  double block_rate = 0.20;
  // Distinct contacts of one account refused by policy that flag the account "blocked"
  // whatever its rate or size: two people of a buying center blocked by the same
  // gateway is the gateway, not the people.
  std::int64_t min_blocked_contacts = 2;
  // Complaints: Gmail and Yahoo ask bulk senders to stay below 0.3% and Gmail gives no
  // mitigation while it is above (deliverability.md §1, "Complaints"). Corporate
  // gateways send no feedback loop, so one complaint is enough (min_events does not
  // apply).
  double complaint_rate = 0.003;
  // Hard and soft bounces: deliverability.md gives no number; 5% is the level at which
  // ESPs commonly review or suspend a sender, far above a clean B2B list (~1-2%).
  double bounce_rate = 0.05;
  // Messages waiting after temporary refusals; a fifth of them deferred means the
  // destination throttles or greylists us (deliverability.md §4: back off).
  double deferral_rate = 0.20;
};

struct DeliverabilityOptions {
  base::TimePoint since{};  // REQUIRES: since < until
  base::TimePoint until{};
  // Positive: figures per bucket of this length from `since` as well (the time series).
  std::chrono::seconds bucket{0};
  HealthThresholds thresholds;
  // The failure category ("policy-or-spam-block", "bad-mailbox", ...) of a stored reply
  // that carries none (replies stored before issue 7 lack the "[category] " prefix).
  // The CLI supplies smtp::ClassifyReply; without one such replies count as unknown.
  std::function<std::string(std::string_view reply)> classify_reply;
};

// What happened to the messages of one row (or one bucket of it).
struct HealthCounts {
  std::int64_t messages = 0;      // attempted in the window (sent, for imported history)
  std::int64_t accepted = 0;      // accepted by the receiving server
  std::int64_t deferred = 0;      // waiting for a retry
  std::int64_t failed = 0;        // given up by us or refused for good (synchronously)
  std::int64_t hard_bounces = 0;  // the address does not exist (sync 5.1.x, DSN "hard")
  std::int64_t soft_bounces = 0;  // mailbox full, too big, expired, ... (sync and DSN)
  std::int64_t blocks = 0;        // refused by policy or as spam (sync 5.7.x, DSN category)
  std::int64_t complaints = 0;    // ARF or imported `complained` events

  // Each rate is its count over `messages`, at most 1 (a bounce arriving in the window
  // for a message sent before it has no message in the window).
  double block_rate() const { return Rate(blocks); }
  double bounce_rate() const { return Rate(hard_bounces + soft_bounces); }
  double complaint_rate() const { return Rate(complaints); }
  double deferral_rate() const { return Rate(deferred); }

 private:
  double Rate(std::int64_t count) const;
};

// One destination domain or one account.
struct HealthRow {
  enum class Kind { kDomain, kAccount };
  Kind kind = Kind::kDomain;
  std::string key;  // the domain, or the account id
  // The MX provider in front ("proofpoint", "microsoft", "google", "relay"): the one most
  // of the row's messages went through; "" when unknown.
  std::string provider;
  // For a domain, the accounts mailed there; for an account, its domains mailed; sorted.
  std::vector<std::string> related;
  HealthCounts counts;
  std::int64_t blocked_contacts = 0;  // distinct contacts with a block in the window
  std::string last_block_reply;       // of the latest block, as stored; "" when none
  std::optional<base::TimePoint> last_block_at;
  HealthStatus status = HealthStatus::kOk;
  std::string reason;  // why the status, in words ("3 contacts blocked by policy")
  // Bucket index -> figures, only buckets with something in them (DeliverabilityOptions::
  // bucket > 0); bucket i starts at since + i * bucket.
  std::map<std::int64_t, HealthCounts> series;
};

struct DeliverabilityReport {
  base::TimePoint since{}, until{};
  std::chrono::seconds bucket{0};
  std::vector<HealthRow> domains;   // worst first (HealthStatus order, then rate, volume)
  std::vector<HealthRow> accounts;  // the same, for rows with an account
  base::TimePoint BucketStart(std::int64_t index) const { return since + index * bucket; }
};

// Reads the window's facts from `db` (Database::LoadDeliveryFacts) and summarizes them.
// Throws Error{kDatabase} when the store fails, Error{kUsage} when since >= until.
DeliverabilityReport BuildDeliverabilityReport(store::Database& db,
                                               const DeliverabilityOptions& options);

// The same from facts already loaded (pure; for tests and other stores).
DeliverabilityReport SummarizeDeliverability(const store::DeliveryFacts& facts,
                                             const DeliverabilityOptions& options);

// What a failure category means for the report: "policy-or-spam-block" a block;
// "bad-mailbox", "bad-domain" a hard bounce; sender-side ones ("rate-limited",
// "authentication", "tls-failure", "network", "protocol") no bounce at all; anything
// else, unknown ones included, a soft bounce. Accepts the names of smtp and bounce.
enum class FailureKind { kBlock, kHardBounce, kSoftBounce, kSenderSide };
FailureKind KindOfCategory(std::string_view category);

// The category of a stored outbox reply "[category] 550 ...", "" when it has none.
std::string_view StoredCategory(std::string_view reply);

}  // namespace b2bmail::report
