#pragma once
// The persistent queue the sender pulls from. Declared here, by its consumer;
// implemented in engine/campaign over the store (ARCHITECTURE.md: ports sit with
// their consumer, adapters above).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::smtp {

struct OutgoingMessage {
  std::int64_t id = 0;          // outbox id, passed back to Record()
  std::string sender;           // envelope MAIL FROM
  std::string recipient;        // envelope RCPT TO (one recipient per transaction)
  std::string data;             // complete RFC 5322 message with CRLF line ends, not dot-stuffed
  int attempts = 0;             // attempts made before this one
  base::TimePoint queued_at{};  // when it was queued: retries expire counting from here
};

// Thread safety: implementations may be used by one thread at a time.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Durably marks up to `limit` due messages as in flight and returns them.
  virtual std::vector<OutgoingMessage> ClaimDue(base::TimePoint now, int limit) = 0;
  // Durably records an attempt. `retry_at` is set for temporary outcomes that
  // will be retried; a temporary outcome without it has expired and counts as failed.
  virtual void Record(const OutgoingMessage& message, const DeliveryOutcome& outcome,
                      base::TimePoint now, std::optional<base::TimePoint> retry_at) = 0;
  // The earliest time a deferred message becomes due, if any.
  virtual std::optional<base::TimePoint> NextRetry() = 0;
};

}  // namespace b2bmail::smtp
