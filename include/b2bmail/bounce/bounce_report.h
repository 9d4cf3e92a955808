#pragma once
// What one returned message says (issue 8): which recipients failed or were delayed,
// with what status, why, and how that is classified; or that it is a complaint (ARF,
// RFC 5965), an auto-reply (RFC 3834), or nothing of the kind.
//
// Reads RFC 3464 delivery status notifications and RFC 5965 feedback reports wherever
// they sit in the MIME tree, vendors' own formats (qmail, Exim, Exchange, Domino, ...,
// in several languages: engine/bounce/vendor_*.cc), and recognises auto-replies. What
// looks like a bounce but is in no known format is kUnrecognised, never guessed at.

#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::bounce {

enum class BounceAction { kFailed, kDelayed };

struct BouncedRecipient {
  std::string recipient;  // the address we sent to (Original-Recipient, else Final-Recipient)
  BounceAction action = BounceAction::kFailed;
  std::string status;      // RFC 3463 code, "5.1.1"; empty when the report gives none
  std::string diagnostic;  // the remote server's words (Diagnostic-Code without its type)
  std::string remote_mta;  // Remote-MTA without its type; may be empty
  // From the sender's shared table (smtp::ClassifyReply): the same categories as
  // synchronous replies.
  smtp::FailureCategory category = smtp::FailureCategory::kUnclassified;
  // A permanent failure of the address: it must not be mailed again (bad mailbox or
  // domain). Soft: everything else, full mailboxes, delays and blocks included.
  bool hard = false;
};

struct BounceReport {
  enum class Kind {
    kNone,          // an ordinary message (a reply, a newsletter): no recipient
    kDsn,           // a delivery status notification with recipients
    kComplaint,     // an ARF feedback report: the recipient complained
    kAutoReply,     // out of office, vacation, challenge-response: not a bounce
    kUnrecognised,  // looks like a bounce, in a format this version does not read
  };
  Kind kind = Kind::kNone;
  std::vector<BouncedRecipient>
      recipients;  // kDsn: failed/delayed ones; kComplaint: the complainer
  std::string reporting_mta;
  std::string original_message_id;  // of the message that bounced, when included
  std::string verp_token;           // from our bounce address <prefix>+TOKEN@, when present
  std::string feedback_type;        // kComplaint: "abuse", "fraud", ...
  // Which reader understood it: "rfc3464", "arf", or a vendor's name ("qmail",
  // "exim", ...); empty when none did.
  std::string format;
};

struct BounceParseOptions {
  // The local part our envelope senders start with ([bounces] prefix): bounces come
  // back to <prefix>+TOKEN@domain, which names the send.
  std::string verp_prefix = "bounces";
};

// Never throws for any input (only std::bad_alloc). Thread-safe.
BounceReport ParseBounce(std::string_view raw_message, const BounceParseOptions& options = {});

std::string_view KindName(BounceReport::Kind kind);  // "none", "dsn", "complaint", ...

}  // namespace b2bmail::bounce
