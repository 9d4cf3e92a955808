#pragma once
// The adapter that lets the smtp sender pull from the store's outbox
// (ARCHITECTURE.md: the port is smtp::Outbox, the adapter lives here).

#include <map>
#include <string>

#include "b2bmail/smtp/outbox.h"
#include "b2bmail/store/database.h"

namespace b2bmail::campaign {

// Maps outcomes to outbox states and events: delivered -> sent (+ a `sent` event
// for the campaign); temporary with a retry time -> deferred; temporary without
// one (retries exhausted) or permanent -> failed; a permanent bad-mailbox reply
// (5.1.x) also records a hard `bounced` event, which suppresses the address.
// The reply stored is "<code> <text>", prefixed "[<category>] " unless delivered.
// Each Record and each RecordBatch is one store transaction: row and events together.
class StoreOutbox final : public smtp::Outbox {
 public:
  // Borrows `db`. On construction, returns messages left in flight by a process
  // that died to the queue (at most those may be sent twice).
  explicit StoreOutbox(store::Database& db);

  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit) override;
  std::vector<smtp::OutgoingMessage> ClaimDue(
      base::TimePoint now, int limit, const std::vector<std::string>& skip_domains) override;
  void Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
              base::TimePoint now, std::optional<base::TimePoint> retry_at) override;
  void RecordBatch(std::span<const smtp::OutboxRecord> records) override;
  void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) override;
  std::vector<std::string> PausedProviders() override;
  std::vector<std::string> PausedDomains() override;
  std::map<std::string, std::int64_t> AttemptsSince(base::TimePoint since) override;
  std::optional<base::TimePoint> NextRetry() override;

  std::int64_t recovered_in_flight() const { return recovered_; }

 private:
  std::vector<std::string> Paused(store::PauseKind kind);

  store::Database& db_;
  std::int64_t recovered_ = 0;
};

}  // namespace b2bmail::campaign
