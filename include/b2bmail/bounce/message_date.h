#pragma once
// RFC 5322 §3.3 dates ("Mon, 23 Nov 2026 09:00:00 +0100"), with the obsolete forms of
// §4.3 (two-digit years, zone names): a bounce is recorded at the time it says it was
// written, so that reading the same mailbox twice records nothing twice.

#include <optional>
#include <string_view>

#include "b2bmail/base/clock.h"

namespace b2bmail::bounce {

// nullopt when `text` is not a date in that form. Thread-safe.
std::optional<base::TimePoint> ParseMessageDate(std::string_view text);

}  // namespace b2bmail::bounce
