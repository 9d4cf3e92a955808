// IBM (Lotus) Domino's text reports:
//
//   Your message
//     Subject: ...
//   was not delivered to:
//     anna@example.com
//   because:
//     User anna (anna@example.com) not listed in Domino Directory
//
// "not listed in Domino Directory" is Domino's unknown user; English text alone would
// read "listed in" as a blocklist.
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseDomino(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  std::size_t list = AfterLineWith(notice, "was not delivered to:");
  if (list == std::string_view::npos) return false;
  std::size_t because = FindIgnoreCase(notice, "because:", list);
  if (because == std::string_view::npos) return false;
  std::string_view reason = TrimText(notice.substr(because + 8));
  reason = reason.substr(0, std::min(reason.find("\n\n"), reason.size()));
  std::string status = ContainsIgnoreCase(reason, "not listed in") ? "5.1.1" : "";
  std::size_t before = report.recipients.size();
  for (std::string& address : AddressesIn(notice.substr(list, because - list)))
    AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, status,
                                       std::string(reason)));
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
