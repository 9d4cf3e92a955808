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
