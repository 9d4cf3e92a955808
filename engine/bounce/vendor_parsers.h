#pragma once
// Readers for non-delivery reports written in a vendor's own format, without (or with
// an unusable) message/delivery-status part: one file each (engine/bounce/vendor_*.cc),
// as Sisimai keeps its Lhost modules. ParseBounce tries them in the order of
// VendorParsers() after RFC 3464 and RFC 5965 and before the auto-reply check.
//
// A reader that reads a complaint sets report.kind = kComplaint (its recipients are the
// complainers: hard, policy-or-spam-block); otherwise the report becomes kDsn.
// A reader returns true when the message is in its format and it has added at least one
// recipient (AddRecipient, MakeRecipient in bounce_text.h); otherwise it returns false
// and leaves `report` as it was, so the next reader can try. Readers never throw (only
// std::bad_alloc) and must stay linear in the message's size.

#include <span>
#include <string_view>

#include "bounce_text.h"

namespace b2bmail::bounce {

using VendorParser = bool (*)(const BounceMessage& message, BounceReport& report);

struct VendorEntry {
  std::string_view name;  // BounceReport::format when it matched: "qmail", "exim", ...
  VendorParser parse;
};

// In the order they are tried; each recognises its own format.
std::span<const VendorEntry> VendorParsers();

// RFC 3464 fields written into the text of a report whose MIME structure broke (a
// boundary that never appears): tried after the providers' readers, which know their
// own texts, and before the MTAs' text layouts, which read less than the fields say.
bool ParseRfc3464Text(const BounceMessage& message, BounceReport& report);

// The last resort (vendor_generic_text.cc), tried after every vendor's reader and after
// RFC 3464 fields in text: a conservative reader for any mailer daemon's notice, which
// names only addresses in recipient-like positions near failure words.
bool ParseGenericText(const BounceMessage& message, BounceReport& report);

}  // namespace b2bmail::bounce
