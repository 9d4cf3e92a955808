#include "b2bmail/bounce/message_date.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/time_format.h"

using namespace b2bmail;

namespace {
std::string Iso(std::string_view date) {
  auto t = bounce::ParseMessageDate(date);
  return t ? base::FormatIso8601(*t) : "none";
}
}  // namespace

TEST_CASE("RFC 5322 dates, obsolete forms included, become UTC times", "[bounce]") {
  CHECK(Iso("Mon, 23 Nov 2026 10:00:00 +0100") == "2026-11-23T09:00:00Z");
  CHECK(Iso("23 Nov 2026 10:00 -0530") == "2026-11-23T15:30:00Z");
  CHECK(Iso("Thu, 29 Apr 13 23:45:41 +0900 (JST)") == "2013-04-29T14:45:41Z");
  CHECK(Iso("Wed, 16 Oct 2013 14:15:35 EDT") == "2013-10-16T18:15:35Z");
  CHECK(Iso("Tue, 1 Jan 2030 00:00:00 GMT") == "2030-01-01T00:00:00Z");
  CHECK(Iso("31 Feb 2026 10:00:00 +0000") == "none");
  CHECK(Iso("yesterday") == "none");
  CHECK(Iso("") == "none");
}
