#pragma once
// What every bounce reader shares: the notice as text, addresses and status codes found
// in text, and one way to turn what a report says about a recipient into a classified
// BouncedRecipient (the sender's table, smtp::ClassifyReply).

#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/mime/mime_parser.h"

namespace b2bmail::bounce {

// A returned message as vendor readers see it. Views and references live as long as
// the ParsedMessage the root belongs to.
struct BounceMessage {
  const mime::MimePart& root;
  std::string from;     // From, decoded, lower case
  std::string subject;  // Subject, decoded (UTF-8), lower case for ASCII letters
  // The human-readable notice in UTF-8 with "\n" line ends: the text/plain parts (else
  // the text/html ones, as text) that are not inside a returned message, in order. For
  // a message that is not multipart this is the whole body, the returned message that
  // text formats (qmail, Exim, Sendmail) append included.
  std::string notice;
  // The headers of the returned message when it is a MIME part (message/rfc822,
  // text/rfc822-headers), else nullptr; text formats leave it to the reader.
  const mime::MimePart* returned = nullptr;
};

BounceMessage ReadBounceMessage(const mime::MimePart& root);

std::string_view TrimText(std::string_view s);
// Lines of `text` without their "\n".
std::vector<std::string_view> TextLines(std::string_view text);

// "rfc822; <Anna@Example.com>" -> "Anna@Example.com" (RFC 3464 §2.3.1: address-type;
// address). Angle brackets and a trailing dot are seen in the wild.
std::string AddressOf(std::string_view field);
// "smtp; 550 5.1.1 <a@b>: User unknown" -> "550 5.1.1 <a@b>: User unknown".
std::string TextAfterType(std::string_view field);

// The first RFC 3463 code in `text` ("x.y.z" with x 2, 4 or 5), or empty.
std::string FindStatus(std::string_view text);
// The three-digit SMTP reply code at the start of `text` (after blanks), or 0.
int ReplyCodeOf(std::string_view text);

// Every e-mail address in `text`, in order, each once: local@domain with a dotted
// domain, found bare, in <angle brackets>, in "quotes" or after "RCPT TO:". A trailing
// dot, comma or colon is not part of it. Case kept as written.
std::vector<std::string> AddressesIn(std::string_view text);
// The first address in `text`, or empty.
std::string FirstAddressIn(std::string_view text);

// A recipient from what a report says: `diagnostic` is the remote server's words (a
// reply, possibly with its code), `status` an RFC 3463 code when the report gives one
// apart from the text (else it is looked for in the text). Classified by the sender's
// table: category, and hard for a failed bad mailbox or domain.
BouncedRecipient MakeRecipient(std::string address, BounceAction action, std::string status,
                               std::string diagnostic);
// Classifies `r` (category and hard) from its status, diagnostic and action.
void ClassifyRecipient(BouncedRecipient& r);

// Adds `r` to the report unless the same address (ignoring case) is already there, or
// the report already names kMaxReportRecipients.
inline constexpr std::size_t kMaxReportRecipients = 1000;
void AddRecipient(BounceReport& report, BouncedRecipient r);

// Case-insensitive (ASCII) search; npos when absent.
std::size_t FindIgnoreCase(std::string_view haystack, std::string_view needle,
                           std::size_t from = 0);
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

// --- added for MTA text readers ---

// True when `text` contains any of `needles` (ASCII case ignored).
bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles);

// The lines of `text` after the first line containing `start` (ASCII case ignored), up
// to the first later line containing any of `ends`; empty when `start` is absent. An
// empty `start` means from the first line. Text formats put their recipient list
// between such fixed phrases.
std::string_view TextBetween(std::string_view text, std::string_view start,
                             std::initializer_list<std::string_view> ends);

// One recipient as a text notice lists it: the address that begins a line, and the
// rest of that line with the lines that follow, up to the next such line.
struct TextBlock {
  std::string address;
  std::string text;  // whitespace runs collapsed to one space
};
// The blocks of `section`. A block starts at a line indented by at most `max_indent`
// blanks whose first word is an address: bare or in <angle brackets>, followed by the
// end of the line, a blank, ":", "..." or "[", and optionally after "* ", ">>> " or
// "Recipient:". Text before the first block is ignored.
std::vector<TextBlock> TextBlocks(std::string_view section, std::size_t max_indent = 0);

// The remote server's words in `text`, from its first reply code at a word start on
// ("... host mx [192.0.2.1]: 550 5.1.1 ..." -> "550 5.1.1 ..."), so that the code
// leads as ClassifyRecipient expects; `text` itself when it quotes no reply.
// Whitespace runs collapsed.
std::string ReplyIn(std::string_view text);

// Collapses whitespace runs (line breaks included) to one space, trimmed.
std::string OneLine(std::string_view text);

// The address a recipient had before a relay rewrote it with the "%" hack
// ("nyaan%gol.com@relay.example" -> "nyaan@gol.com"), else `address` unchanged.
std::string UndoPercentHack(std::string address);

// Adds `address` with `diagnostic` (the server's words, as ReplyIn gives them) unless
// they report a success (2xx, status 2.x.x: a delivery report the sender asked for);
// true when the report gained it.
bool AddTextRecipient(BounceReport& report, std::string address, BounceAction action,
                      std::string diagnostic);

// Adds each block as a recipient (its reply per ReplyIn) with `action`; true when the
// report gained one.
bool AddTextBlocks(BounceReport& report, const std::vector<TextBlock>& blocks, BounceAction action);

// Adds every address in `addresses` with the same diagnostic; true when one was added.
bool AddAddresses(BounceReport& report, const std::vector<std::string>& addresses,
                  BounceAction action, std::string_view diagnostic);

// The text after `label` on the first line that contains it (ASCII case ignored),
// trimmed; empty when absent. "RCPT TO: a@b" with label "RCPT TO:" -> "a@b".
std::string_view ValueAfter(std::string_view text, std::string_view label);

}  // namespace b2bmail::bounce

// --- added for provider readers ---
namespace b2bmail::bounce {

// One recipient as a text notice lists it, with the lines that explain it.
struct ListedRecipient {
  std::string address;
  std::string diagnostic;  // the explaining lines, trimmed and joined by single spaces
};

// The offset just past the end of the first line at or after `from` that contains
// `marker` (case-insensitive), or npos.
std::size_t AfterLineWith(std::string_view text, std::string_view marker, std::size_t from = 0);

// Recipients listed one per line from `text` on, as Gmail, Yahoo, GMX, Zoho, mail.ru and
// Exchange 2003 list them: a line that starts with an address ("a@b", "<a@b>:",
// "\"a@b\":", "a@b on <date>") opens a recipient; what follows on that line and on the
// next lines, until the next such line or a line containing one of `ends`, is its
// diagnostic. Lines before the first address are skipped. A recipient with no words
// of its own shares those of the next one (addresses grouped above one reason).
std::vector<ListedRecipient> ListedRecipients(std::string_view text,
                                              std::initializer_list<std::string_view> ends);

// Adds every listed recipient, classified with MakeRecipient; whether any was added.
bool AddListedRecipients(BounceReport& report, const std::vector<ListedRecipient>& listed,
                         BounceAction action);

}  // namespace b2bmail::bounce
