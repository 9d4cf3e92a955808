// Postfix's notice when no usable delivery-status part came with it (old versions,
// relays that forward the notice as text): "This is the Postfix program at host ..." or
// "This is the mail system at host ...", then "<a@b> (expanded from <c@d>): reason"
// per recipient. "THIS IS A WARNING ONLY" marks a delay.
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParsePostfix(const BounceMessage& message, BounceReport& report) {
  const std::string_view notice = message.notice;
  std::string_view start;
  for (std::string_view phrase : {"This is the Postfix program", "This is the mail system at host"})
    if (start.empty() && ContainsIgnoreCase(notice, phrase)) start = phrase;
  if (start.empty()) return false;
  BounceAction action = ContainsIgnoreCase(notice, "THIS IS A WARNING ONLY")
                            ? BounceAction::kDelayed
                            : BounceAction::kFailed;
  std::string_view section =
      TextBetween(notice, start,
                  {"Reporting-MTA:", "Content-Description:", "--- Delivery report",
                   "Undelivered Message", "Original message follows"});
  std::size_t before = report.recipients.size();
  for (TextBlock& block : TextBlocks(section)) {
    std::string_view text = block.text;
    // The address the sender used, before the alias expanded.
    if (StartsWithIgnoreCase(text, "(expanded from")) {
      std::string original = FirstAddressIn(text.substr(0, text.find(')')));
      if (!original.empty()) block.address = std::move(original);
      std::size_t close = text.find(')');
      text.remove_prefix(close == std::string_view::npos ? text.size() : close + 1);
    }
    AddTextRecipient(report, block.address, action, ReplyIn(text));
  }
  if (report.recipients.size() > before) return true;
  // "--- Delivery report unavailable ---": only the returned message's single addressee
  // can be the one that failed (a campaign message has exactly one).
  if (!ContainsIgnoreCase(notice, "Delivery report unavailable") || !message.returned) return false;
  if (!message.returned->HeaderValue("Cc").empty()) return false;
  auto addressees = AddressesIn(message.returned->HeaderValue("To"));
  if (addressees.size() != 1) return false;
  return AddAddresses(report, addressees, action, "Delivery report unavailable");
}

}  // namespace b2bmail::bounce
