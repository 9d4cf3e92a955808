// Verizon Wireless: the MMS gateway (vzwpix.com) and the SMS gateway (vtext.com).
//
//   Message could not be delivered to mobile.      Error: Invalid user address
//   Error: No valid recipients for this MM         Error message below:
//   Original Message:                              550 - Requested action not taken: ...
//   To: 5551234567@vzwpix.com                      Message details:
//                                                    RCPT TO: 5551234567@vtext.com
#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

// The address on the first line of `text` (from `from` on) starting with `label`.
std::string AddressAfterLabel(std::string_view text, std::string_view label) {
  for (std::string_view line : TextLines(text)) {
    line = TrimText(line);
    if (StartsWithIgnoreCase(line, label)) return FirstAddressIn(line.substr(label.size()));
  }
  return {};
}

}  // namespace

bool ParseVerizon(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  std::string address, diagnostic;
  if (std::size_t original = FindIgnoreCase(notice, "Original Message:");
      ContainsIgnoreCase(notice, "Message could not be delivered to mobile") &&
      original != std::string_view::npos) {
    address = AddressAfterLabel(notice.substr(original), "To:");
    std::size_t error = FindIgnoreCase(notice, "Error:");
    if (error < original) diagnostic = TrimText(notice.substr(error + 6, original - error - 6));
  } else if (std::size_t details = FindIgnoreCase(notice, "Message details:");
             ContainsIgnoreCase(notice, "Error message below:") &&
             details != std::string_view::npos) {
    address = AddressAfterLabel(notice.substr(details), "RCPT TO:");
    std::size_t below = AfterLineWith(notice, "Error message below:");
    if (below < details) diagnostic = TrimText(notice.substr(below, details - below));
  }
  if (address.empty()) return false;
  AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, {}, diagnostic));
  return true;
}

}  // namespace b2bmail::bounce
