#pragma once
// The persistent queue the sender pulls from. Declared here, by its consumer;
// implemented in engine/campaign over the store (ARCHITECTURE.md: ports sit with
// their consumer, adapters above).

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::smtp {

struct OutgoingMessage {
  std::int64_t id = 0;          // outbox id, passed back to Record()
  std::string sender;           // envelope MAIL FROM
  std::string recipient;        // envelope RCPT TO (one recipient per transaction)
  std::string data;             // complete RFC 5322 message with CRLF line ends, not dot-stuffed
  int attempts = 0;             // attempts made before this one
  base::TimePoint queued_at{};  // when it was queued: retries expire counting from here
  std::string campaign;         // opaque to smtp: handed back to the Outbox with the message
  std::string domain;           // destination: lower-case part of `recipient` after its last '@'
  std::string provider;         // MX provider rollup recorded with an earlier attempt, or empty
};

// One attempt's result for RecordBatch. `message` is borrowed: it must outlive the call.
struct OutboxRecord {
  const OutgoingMessage* message = nullptr;
  DeliveryOutcome outcome;
  base::TimePoint at{};                     // when the attempt ended
  std::optional<base::TimePoint> retry_at;  // as for Record()
  std::string provider;                     // the MX provider rollup served; empty: unknown
};

// Thread safety: implementations may be used by one thread at a time.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Durably marks up to `limit` due messages as in flight and returns them, oldest due
  // first. Messages to paused domains or providers stay queued.
  virtual std::vector<OutgoingMessage> ClaimDue(base::TimePoint now, int limit) = 0;
  // As above, also leaving queued the messages to `skip_domains` (lower case): the
  // destinations the caller cannot serve now (throttled, at a warm-up cap, circuit open).
  // The default claims, then releases the skipped ones due `now` (so it may return fewer
  // than `limit` while more are due); implementations filter before claiming.
  virtual std::vector<OutgoingMessage> ClaimDue(base::TimePoint now, int limit,
                                                const std::vector<std::string>& skip_domains) {
    std::vector<OutgoingMessage> claimed = ClaimDue(now, limit);
    if (skip_domains.empty()) return claimed;
    std::vector<OutgoingMessage> kept;
    std::vector<std::int64_t> skipped;
    for (auto& m : claimed) {
      // An Outbox that predates `domain` leaves it empty: the recipient says it.
      std::string domain = m.domain.empty()
                               ? base::AsciiLower(m.recipient.substr(m.recipient.rfind('@') + 1))
                               : m.domain;
      if (std::find(skip_domains.begin(), skip_domains.end(), domain) != skip_domains.end())
        skipped.push_back(m.id);
      else
        kept.push_back(std::move(m));
    }
    if (!skipped.empty()) Release(skipped, now);
    return kept;
  }
  // Durably records an attempt. `retry_at` is set for temporary outcomes that
  // will be retried; a temporary outcome without it has expired and counts as failed.
  virtual void Record(const OutgoingMessage& message, const DeliveryOutcome& outcome,
                      base::TimePoint now, std::optional<base::TimePoint> retry_at) = 0;
  // Durably records many attempts at once: the engine's group commit, one transaction
  // per loop iteration in a store-backed Outbox (all or none). The default records them
  // one by one (not atomic).
  virtual void RecordBatch(std::span<const OutboxRecord> records) {
    for (const auto& r : records) Record(*r.message, r.outcome, r.at, r.retry_at);
  }
  // Gives claimed messages back without counting an attempt (throttled, warm-up cap
  // reached, circuit open): they are queued again, due at `next_attempt`. Ids no longer
  // in flight are ignored. The default throws Error{kInternal}: an Outbox used by an
  // engine that releases must implement it.
  virtual void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) {
    (void)ids;
    (void)next_attempt;
    throw Error(ErrorKind::kInternal, "this Outbox cannot release claimed messages");
  }
  // What an operator paused, for the engine's own checks (a provider is known only
  // after the MX lookup). The defaults: nothing paused.
  virtual std::vector<std::string> PausedProviders() { return {}; }
  virtual std::vector<std::string> PausedDomains() { return {}; }
  // Attempts made since `since`, by envelope-sender domain (lower case): the warm-up
  // counters after a restart. The default: none (a fresh count).
  virtual std::map<std::string, std::int64_t> AttemptsSince(base::TimePoint since) {
    (void)since;
    return {};
  }
  // The earliest time a waiting message becomes due, if any (may be in the past).
  virtual std::optional<base::TimePoint> NextRetry() = 0;
};

}  // namespace b2bmail::smtp
