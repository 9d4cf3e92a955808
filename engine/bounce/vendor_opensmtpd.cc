// OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail." then one
// "a@b: reason" line per recipient after "...the following list of recipients:". Its
// warnings ("A message is delayed for more than ...") use the same layout.
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseOpenSmtpd(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, "This is the MAILER-DAEMON, please DO NOT REPLY")) return false;
  std::string_view section =
      TextBetween(notice, "list of recipients:",
                  {"Below is a copy of the original message", "this is only a temporary failure"});
  BounceAction action = ContainsAny(notice, {"A message is delayed", "temporary failure report"})
                            ? BounceAction::kDelayed
                            : BounceAction::kFailed;
  return AddTextBlocks(report, TextBlocks(section), action);
}

}  // namespace b2bmail::bounce
