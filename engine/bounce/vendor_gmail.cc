// Gmail's own text bounces (Google's "Delivery Status Notification (Failure|Delay)"
// without a delivery-status part):
//
//   Delivery to the following recipient failed permanently:   (or "has been delayed:")
//        anna@example.com
//   Technical details of permanent failure:
//   Google tried to deliver your message, but it was rejected by ...
//   The error that the other server returned was: 550 5.1.1 ... User unknown
//   ----- Original message -----
//
// and the newer ones, whose text names no address (X-Failed-Recipients does):
//
//   ** Message not delivered **          (or "** Address not found **", ...)
//   <Google's explanation>
//   The response was:
//   <the remote server's words>
#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

bool ParseNewerGmail(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = TrimText(message.notice);
  if (!notice.starts_with("** ") || message.from.find("mailer-daemon@google") == std::string::npos)
    return false;
  std::string_view text = notice.substr(0, notice.find("\n\n\n"));
  constexpr std::string_view kResponse = "The response was:";
  if (auto response = FindIgnoreCase(text, kResponse); response != std::string_view::npos)
    text = text.substr(response + kResponse.size());
  std::string diagnostic(TrimText(text));
  std::size_t before = report.recipients.size();
  for (std::string& address : AddressesIn(message.root.HeaderValue("X-Failed-Recipients")))
    AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, {}, diagnostic));
  return report.recipients.size() > before;
}

}  // namespace

bool ParseGmail(const BounceMessage& message, BounceReport& report) {
  // Google's mailer daemon (googlemail.com, google.com): other servers use the same
  // heading ("Delivery to the following recipients failed") in other layouts.
  if (message.from.find("google") == std::string::npos &&
      message.from.find("gmail") == std::string::npos)
    return false;
  std::string_view notice = message.notice;
  constexpr std::string_view kHeading = "Delivery to the following recipient";
  std::size_t at = FindIgnoreCase(notice, kHeading);
  if (at == std::string_view::npos) return ParseNewerGmail(message, report);
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
