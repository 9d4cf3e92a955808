#pragma once
// What one delivery attempt ended in, as a value (ARCHITECTURE.md, Errors rule 2).
// RFC 5321 §4.2.1: 2yz positive, 4yz transient negative, 5yz permanent negative.

#include <string>

namespace b2bmail::smtp {

enum class DeliveryStatus {
  kDelivered,  // the server accepted the message (250 after DATA)
  kTemporary,  // try again later: 4yz, timeouts, network and protocol failures
  kPermanent,  // do not retry: 5yz
};

struct DeliveryOutcome {
  DeliveryStatus status = DeliveryStatus::kTemporary;
  int reply_code = 0;    // 0 when no reply was read (network failure)
  std::string enhanced;  // RFC 3463 code such as "5.1.1", when the server sent one
  std::string text;      // the server's reply (all lines joined by "\n"), or what failed
};

}  // namespace b2bmail::smtp
