// MailFoundry: "Unable to deliver message to: <a@b>", the reason under "Delivery failed
// for the following reason:", then "This has been a permanent failure.".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseMailFoundry(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kReason = "Delivery failed for the following reason:";
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, kReason)) return false;
  std::string recipient = FirstAddressIn(ValueAfter(notice, "Unable to deliver message to:"));
  if (recipient.empty()) return false;
  std::string_view reason = TextBetween(notice, kReason, {"This has been a permanent failure"});
  return AddAddresses(report, {recipient}, BounceAction::kFailed, reason);
}

}  // namespace b2bmail::bounce
