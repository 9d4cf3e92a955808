// GMX and 1&1 (United Internet, kundenserver.de): Exim-like text whose list names the
// address quoted or bracketed, the reason below it, then the original's header:
//
//   ... This is a permanent error. The following address(es)
//   failed:
//
//   "anna@example.com":
//   SMTP error from remote server after RCPT command:
//   host: mx.example.com
//   5.1.1 <anna@example.com>... User Unknown
//
//   --- The header of the original message is following. ---
//
// 1&1 writes "For the following reason:" and "reason:" before the reply; GMX writes
// "Reason:" before its own words ("delivery retry timeout exceeded").
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseGmx(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  constexpr std::string_view kEnd = "--- The header of the original message is following";
  if (!ContainsIgnoreCase(notice, kEnd)) return false;
  // "The following address failed:", sometimes wrapped after "address(es)".
  std::size_t intro = FindIgnoreCase(notice, "The following address");
  if (intro == std::string_view::npos) return false;
  std::size_t list = AfterLineWith(notice, "failed:", intro);
  if (list == std::string_view::npos) return false;
  auto listed = ListedRecipients(notice.substr(list), {kEnd});
  for (ListedRecipient& r : listed) {
    std::string_view d = r.diagnostic;
    for (std::string_view label : {"For the following reason:", "Reason:"})
      if (StartsWithIgnoreCase(d, label)) d.remove_prefix(label.size());
    if (auto reason = FindIgnoreCase(d, " reason: "); reason != std::string_view::npos)
      d.remove_prefix(reason + 9);
    r.diagnostic = std::string(TrimText(d));
  }
  return AddListedRecipients(report, listed, BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
