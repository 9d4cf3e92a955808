// Microsoft Exchange 2000/2003 non-delivery reports, plain text without a
// delivery-status part:
//
//   Your message
//     To:      anna@example.com
//     Subject: ...
//   did not reach the following recipient(s):     (or "The following recipient(s)
//                                                  could not be reached:")
//   anna@example.com on Thu, 29 Apr 2010 00:00:00 -0000
//       The recipient name is not recognized
//       MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseExchange2003(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  std::size_t list = AfterLineWith(notice, "did not reach the following recipient(s):");
  if (list == std::string_view::npos)
    list = AfterLineWith(notice, "The following recipient(s) could not be reached:");
  if (list == std::string_view::npos) return false;
  // The "on <date>" after each address stays in its diagnostic: it holds no code.
  return AddListedRecipients(report, ListedRecipients(notice.substr(list), {}),
                             BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
