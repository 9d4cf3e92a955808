#include "b2bmail/smtp/sender.h"

#include <exception>

namespace b2bmail::smtp {

Sender::Sender(SenderOptions options, Outbox& outbox, const base::Clock& clock)
    : options_(std::move(options)),
      outbox_(outbox),
      clock_(clock),
      retry_policy_(options_.retry),
      client_(options_.relay) {}

Sender::~Sender() = default;

DeliveryStats Sender::RunUntilIdle(std::function<void(const DeliveryStats&)> progress) {
  DeliveryStats stats;
  for (;;) {
    std::vector<OutgoingMessage> batch = outbox_.ClaimDue(clock_.Now(), options_.claim_batch_size);
    if (batch.empty()) break;
    for (const OutgoingMessage& message : batch) {
      DeliveryOutcome outcome = SendOne(message);
      base::TimePoint now = clock_.Now();
      std::optional<base::TimePoint> retry_at;
      if (outcome.status == DeliveryStatus::kTemporary) {
        retry_at = retry_policy_.NextAttempt(message.attempts + 1, message.queued_at, now,
                                             static_cast<std::uint64_t>(message.id));
      }
      outbox_.Record(message, outcome, now, retry_at);
      ++stats.attempted;
      if (outcome.status == DeliveryStatus::kDelivered) {
        ++stats.delivered;
      } else if (retry_at) {
        ++stats.deferred;
      } else {
        ++stats.failed;
      }
      if (progress) progress(stats);
    }
  }
  client_.Quit();
  return stats;
}

DeliveryOutcome Sender::SendOne(const OutgoingMessage& message) {
  // ARCHITECTURE.md, Errors rule 4: the sender is a boundary; whatever goes wrong while
  // sending one message becomes a temporary outcome for it, never a lost message.
  try {
    if (client_.transactions_on_connection() >= options_.max_messages_per_connection) {
      client_.Quit();
    }
    return client_.Send(message.sender, message.recipient, message.data);
  } catch (const std::exception& e) {
    client_.Close();
    return DeliveryOutcome{DeliveryStatus::kTemporary, 0, "",
                           std::string("internal error while sending: ") + e.what(),
                           FailureCategory::kUnclassified};
  } catch (...) {
    client_.Close();
    return DeliveryOutcome{DeliveryStatus::kTemporary, 0, "",
                           "internal error while sending: unknown exception",
                           FailureCategory::kUnclassified};
  }
}

}  // namespace b2bmail::smtp
