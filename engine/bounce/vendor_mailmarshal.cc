// MailMarshal (Trustwave): "Could not be delivered because of" with the reason below,
// the addresses under "The following recipients were affected:", then "Additional
// Information".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseMailMarshal(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kAffected = "The following recipients were affected:";
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, kAffected)) return false;
  std::vector<std::string> recipients;
  for (const TextBlock& block :
       TextBlocks(TextBetween(notice, kAffected, {"Additional Information", "====="}), 8))
    recipients.push_back(block.address);
  std::string_view reason = TextBetween(notice, "Could not be delivered because of", {kAffected});
  return AddAddresses(report, recipients, BounceAction::kFailed, reason);
}

}  // namespace b2bmail::bounce
