#pragma once
// The delivery loop: pulls due messages from the Outbox, sends them over SMTP and
// records every outcome, so that no claimed message is ever lost.

#include <functional>
#include <memory>

#include "b2bmail/base/clock.h"
#include "b2bmail/smtp/outbox.h"
#include "b2bmail/smtp/retry_policy.h"
#include "b2bmail/smtp/smtp_client.h"

namespace b2bmail::smtp {

struct SenderOptions {
  // Relay host and port, helo name and timeouts (see SmtpClientOptions for each
  // default: 127.0.0.1:25, "localhost", 30 s connect, 5 min command, 10 min data).
  SmtpClientOptions relay;
  int max_messages_per_connection = 100;  // QUIT and reconnect after this many transactions
  int claim_batch_size = 50;              // messages claimed from the Outbox at a time
  RetryOptions retry;  // 5 min first retry, doubling, capped at 4 h, 10 attempts in total
};

// Counts for one RunUntilIdle() call.
struct DeliveryStats {
  int attempted = 0;  // messages sent (or tried)
  int delivered = 0;  // accepted by the server
  int deferred = 0;   // temporary failure, retry scheduled
  int failed = 0;     // permanent failure, or temporary after the last attempt
};

// Sends everything that is due. Seams for later: per-domain queues, a connection
// pool and throttles replace the single relay client without changing this API.
//
// Thread safety: not thread-safe; one Sender per thread. The Outbox and Clock must
// outlive the Sender.
class Sender {
 public:
  // REQUIRES: max_messages_per_connection >= 1, claim_batch_size >= 1.
  Sender(SenderOptions options, Outbox& outbox, const base::Clock& clock);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Claims due messages in batches and sends each, reusing one connection for up to
  // max_messages_per_connection transactions, and records each outcome with
  // Outbox::Record: retry_at from the RetryPolicy for temporary outcomes, nullopt
  // for delivered and permanent ones and when the policy gives up. Any exception
  // while sending a message becomes a temporary outcome for it. Calls `progress`
  // after each recorded message. Returns when ClaimDue returns nothing; the session
  // is then closed with QUIT.
  //
  // Throws whatever the Outbox throws (the store failing is an environment error);
  // messages already claimed then stay in flight for the Outbox to recover.
  DeliveryStats RunUntilIdle(std::function<void(const DeliveryStats&)> progress = {});

 private:
  DeliveryOutcome SendOne(const OutgoingMessage& message);

  SenderOptions options_;
  Outbox& outbox_;
  const base::Clock& clock_;
  RetryPolicy retry_policy_;
  SmtpClient client_;
};

}  // namespace b2bmail::smtp
