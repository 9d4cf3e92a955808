// KDDI (au one net, dion.ne.jp): "Could not be delivered to: <a@b>" with the reason on
// the next line ("As their mailbox is full.").
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseKddi(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kIntro = "Could not be delivered to:";
  const std::string_view notice = message.notice;
  std::string recipient = FirstAddressIn(ValueAfter(notice, kIntro));
  if (recipient.empty()) return false;
  std::string_view reason = TextBetween(notice, kIntro, {"-----"});
  return AddAddresses(report, {recipient}, BounceAction::kFailed, reason);
}

}  // namespace b2bmail::bounce
