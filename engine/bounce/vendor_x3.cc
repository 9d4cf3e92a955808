// An unnamed MTA (Sisimai's X3): "This is an automatically generated Delivery Status
// Notification.", the recipients as "* a@b" under "Delivery to the following recipients
// failed permanently:", and the reason under "Technical details:".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseX3(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice,
                          "This is an automatically generated Delivery Status Notification"))
    return false;
  std::string_view section =
      TextBetween(notice, "to the following recipients", {"=====", "Technical details"});
  BounceAction action =
      ContainsIgnoreCase(ValueAfter(notice, "to the following recipients"), "delayed")
          ? BounceAction::kDelayed
          : BounceAction::kFailed;
  std::vector<std::string> recipients;
  for (const TextBlock& block : TextBlocks(section, 8)) recipients.push_back(block.address);
  std::string_view details = TextBetween(notice, "Technical details:", {"====="});
  return AddAddresses(report, recipients, action, details);
}

}  // namespace b2bmail::bounce
