// Amazon WorkMail: a text part that lists the recipients and then copies RFC 3464
// fields into the text ("Technical report:" followed by Reporting-MTA, Action,
// Final-Recipient, Diagnostic-Code, Status), without a message/delivery-status part.
#include "b2bmail/base/strings.h"
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseAmazonWorkMail(const BounceMessage& message, BounceReport& report) {
  if (message.root.HeaderValue("X-Mailer").find("Amazon WorkMail") == std::string_view::npos &&
      !ContainsIgnoreCase(message.notice, "error occurred while trying to deliver the mail"))
    return false;
  std::size_t fields = AfterLineWith(message.notice, "Technical report:");
  if (fields == std::string::npos) return false;
  std::size_t before = report.recipients.size();
  std::string recipient, action, status, diagnostic;
  auto flush = [&] {
    if (recipient.find('@') != std::string::npos)
      AddRecipient(report, MakeRecipient(recipient,
                                         action.rfind("delayed", 0) == 0 ? BounceAction::kDelayed
                                                                         : BounceAction::kFailed,
                                         status, diagnostic));
    recipient.clear();
    action.clear();
    status.clear();
    diagnostic.clear();
  };
  for (const auto& block :
       mime::ParseHeaderBlocks(std::string_view(message.notice).substr(fields))) {
    for (const auto& h : block) {
      if (base::EqualsIgnoreCase(h.name, "Final-Recipient")) {
        if (!recipient.empty()) flush();
        recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Action")) {
        action = base::AsciiLower(TrimText(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Status")) {
        status = FindStatus(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Diagnostic-Code")) {
        diagnostic = TextAfterType(h.value);
      }
    }
    flush();
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
