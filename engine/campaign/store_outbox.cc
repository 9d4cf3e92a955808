#include "b2bmail/campaign/store_outbox.h"

#include "b2bmail/smtp/reply_classifier.h"

namespace b2bmail::campaign {

StoreOutbox::StoreOutbox(store::Database& db) : db_(db) { recovered_ = db_.RequeueInFlight(); }

std::vector<smtp::OutgoingMessage> StoreOutbox::ClaimDue(base::TimePoint now, int limit) {
  std::vector<smtp::OutgoingMessage> out;
  for (auto& row : db_.ClaimDue(now, limit)) {
    campaign_of_[row.id] = row.campaign;
    out.push_back({row.id, std::move(row.sender), std::move(row.recipient), std::move(row.message),
                   row.attempts, row.queued_at});
  }
  return out;
}

void StoreOutbox::Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
                         base::TimePoint now, std::optional<base::TimePoint> retry_at) {
  std::string reply =
      outcome.reply_code ? std::to_string(outcome.reply_code) + " " + outcome.text : outcome.text;
  // The category goes first, so that a look at the outbox says why ("[rate-limited] 421 ...").
  if (outcome.status != smtp::DeliveryStatus::kDelivered)
    reply = "[" + std::string(smtp::FailureCategoryName(outcome.category)) + "] " + reply;
  std::string campaign = campaign_of_[message.id];
  campaign_of_.erase(message.id);
  switch (outcome.status) {
    case smtp::DeliveryStatus::kDelivered: {
      db_.RecordAttempt(message.id, store::OutboxState::kSent, reply, now, std::nullopt);
      model::Event e;
      e.email = message.recipient;
      e.type = model::EventType::kSent;
      e.at = now;
      e.campaign = campaign;
      std::vector<model::Event> events{e};
      db_.InsertEvents(events);
      return;
    }
    case smtp::DeliveryStatus::kTemporary:
      if (retry_at) {
        db_.RecordAttempt(message.id, store::OutboxState::kDeferred, reply, now, retry_at);
        return;
      }
      db_.RecordAttempt(message.id, store::OutboxState::kFailed, reply, now, std::nullopt);
      return;
    case smtp::DeliveryStatus::kPermanent: {
      db_.RecordAttempt(message.id, store::OutboxState::kFailed, reply, now, std::nullopt);
      // The address itself is bad (unknown user or domain, however the server said so):
      // never mail it again. Policy, rate, authentication and content refusals are the
      // sender's problem and leave the address alone.
      if (smtp::SuppressesAddress(outcome)) {
        model::Event e;
        e.email = message.recipient;
        e.type = model::EventType::kBounced;
        e.at = now;
        e.campaign = campaign;
        e.detail = "hard";
        std::vector<model::Event> events{e};
        db_.InsertEvents(events);
      }
      return;
    }
  }
}

std::optional<base::TimePoint> StoreOutbox::NextRetry() { return db_.NextDeferredAttempt(); }

}  // namespace b2bmail::campaign
