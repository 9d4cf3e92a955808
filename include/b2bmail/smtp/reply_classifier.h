#pragma once
// Every SMTP reply becomes an outcome with a category (issue 7; deliverability.md §4
// and §5): the reply code says retry or not, the RFC 3463 enhanced code and the text say
// why. Providers mix classes (Gmail "421 4.7.28"), reuse codes (Microsoft "550 5.4.1"
// means recipient unknown) and put the reason only in the text (Yahoo "[TSS04]",
// Outlook.com "RP-001"), so all three are read together.

#include <string_view>

#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::smtp {

struct ReplyClass {
  DeliveryStatus status = DeliveryStatus::kTemporary;
  FailureCategory category = FailureCategory::kUnclassified;
};

// `code` 200..599 (anything else counts as a malformed reply: temporary, protocol);
// `enhanced` as ParseEnhancedCode gives it ("5.1.1" or empty); `text` the reply's lines.
// 2yz is delivered. Otherwise the status follows the first digit, with one exception:
// a 5yz "mailbox full" (552 5.2.2, over quota) is kept temporary, as RFC 5321 §4.5.3.1.10
// asks of 552 and as receivers mean it: the mailbox may have room tomorrow.
ReplyClass ClassifyReply(int code, std::string_view enhanced, std::string_view text);

// Whether this outcome says the address itself is bad, so that it is suppressed at
// once: a permanent bad-mailbox or bad-domain failure.
bool SuppressesAddress(const DeliveryOutcome& outcome);

}  // namespace b2bmail::smtp
