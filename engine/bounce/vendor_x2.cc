// An unnamed MTA (Sisimai's X2): "Unable to deliver message to the following
// address(es).", then "<a@b>:" and the reason per recipient, then "--- Original message
// follows.".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseX2(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kIntro = "Unable to deliver message to the following address";
  if (!ContainsIgnoreCase(message.notice, kIntro)) return false;
  std::string_view section = TextBetween(message.notice, kIntro, {"--- Original message"});
  return AddTextBlocks(report, TextBlocks(section), BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
