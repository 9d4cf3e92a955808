// Mimecast's "Email Delivery Failure" alerts: each item on a line of its own after
// "-- ".
//
//   An email that you attempted to send to the following address could not be delivered:
//   -- anna@example.com
//   The problem appears to be :
//   -- Recipient email address is possibly incorrect
//   Additional information follows :
//   -- 5.1.1 Recipient address rejected: User unknown
#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

// The "-- " item after the first line holding `heading`, continued over the lines up
// to the next blank line; empty when absent.
std::string ItemAfter(std::string_view notice, std::string_view heading) {
  std::size_t at = AfterLineWith(notice, heading);
  if (at == std::string_view::npos) return {};
  std::string item;
  bool started = false;
  for (std::string_view line : TextLines(notice.substr(at))) {
    line = TrimText(line);
    if (!started) {
      if (line.empty()) continue;
      if (!line.starts_with("--")) return {};
      line.remove_prefix(2);
      started = true;
    } else if (line.empty()) {
      break;
    }
    if (!item.empty()) item += ' ';
    item += TrimText(line);
  }
  return item;
}

}  // namespace

bool ParseMimecast(const BounceMessage& message, BounceReport& report) {
  std::string address =
      FirstAddressIn(ItemAfter(message.notice, "attempted to send to the following address"));
  if (address.empty()) return false;
  std::string reason = ItemAfter(message.notice, "The problem appears to be");
  std::string details = ItemAfter(message.notice, "Additional information follows");
  // The remote server's reply, when given, is the reason; Mimecast's summary otherwise.
  std::string diagnostic = details.empty() ? reason : details;
  AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, {}, diagnostic));
  return true;
}

}  // namespace b2bmail::bounce
