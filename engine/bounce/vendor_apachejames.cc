// Apache James: "Error message below:" with the remote reply, then "Message details:"
// whose "RCPT TO:" line names the recipient.
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseApacheJames(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kDetails = "Message details:";
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, "Error message below:") || !ContainsIgnoreCase(notice, kDetails))
    return false;
  std::string_view details = TextBetween(notice, kDetails, {});
  std::vector<std::string> recipients = AddressesIn(ValueAfter(details, "RCPT TO:"));
  std::string_view reply = TextBetween(notice, "Error message below:", {kDetails});
  return AddAddresses(report, recipients, BounceAction::kFailed, reply);
}

}  // namespace b2bmail::bounce
