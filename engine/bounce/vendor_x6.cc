// An unnamed gateway (Sisimai's X6): "We had trouble delivering your message. Full
// details follow:", then per error either "The following recipients returned permanent
// errors: a@b. Reason: ..." or "SMTP Server <host> rejected recipient <a@b> (...). It
// responded as follows: [550 ...]".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseX6(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, "We had trouble delivering your message")) return false;
  std::string_view errors = TextBetween(notice, "error(s):", {"The attachment contains"});
  std::size_t before = report.recipients.size();
  for (std::string_view line : TextLines(errors)) {
    std::string recipient;
    std::string_view reason;
    if (std::string_view listed = ValueAfter(line, "returned permanent errors:"); !listed.empty()) {
      recipient = FirstAddressIn(listed.substr(0, FindIgnoreCase(listed, "Reason:")));
      reason = ValueAfter(line, "Reason:");
    } else if (std::string_view named = ValueAfter(line, "rejected recipient"); !named.empty()) {
      recipient = FirstAddressIn(named.substr(0, named.find('>')));
      reason = ValueAfter(line, "responded as follows:");
    }
    if (recipient.empty()) continue;
    AddTextRecipient(report, std::move(recipient), BounceAction::kFailed, ReplyIn(reason));
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
