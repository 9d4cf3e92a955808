// au EZweb (KDDI's mobile mail): "Each of the following recipients was rejected by a
// remote mail server." or "The following recipients did not receive this message:",
// with "Recipient: <a@b>" or "<a@b>" lines and the SMTP exchange (">>> RCPT TO:",
// "<<< 550 ...") below each; older notices put the address first.
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseEzweb(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  if (!ContainsAny(notice, {"Each of the following recipients was rejected by a remote",
                            "The following recipients did not receive this message"}))
    return false;
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
