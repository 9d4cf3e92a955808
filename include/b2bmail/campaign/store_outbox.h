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
class StoreOutbox final : public smtp::Outbox {
 public:
  // Borrows `db`. On construction, returns messages left in flight by a process
  // that died to the queue (at most those may be sent twice).
  explicit StoreOutbox(store::Database& db);

  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit) override;
  void Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
              base::TimePoint now, std::optional<base::TimePoint> retry_at) override;
  std::optional<base::TimePoint> NextRetry() override;

  std::int64_t recovered_in_flight() const { return recovered_; }

 private:
  store::Database& db_;
  std::map<std::int64_t, std::string> campaign_of_;  // claimed message id -> campaign
  std::int64_t recovered_ = 0;
};

}  // namespace b2bmail::campaign
