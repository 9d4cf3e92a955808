// Gmail's own text bounces (Google's "Delivery Status Notification (Failure|Delay)"
// without a delivery-status part):
//
//   Delivery to the following recipient failed permanently:   (or "has been delayed:")
//        anna@example.com
//   Technical details of permanent failure:
//   Google tried to deliver your message, but it was rejected by ...
//   The error that the other server returned was: 550 5.1.1 ... User unknown
//   ----- Original message -----
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseGmail(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  constexpr std::string_view kHeading = "Delivery to the following recipient";
  std::size_t at = FindIgnoreCase(notice, kHeading);
  if (at == std::string_view::npos) return false;
  std::size_t list = AfterLineWith(notice, kHeading, at);
  // "... failed permanently:" or "... has been delayed:"
  BounceAction action = ContainsIgnoreCase(notice.substr(at, list - at), "delayed")
                            ? BounceAction::kDelayed
                            : BounceAction::kFailed;
  auto listed = ListedRecipients(
      notice.substr(list), {"----- Original message -----", "----- Message header follows -----",
                            "----- Original message headers -----"});
  // The remote server's own words, when Google quotes them, are the reason; the rest is
  // Google's explanation.
  for (ListedRecipient& r : listed) {
    constexpr std::string_view kQuoted = "the other server returned was:";
    auto quoted = FindIgnoreCase(r.diagnostic, kQuoted);
    if (quoted != std::string::npos)
      r.diagnostic =
          std::string(TrimText(std::string_view(r.diagnostic).substr(quoted + kQuoted.size())));
  }
  return AddListedRecipients(report, listed, action);
}

}  // namespace b2bmail::bounce
