#pragma once
// The header fields receivers require of bulk mail (deliverability.md §1): one-click
// unsubscribe (RFC 2369 List-Unsubscribe + RFC 8058 List-Unsubscribe-Post), Gmail's
// Feedback-ID, RFC 2919 List-Id; and the VERP-style envelope sender that lets a bounce
// name the send it belongs to.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b2bmail::mime {

// Gmail's feedback loop aggregates complaints per identifier: `a:b:c:SenderId`. Never a
// per-message value. Fields lose ':' and whitespace (they would shift the fields).
struct FeedbackId {
  std::string_view campaign;
  std::string_view segment;
  std::string_view mail_type;  // e.g. "newsletter", "nurture", "event"
  std::string_view sender;     // the stable sender id, 5-15 characters per Gmail
};

// Views: the strings they name must outlive the BulkHeaderFields call (no copies for
// each message of a launch).
struct BulkHeaders {
  // The one-click URL (https for RFC 8058); required.
  std::string_view unsubscribe_url;
  // An address for mailto: unsubscribes; empty: none offered.
  std::string_view unsubscribe_mailto;
  FeedbackId feedback_id;  // sender empty: no Feedback-ID
  // List-Id: `"name" <id.domain>`; id empty: no List-Id.
  std::string_view list_name;
  std::string_view list_id;
  std::string_view list_domain;
};

// List-Unsubscribe (https first, then mailto with subject=unsubscribe),
// List-Unsubscribe-Post: List-Unsubscribe=One-Click, Feedback-ID and List-Id, in this
// order, values ready for MessageSpec::extra_headers. The DKIM signer's default h=
// covers the first three (DefaultSignedHeaders).
std::vector<std::pair<std::string, std::string>> BulkHeaderFields(const BulkHeaders& headers);

// `<prefix>+<token>@<domain>`: the envelope sender (RFC 5321 MAIL FROM) of one send, to
// which its bounces return. Throws Error{kUsage} when the local part would exceed 64
// octets (RFC 5321 §4.5.3.1.1). REQUIRES: token is [a-z0-9.], domain is ASCII.
std::string VerpAddress(std::string_view prefix, std::string_view token, std::string_view domain);

// The token of a VERP address made with `prefix` (case-insensitive, as mail systems
// may change case); nullopt when `address` is not one.
std::optional<std::string> VerpToken(std::string_view address, std::string_view prefix);

}  // namespace b2bmail::mime
