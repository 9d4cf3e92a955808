#pragma once
// Parsing and printing of the time formats b2bmail reads and writes.

#include <optional>
#include <string>
#include <string_view>

#include "b2bmail/base/clock.h"

namespace b2bmail::base {

// ISO 8601 / RFC 3339 as found in CSV exports and on the command line:
// `2026-01-31`, `2026-01-31T14:05`, `2026-01-31T14:05:09`, with an optional
// fraction (ignored), and `Z`, `+hh:mm`, `+hhmm` or `+hh` (no zone means UTC);
// a space may replace the `T`. Returns nullopt for anything else, including
// impossible dates (2026-02-30).
std::optional<TimePoint> ParseIso8601(std::string_view text);

// `2026-01-31T14:05:09Z`.
std::string FormatIso8601(TimePoint t);

// RFC 5322 §3.3 date-time in UTC: `Sat, 31 Jan 2026 14:05:09 +0000`.
std::string FormatRfc5322Date(TimePoint t);

}  // namespace b2bmail::base
