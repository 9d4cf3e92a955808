// The last resort for a notice from a mailer daemon that no specific reader took. A
// wrong recipient would be suppressed by mistake, so it takes only an address that
// begins a line of the notice (before any copy of the returned message) and is
// explained as a failure on that line or announced by a failure heading on the line
// before ("The following recipients failed:"). The bounce's own parties (its sender,
// its addressee: our envelope sender), the returned message's sender addresses and
// role accounts are never recipients.
#include "b2bmail/base/strings.h"
#include "bounce_text.h"

namespace b2bmail::bounce {
namespace {

bool SaysFailed(std::string_view text) {
  return ContainsAny(text, {"user unknown",
                            "unknown user",
                            "no such",
                            "does not exist",
                            "not found",
                            "rejected",
                            "refused",
                            "undeliverable",
                            "not delivered",
                            "could not be delivered",
                            "failed",
                            "mailbox full",
                            "mailbox is full",
                            "over quota",
                            "quota exceeded",
                            "disabled",
                            "invalid recipient",
                            "unavailable",
                            "permanent error",
                            "delivery error",
                            "not receive"});
}

// The first line of a copy of the returned message, or of its headers.
bool StartsReturnedMessage(std::string_view line) {
  for (std::string_view header : {"Return-Path:", "Received:", "Message-ID:"})
    if (StartsWithIgnoreCase(line, header)) return true;
  return ContainsAny(line, {"original message", "copy of the message", "copy of your message",
                            "message headers follow", "below this line", "returned message"});
}

// A header quoted in the notice ("To: <a@b>" under "Your message"), or the first of a
// returned message that starts without Return-Path: never read for recipients.
bool IsHeaderLine(std::string_view line) {
  for (std::string_view header :
       {"From:", "Reply-To:", "To:", "Cc:", "Subject:", "Date:", "Sender:"})
    if (StartsWithIgnoreCase(line, header)) return true;
  return false;
}

// "Delivery failed: a@b", "Did not reach the following recipient: a@b": a failure
// phrase, a colon, and one address that ends the line. The address, or empty.
std::string PhraseAndAddress(std::string_view line) {
  std::size_t colon = line.rfind(':');
  if (colon == std::string_view::npos) return {};
  std::string_view phrase = line.substr(0, colon);
  std::string_view rest = TrimText(line.substr(colon + 1));
  if (!rest.empty() && rest.front() == '<' && rest.back() == '>')
    rest = rest.substr(1, rest.size() - 2);
  std::string address = FirstAddressIn(rest);
  if (address.empty() || address.size() != rest.size()) return {};
  if (!SaysFailed(phrase) && !ContainsAny(phrase, {"did not reach", "could not reach"})) return {};
  return address;
}

bool IsRoleAccount(std::string_view address) {
  for (std::string_view role :
       {"postmaster@", "mailer-daemon@", "abuse@", "noreply@", "no-reply@", "root@"})
    if (StartsWithIgnoreCase(address, role)) return true;
  return false;
}

std::vector<std::string> PartiesOf(const BounceMessage& message) {
  std::string parties = message.from;
  for (std::string_view name : {"To", "Return-Path", "Reply-To", "Sender"})
    parties += " " + std::string(message.root.HeaderValue(name));
  if (message.returned)
    for (std::string_view name : {"From", "Reply-To", "Sender", "Return-Path", "Message-ID"})
      parties += " " + std::string(message.returned->HeaderValue(name));
  return AddressesIn(parties);
}

}  // namespace

bool ParseGenericText(const BounceMessage& message, BounceReport& report) {
  if (!ContainsAny(message.from, {"mailer-daemon", "postmaster", "mail delivery"})) return false;
  const std::vector<std::string> parties = PartiesOf(message);
  const bool delayed = ContainsAny(message.subject, {"delay", "warning"}) ||
                       ContainsAny(message.notice, {"will keep trying", "not yet been delivered",
                                                    "will be retried", "will continue trying"});
  // Accepted addresses with their own words, and the lines after them (a listed address
  // is often explained further down: "Technical details: 550 5.1.1 ...").
  std::vector<TextBlock> found;
  std::vector<std::string> after;
  std::string_view previous;
  for (std::string_view line : TextLines(message.notice)) {
    if (StartsReturnedMessage(TrimText(line))) break;
    if (TrimText(line).empty() || IsHeaderLine(TrimText(line))) continue;
    std::vector<TextBlock> blocks = TextBlocks(line, 8);
    bool phrased = false;  // the failure phrase before the address explains it
    if (blocks.empty()) {
      if (std::string address = PhraseAndAddress(TrimText(line)); !address.empty()) {
        blocks.push_back({std::move(address), std::string(line)});
        phrased = true;
      }
    }
    if (blocks.empty()) {
      previous = line;
      if (!after.empty()) (after.back() += ' ') += line;
      continue;
    }
    TextBlock& block = blocks.front();
    bool explained = phrased || SaysFailed(block.text) || ReplyCodeOf(ReplyIn(block.text)) >= 400;
    bool announced = ContainsIgnoreCase(previous, "following") && SaysFailed(previous);
    bool party = IsRoleAccount(block.address);
    for (const std::string& p : parties) party = party || base::EqualsIgnoreCase(p, block.address);
    if ((explained || announced) && !party) {
      found.push_back(std::move(block));
      after.emplace_back();
    }
  }
  bool added = false;
  for (std::size_t i = 0; i < found.size(); ++i) {
    std::string diagnostic = ReplyIn(found[i].text);
    if (ReplyCodeOf(diagnostic) == 0 && FindStatus(diagnostic).empty()) {
      // No reply of its own: the first one quoted below it, before the next address.
      std::string below = ReplyIn(after[i]);
      if (ReplyCodeOf(below) != 0) diagnostic = std::move(below);
    }
    added = AddTextRecipient(report, std::move(found[i].address),
                             delayed ? BounceAction::kDelayed : BounceAction::kFailed,
                             std::move(diagnostic)) ||
            added;
  }
  return added;
}

}  // namespace b2bmail::bounce
