// Lotus Notes (the SMTP MTA of R4/R5), often in Japanese (ISO-2022-JP): the reason
// comes first, then the address, between two rulers.
//
//   ------- Failure Reasons  --------
//   User not listed in public Name & Address Book
//   anna@example.com
//   ------- Returned Message --------
//
// "not listed in ... Name & Address Book" (Japanese: "ディレクトリのリストにありません")
// is Notes' unknown user; English text alone would read "listed in" as a blocklist.
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseNotes(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  std::size_t start = AfterLineWith(notice, "------- Failure Reasons");
  if (start == std::string_view::npos) return false;
  std::size_t end = FindIgnoreCase(notice, "------- Returned Message", start);
  std::string_view section =
      notice.substr(start, end == std::string_view::npos ? end : end - start);
  std::vector<std::string> addresses;
  std::string reason;
  for (std::string_view line : TextLines(section)) {
    line = TrimText(line);
    if (line.empty()) continue;
    if (std::string address = FirstAddressIn(line);
        !address.empty() && address.size() == line.size())
      addresses.push_back(std::move(address));
    else
      reason += (reason.empty() ? "" : " ") + std::string(line);
  }
  std::string status;
  if (ContainsIgnoreCase(reason, "not listed in") ||
      reason.find("リストにありません") != std::string::npos)
    status = "5.1.1";
  std::size_t before = report.recipients.size();
  for (std::string& address : addresses)
    AddRecipient(report, MakeRecipient(std::move(address), BounceAction::kFailed, status, reason));
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
