// qmail's notice ("Hi. This is the qmail-send program at ..."), and its clones that keep
// the layout: each failed address alone on a line as "<a@b>:", the reason on the lines
// after it, then "--- Below this line is a copy of the message.".
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseQmail(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  std::string_view start;
  for (std::string_view phrase :
       {"This is the qmail-send program", "Your mail message to the following address(es)"}) {
    if (ContainsIgnoreCase(notice, phrase)) {
      start = phrase;
      break;
    }
  }
  if (start.empty()) return false;
  std::string_view section = TextBetween(
      notice, start, {"--- Below this line", "--- Enclosed is a copy", "--- Original message"});
  return AddTextBlocks(report, TextBlocks(section), BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
