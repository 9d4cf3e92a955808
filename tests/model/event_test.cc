#include "b2bmail/model/event.h"

#include <catch2/catch.hpp>

using namespace b2bmail::model;

TEST_CASE("a bounced event's detail says hard or soft and the category (issue 8)", "[model]") {
  auto hard = ParseBounceDetail("hard:bad-mailbox");
  REQUIRE(hard);
  CHECK(hard->hard);
  CHECK(hard->category == "bad-mailbox");
  // Rows written before the category was kept, in any case.
  CHECK(ParseBounceDetail("HARD")->hard);
  CHECK(ParseBounceDetail("HARD")->category.empty());
  auto soft = ParseBounceDetail("Soft:Mailbox-Full");
  REQUIRE(soft);
  CHECK(!soft->hard);
  CHECK(soft->category == "mailbox-full");
  CHECK(!ParseBounceDetail(""));
  CHECK(!ParseBounceDetail("blocked"));
  CHECK(FormatBounceDetail({true, "bad-domain"}) == "hard:bad-domain");
  CHECK(FormatBounceDetail({false, ""}) == "soft");
  CHECK(FormatBounceDetail(*ParseBounceDetail("soft:policy-or-spam-block")) ==
        "soft:policy-or-spam-block");
}
