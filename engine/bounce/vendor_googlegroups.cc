// Google Groups refusing a post, in the poster's language: "the group you tried to
// contact (name) may not exist, or you may not have permission to post messages to the
// group", signed "Google Groups", with the group's address in X-Failed-Recipients. The
// text never says which of the two it is; either way the post was refused by the
// group's policy, not by a mailbox, so it is reported as 5.7.0 (soft).
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseGoogleGroups(const BounceMessage& message, BounceReport& report) {
  if (message.from.find("mailer-daemon@google") == std::string::npos) return false;
  if (!ContainsIgnoreCase(message.notice, "groups.google.com") ||
      !ContainsIgnoreCase(message.notice, "Google Groups"))
    return false;
  // The explanation is the notice's longest line (a greeting and a list surround it).
  std::string_view reason;
  for (std::string_view line : TextLines(message.notice)) {
    if (line.find("----- Original message") != std::string_view::npos) break;
    if (line.size() > reason.size()) reason = TrimText(line);
  }
  std::size_t before = report.recipients.size();
  for (std::string& address : AddressesIn(message.root.HeaderValue("X-Failed-Recipients")))
    AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, "5.7.0",
                                       std::string(reason)));
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
