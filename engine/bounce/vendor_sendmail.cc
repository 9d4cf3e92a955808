// Sendmail's text notice and the MTAs that copy it (ActiveHunter, Biglobe, an unnamed
// one with "---The following addresses had delivery errors---"): the failed addresses
// under "----- The following addresses had permanent fatal errors -----", each with an
// optional "(reason: ...)", then "----- Transcript of session follows -----". V5
// Sendmail has only the transcript, where "554 <a@b>... reason" names a recipient.
#include "bounce_text.h"

namespace b2bmail::bounce {
namespace {

constexpr std::string_view kListed = "The following addresses had";
constexpr std::string_view kTranscript = "Transcript of session follows";

// The reason for `address` in the transcript: the server's reply after the command
// that named it, else the first reply in it.
std::string TranscriptReply(std::string_view transcript, std::string_view address) {
  std::size_t at = FindIgnoreCase(transcript, address);
  if (at != std::string_view::npos) {
    std::size_t reply = transcript.find("<<< ", at);
    if (reply != std::string_view::npos)
      return ReplyIn(ValueAfter(transcript.substr(reply), "<<<"));
  }
  return ReplyIn(transcript);
}

bool ReadListed(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  std::size_t heading = FindIgnoreCase(notice, kListed);
  std::string_view heading_line = ValueAfter(notice.substr(heading), kListed);
  BounceAction action = ContainsIgnoreCase(heading_line, "transient") ||
                                StartsWithIgnoreCase(message.subject, "warning")
                            ? BounceAction::kDelayed
                            : BounceAction::kFailed;
  std::string_view section = TextBetween(notice, kListed, {"---"});
  if (section.empty()) return false;
  // What follows the list (a transcript, "Non-delivered information"), up to the copy of
  // the message.
  std::string_view after =
      notice.substr(static_cast<std::size_t>(section.data() - notice.data()) + section.size());
  after = TextBetween(
      after, "",
      {"Unsent message follows", "Original message follows", "Reporting-MTA:", "Content-Type:"});
  std::size_t before = report.recipients.size();
  for (const TextBlock& block : TextBlocks(section)) {
    std::string_view reason = ValueAfter(block.text, "(reason:");
    std::string diagnostic;
    if (!reason.empty()) {
      diagnostic = ReplyIn(reason.substr(0, reason.rfind(')')));
    } else if (ContainsAny(block.text, {"[", "..."})) {
      diagnostic = ReplyIn(block.text);  // "a@b [User unknown]", "a@b... reason"
    } else {
      diagnostic = TranscriptReply(after, block.address);
    }
    AddTextRecipient(report, block.address, action, diagnostic);
  }
  return report.recipients.size() > before;
}

// V5: "554 <a@b>... 550 Host unknown" lines in the transcript.
bool ReadTranscript(std::string_view notice, BounceReport& report) {
  std::string_view transcript = TextBetween(notice, kTranscript, {"Unsent message follows"});
  std::size_t before = report.recipients.size();
  for (std::string_view line : TextLines(transcript)) {
    if (ReplyCodeOf(line) < 500) continue;
    std::string_view rest = TrimText(TrimText(line).substr(3));
    std::size_t dots = rest.find("...");
    if (rest.empty() || rest.front() != '<' || dots == std::string_view::npos) continue;
    std::string address = FirstAddressIn(rest.substr(0, dots));
    if (address.empty()) continue;
    AddTextRecipient(report, std::move(address), BounceAction::kFailed,
                     ReplyIn(rest.substr(dots + 3)));
  }
  return report.recipients.size() > before;
}

}  // namespace

bool ParseSendmail(const BounceMessage& message, BounceReport& report) {
  if (ContainsIgnoreCase(message.notice, kListed)) return ReadListed(message, report);
  if (ContainsIgnoreCase(message.notice, kTranscript))
    return ReadTranscript(message.notice, report);
  return false;
}

}  // namespace b2bmail::bounce
