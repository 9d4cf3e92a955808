#include "b2bmail/campaign/store_outbox.h"

#include "b2bmail/smtp/reply_classifier.h"

namespace b2bmail::campaign {
namespace {

// The store's record of one attempt: state, operator-facing reply and the events it
// implies.
store::AttemptRecord ToAttemptRecord(const smtp::OutboxRecord& record) {
  const smtp::OutgoingMessage& message = *record.message;
  const smtp::DeliveryOutcome& outcome = record.outcome;
  store::AttemptRecord a;
  a.id = message.id;
  a.at = record.at;
  a.provider = record.provider;
  // A server's reply text starts with its code already ("250 2.0.0 Ok"); a local
  // outcome's text does not, and a test's may not.
  std::string code = outcome.reply_code ? std::to_string(outcome.reply_code) : "";
  a.reply =
      code.empty() || outcome.text.rfind(code, 0) == 0 ? outcome.text : code + " " + outcome.text;
  // The category goes first, so that a look at the outbox says why ("[rate-limited] 421 ...").
  if (outcome.status != smtp::DeliveryStatus::kDelivered)
    a.reply = "[" + std::string(smtp::FailureCategoryName(outcome.category)) + "] " + a.reply;
  auto event = [&](model::EventType type, std::string detail) {
    model::Event e;
    e.email = message.recipient;
    e.type = type;
    e.at = record.at;
    e.campaign = message.campaign;
    e.detail = std::move(detail);
    a.events.push_back(std::move(e));
  };
  // A block by policy or as spam says nothing against the address, but someone should
  // look at the destination (a blocklist entry, a gateway rule) and tell the account owner.
  a.needs_attention = outcome.category == smtp::FailureCategory::kPolicyOrSpamBlock;
  switch (outcome.status) {
    case smtp::DeliveryStatus::kDelivered:
      a.state = store::OutboxState::kSent;
      event(model::EventType::kSent, "");
      break;
    case smtp::DeliveryStatus::kTemporary:
      a.state = record.retry_at ? store::OutboxState::kDeferred : store::OutboxState::kFailed;
      a.next_attempt = record.retry_at;
      break;
    case smtp::DeliveryStatus::kPermanent:
      a.state = store::OutboxState::kFailed;
      // The address itself is bad (unknown user or domain, however the server said so):
      // never mail it again. Policy, rate, authentication and content refusals are the
      // sender's problem and leave the address alone.
      if (smtp::SuppressesAddress(outcome))
        event(model::EventType::kBounced,
              model::FormatBounceDetail(
                  {true, std::string(smtp::FailureCategoryName(outcome.category))}));
      break;
  }
  return a;
}

}  // namespace

StoreOutbox::StoreOutbox(store::Database& db) : db_(db) { recovered_ = db_.RequeueInFlight(); }

std::vector<smtp::OutgoingMessage> StoreOutbox::ClaimDue(base::TimePoint now, int limit) {
  return ClaimDue(now, limit, {});
}

std::vector<smtp::OutgoingMessage> StoreOutbox::ClaimDue(
    base::TimePoint now, int limit, const std::vector<std::string>& skip_domains) {
  std::vector<smtp::OutgoingMessage> out;
  for (auto& row : db_.ClaimDue(now, limit, store::ClaimFilter{skip_domains})) {
    out.push_back({row.id, std::move(row.sender), std::move(row.recipient), std::move(row.message),
                   row.attempts, row.queued_at, std::move(row.campaign), std::move(row.domain),
                   std::move(row.provider)});
  }
  return out;
}

void StoreOutbox::Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
                         base::TimePoint now, std::optional<base::TimePoint> retry_at) {
  smtp::OutboxRecord record{&message, outcome, now, retry_at, ""};
  RecordBatch(std::span(&record, 1));
}

void StoreOutbox::RecordBatch(std::span<const smtp::OutboxRecord> records) {
  std::vector<store::AttemptRecord> attempts;
  attempts.reserve(records.size());
  for (const auto& r : records) attempts.push_back(ToAttemptRecord(r));
  db_.RecordAttempts(attempts);
}

void StoreOutbox::Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) {
  db_.Release(ids, next_attempt);
}

std::vector<std::string> StoreOutbox::Paused(store::PauseKind kind) {
  std::vector<std::string> names;
  for (auto& [k, name] : db_.ListPaused())
    if (k == kind) names.push_back(std::move(name));
  return names;
}

std::vector<std::string> StoreOutbox::PausedProviders() {
  return Paused(store::PauseKind::kProvider);
}

std::vector<std::string> StoreOutbox::PausedDomains() { return Paused(store::PauseKind::kDomain); }

std::map<std::string, std::int64_t> StoreOutbox::AttemptsSince(base::TimePoint since) {
  auto counts = db_.CountAttemptsSince(since);
  return {counts.begin(), counts.end()};
}

std::optional<base::TimePoint> StoreOutbox::NextRetry() { return db_.NextDeferredAttempt(); }

}  // namespace b2bmail::campaign
