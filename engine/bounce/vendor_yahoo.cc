// Yahoo's (and Yahoo Japan's) "Failure Notice":
//
//   Sorry, we were unable to deliver your message to the following address.
//
//   <anna@example.com>:
//   Remote host said: 550 5.1.1 <anna@example.com>... User Unknown [RCPT_TO]
//
//   --- Below this line is a copy of the message.
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseYahoo(const BounceMessage& message, BounceReport& report) {
  std::size_t list =
      AfterLineWith(message.notice, "unable to deliver your message to the following");
  if (list == std::string::npos) return false;
  auto listed = ListedRecipients(std::string_view(message.notice).substr(list),
                                 {"--- Below this line is a copy of the message"});
  for (ListedRecipient& r : listed) {
    // "Remote host said:" introduces the reply; "[RCPT_TO]" names the SMTP stage.
    std::string_view d = r.diagnostic;
    if (StartsWithIgnoreCase(d, "Remote host said:")) d.remove_prefix(17);
    if (auto stage = d.rfind(" ["); stage != std::string_view::npos && d.back() == ']')
      d = d.substr(0, stage);
    r.diagnostic = std::string(TrimText(d));
  }
  return AddListedRecipients(report, listed, BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
