// au EZweb (KDDI's mobile mail): "Each of the following recipients was rejected by a
// remote mail server." or "The following recipients did not receive this message:",
// with "Recipient: <a@b>" or "<a@b>" lines and the SMTP exchange (">>> RCPT TO:",
// "<<< 550 ...") below each; older notices put the address first.
#include "bounce_text.h"

namespace b2bmail::bounce {

namespace {

// Older notices from ezweb.ne.jp: a Japanese paragraph, one English sentence ("The
// user(s) account is disabled.") and the addresses in <angle brackets>, one a line.
bool ParseOlderEzweb(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  std::size_t at = FindIgnoreCase(notice, "The user(s) ");
  if (message.from.find("ezweb.ne.jp") == std::string::npos || at == std::string_view::npos)
    return false;
  std::size_t end = notice.find('\n', at);
  std::string sentence(TrimText(notice.substr(at, end == std::string_view::npos ? end : end - at)));
  std::size_t before = report.recipients.size();
  for (std::string_view line : TextLines(notice.substr(at + sentence.size()))) {
    line = TrimText(line);
    if (line.empty()) continue;
    if (line.size() < 3 || line.front() != '<' || line.back() != '>') break;
    std::string address = FirstAddressIn(line);
    if (address.size() + 2 != line.size()) break;
    AddTextRecipient(report, std::move(address), BounceAction::kFailed, sentence);
  }
  return report.recipients.size() > before;
}

}  // namespace

bool ParseEzweb(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsAny(notice, {"Each of the following recipients was rejected by a remote",
                            "The following recipients did not receive this message"}))
    return ParseOlderEzweb(message, report);
  std::string_view section = TextBetween(notice, "", {"-----------", "Original message"});
  std::vector<TextBlock> blocks = TextBlocks(section, 8);
  // The reason sits with the address, or before it as a sentence of its own.
  std::string intro = OneLine(section.substr(0, FindIgnoreCase(section, "Each of the following")));
  std::size_t before = report.recipients.size();
  for (const TextBlock& block : blocks) {
    std::string_view reply = block.text;
    if (std::size_t at = reply.find("<<<"); at != std::string_view::npos)
      reply.remove_prefix(at + 3);
    std::string diagnostic = ReplyIn(reply);
    if (diagnostic.empty()) diagnostic = ReplyIn(intro);
    AddTextRecipient(report, block.address, BounceAction::kFailed, std::move(diagnostic));
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
