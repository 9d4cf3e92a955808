// m-FILTER (Digital Arts): the failed addresses alone on lines before
// "-------server message", the remote reply under it, then "-------SMTP command".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseMFilter(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kServer = "-------server message";
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, kServer)) return false;
  std::vector<std::string> recipients;
  for (const TextBlock& block : TextBlocks(TextBetween(notice, "", {kServer})))
    recipients.push_back(block.address);
  std::string_view reply = TextBetween(notice, kServer, {"-------"});
  return AddAddresses(report, recipients, BounceAction::kFailed, reply);
}

}  // namespace b2bmail::bounce
