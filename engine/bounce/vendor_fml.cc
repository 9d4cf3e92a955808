// fml (a mailing-list manager) refusing a post from a non-member: "You are not a
// member of this mailing list <list@example.org>." The list address is the recipient
// that refused the message; a policy, not a bad address.
#include "bounce_text.h"

namespace b2bmail::bounce {

bool ParseFml(const BounceMessage& message, BounceReport& report) {
  constexpr std::string_view kRefusal = "You are not a member of this mailing list";
  std::string_view rest = ValueAfter(message.notice, kRefusal);
  std::string list = FirstAddressIn(rest);
  if (list.empty()) return false;
  return AddAddresses(report, {list}, BounceAction::kFailed, kRefusal);
}

}  // namespace b2bmail::bounce
