#pragma once
// What one delivery attempt ended in, as a value (ARCHITECTURE.md, Errors rule 2).
// RFC 5321 §4.2.1: 2yz positive, 4yz transient negative, 5yz permanent negative.

#include <string>
#include <string_view>

namespace b2bmail::smtp {

enum class DeliveryStatus {
  kDelivered,  // the server accepted the message (250 after DATA)
  kTemporary,  // try again later: 4yz, timeouts, network and protocol failures
  kPermanent,  // do not retry: 5yz
};

// Why an attempt failed, worked out from the reply code, the enhanced code and the text
// together (ClassifyReply), because providers mix classes and reuse codes
// (deliverability.md §4). What follows from it: only kBadMailbox and kBadDomain say
// the address is bad; rate, policy, authentication and TLS failures are the sender's
// problem and feed throttling, never suppression.
enum class FailureCategory {
  kNone,                    // delivered
  kBadMailbox,              // no such user, mailbox disabled or moved (X.1.1, X.1.6, 5.2.1)
  kBadDomain,               // no such domain, null MX (X.1.2, 5.1.10 with "null MX", 5.4.4)
  kMailboxFull,             // over quota (X.2.2)
  kPolicyOrSpamBlock,       // refused as spam or by policy, blocklists, reputation blocks
  kRateLimited,             // slow down: 421, 4.7.x throttles, "try again later"
  kAuthenticationRequired,  // SPF/DKIM/DMARC/PTR missing or failed, SMTP AUTH required
  kMessageTooBig,           // over the server's or the mailbox's size limit (5.3.4, 5.2.3)
  kContentRejected,         // the content: malformed, virus, refused text (X.6.x, 5.7.x words)
  kExpired,                 // a bounce saying the queue gave up (4.4.7 / "retry time exceeded")
  kTlsFailure,              // STARTTLS required or failed
  kNetwork,                 // no reply: connection refused or dropped, timeouts
  kProtocol,                // syntax or sequence errors (X.5.x, 500-504), malformed replies
  kUnclassified,            // a failure none of the above describes (a bare 451)
};

// "bad-mailbox", "rate-limited", ... ("" for kNone): the names the log and store use.
// The ten of issue 8 (bad-mailbox, bad-domain, mailbox-full, message-too-big,
// policy-or-spam-block, rate-limited, expired, content-rejected, authentication, other)
// are shared by synchronous replies and bounces; tls-failure, network and protocol are
// the sender's own finer cases of "other".
std::string_view FailureCategoryName(FailureCategory category);

struct DeliveryOutcome {
  DeliveryStatus status = DeliveryStatus::kTemporary;
  int reply_code = 0;    // 0 when no reply was read (network failure)
  std::string enhanced;  // RFC 3463 code such as "5.1.1", when the server sent one
  std::string text;      // the server's reply (all lines joined by "\n"), or what failed
  FailureCategory category = FailureCategory::kUnclassified;
};

}  // namespace b2bmail::smtp
