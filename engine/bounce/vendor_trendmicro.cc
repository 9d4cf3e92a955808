// Trend Micro InterScan (MSS, Messaging Security Suite) notices. Either the SMTP
// transcript:
//
//   Sent <<< RCPT TO:<anna@example.com>
//   Received >>> 550 5.1.1 <anna@example.com>... user unknown
//
// or a sentence: "Unable to deliver message to <anna@example.com> (and other
// recipients in the same domain)."
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseTrendMicro(const BounceMessage& message, BounceReport& report) {
  if (message.from.find("interscan") == std::string::npos &&
      !ContainsIgnoreCase(message.notice, "InterScan"))
    return false;
  std::size_t before = report.recipients.size();
  std::string recipient;
  for (std::string_view line : TextLines(message.notice)) {
    line = TrimText(line);
    if (StartsWithIgnoreCase(line, "Sent <<< RCPT TO:")) {
      recipient = FirstAddressIn(line);
    } else if (StartsWithIgnoreCase(line, "Received >>> ") && !recipient.empty()) {
      std::string_view reply = line.substr(13);
      if (ReplyCodeOf(reply) >= 400)
        AddRecipient(report,
                     MakeRecipient(recipient, BounceAction::kFailed, {}, std::string(reply)));
      recipient.clear();
    } else if (std::size_t at = FindIgnoreCase(line, "Unable to deliver message to");
               at != std::string_view::npos && at <= 12) {  // after "Reason:  " or not
      for (std::string& address : AddressesIn(line))
        AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, {},
                                           std::string(line)));
    }
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
