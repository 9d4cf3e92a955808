// Zoho Mail's bounces. A failure lists each address with its reply on one line:
//
//   anna@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <anna@...>... User Unknown
//
// a delay warning ("THIS IS A WARNING MESSAGE ONLY", "Message will be retried") one
// bracketed line per address:
//
//   [Status: Error, Address: <anna@example.com>, ResponseCode 421, , Host not reachable.]
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseZoho(const BounceMessage& message, BounceReport& report) {
  if (message.from.find("zoho") == std::string::npos &&
      message.root.HeaderValue("X-Mailer").find("Zoho") == std::string_view::npos)
    return false;
  std::string_view notice = message.notice;
  const BounceAction action = ContainsIgnoreCase(notice, "THIS IS A WARNING MESSAGE ONLY") ||
                                      ContainsIgnoreCase(notice, "will be retried")
                                  ? BounceAction::kDelayed
                                  : BounceAction::kFailed;
  std::vector<ListedRecipient> listed;
  for (std::string_view line : TextLines(notice)) {
    line = TrimText(line);
    if (StartsWithIgnoreCase(line, "[Status:")) {
      // The reason follows the address and its ResponseCode field.
      auto address = FindIgnoreCase(line, "Address:");
      auto code = FindIgnoreCase(line, "ResponseCode");
      if (address == std::string_view::npos) continue;
      std::string_view reason = code == std::string_view::npos ? line : line.substr(code);
      if (auto comma = reason.find(','); comma != std::string_view::npos)
        reason = reason.substr(comma + 1);
      while (!reason.empty() && (reason.front() == ',' || reason.front() == ' '))
        reason.remove_prefix(1);
      if (!reason.empty() && reason.back() == ']') reason.remove_suffix(1);
      listed.push_back({FirstAddressIn(line.substr(address)), std::string(TrimText(reason))});
    } else if (ContainsIgnoreCase(line, "ERROR_CODE")) {
      auto more = ListedRecipients(line, {});
      listed.insert(listed.end(), more.begin(), more.end());
    }
  }
  std::erase_if(listed, [](const ListedRecipient& r) { return r.address.empty(); });
  return AddListedRecipients(report, listed, action);
}

}  // namespace b2bmail::bounce
