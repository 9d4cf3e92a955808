#include "b2bmail/base/time_format.h"

#include <catch2/catch.hpp>

using namespace b2bmail::base;

TEST_CASE("ISO 8601 parses the forms CSV exports use and normalises to UTC", "[base]") {
  auto t = ParseIso8601("2026-10-03T14:22:05Z");
  REQUIRE(t);
  CHECK(FormatIso8601(*t) == "2026-10-03T14:22:05Z");
  CHECK(FormatIso8601(*ParseIso8601("2026-10-03T16:22:05+02:00")) == "2026-10-03T14:22:05Z");
  CHECK(FormatIso8601(*ParseIso8601("2026-10-03T09:22:05-0500")) == "2026-10-03T14:22:05Z");
  CHECK(FormatIso8601(*ParseIso8601("2026-10-03 14:22:05.123Z")) == "2026-10-03T14:22:05Z");
  CHECK(FormatIso8601(*ParseIso8601("2026-10-03")) == "2026-10-03T00:00:00Z");
  CHECK(FormatIso8601(*ParseIso8601("2026-10-03T14:22")) == "2026-10-03T14:22:00Z");
}

TEST_CASE("ISO 8601 rejects impossible and malformed times", "[base]") {
  for (const char* bad :
       {"", "2026-02-30", "2026-13-01", "2026-1-01", "03.10.2026", "2026-10-03T25:00:00Z",
        "2026-10-03T14:22:05Zjunk", "2026-10-03T", "yesterday", "2026-10-03T14:22:05+2"})
    CHECK_FALSE(ParseIso8601(bad));
}

TEST_CASE("RFC 5322 dates carry the weekday and a numeric zone", "[base]") {
  CHECK(FormatRfc5322Date(*ParseIso8601("2026-11-23T09:05:07Z")) ==
        "Mon, 23 Nov 2026 09:05:07 +0000");
}
