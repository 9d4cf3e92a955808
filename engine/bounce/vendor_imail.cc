// Ipswitch IMail: the reason and the address on one line ("Unknown user: a@b", "User
// mailbox exceeds allowed size: a@b", "undeliverable to a@b"), an optional "Body of
// message generated response:" with the remote reply, then "Original message follows.".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseImail(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsIgnoreCase(notice, "Original message follows.")) return false;
  std::string_view head = TextBetween(notice, "", {"Original message follows."});
  std::string_view response = TextBetween(head, "Body of message generated response:", {});
  std::size_t before = report.recipients.size();
  for (std::string_view line : TextLines(head)) {
    line = TrimText(line);
    std::string_view reason;
    std::string_view address;
    if (StartsWithIgnoreCase(line, "undeliverable to ")) {
      reason = line.substr(0, 15);
      address = line.substr(16);
    } else if (auto colon = line.rfind(": "); colon != std::string_view::npos) {
      reason = line.substr(0, colon);
      address = line.substr(colon + 2);
    }
    // The whole rest of the line must be the address: "To: x" headers quoted in the
    // notice are left out by requiring a reason of more than one word.
    std::string recipient = FirstAddressIn(address);
    if (recipient.empty() || recipient.size() != TrimText(address).size() ||
        reason.find(' ') == std::string_view::npos)
      continue;
    std::string diagnostic = response.empty() ? std::string(reason) : ReplyIn(response);
    AddTextRecipient(report, std::move(recipient), BounceAction::kFailed, diagnostic);
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
