// DragonFly Mail Agent (dma): one recipient per notice, "There was an error delivering
// your mail to <a@b>.", the remote server's reply after it, then "Message headers follow.".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseDragonfly(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kIntro = "There was an error delivering your mail to";
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, "DragonFly Mail Agent")) return false;
  std::string recipient = FirstAddressIn(ValueAfter(notice, kIntro));
  if (recipient.empty()) return false;
  std::string_view reason = TextBetween(notice, kIntro, {"Message headers follow"});
  return AddAddresses(report, {recipient}, BounceAction::kFailed, reason);
}

}  // namespace b2bmail::bounce
