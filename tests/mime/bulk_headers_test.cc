#include "b2bmail/mime/bulk_headers.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/error.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {
using Fields = std::vector<std::pair<std::string, std::string>>;
}

TEST_CASE("bulk headers give one-click unsubscribe, Feedback-ID and List-Id", "[mime]") {
  BulkHeaders h;
  h.unsubscribe_url = "https://t.lumetra.example/u/abc.def";
  h.unsubscribe_mailto = "unsubscribe+abc.def@lumetra.example";
  h.feedback_id = {"dach-webinar", "dach-buying-center", "event", "lumetra01"};
  h.list_name = "Procurement 4.0 webinar, DACH";
  h.list_id = "dach-webinar";
  h.list_domain = "lumetra.example";
  CHECK(BulkHeaderFields(h) ==
        Fields{{"List-Unsubscribe",
                "<https://t.lumetra.example/u/abc.def>, "
                "<mailto:unsubscribe+abc.def@lumetra.example?subject=unsubscribe>"},
               {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
               {"Feedback-ID", "dach-webinar:dach-buying-center:event:lumetra01"},
               {"List-Id", "\"Procurement 4.0 webinar, DACH\" <dach-webinar.lumetra.example>"}});
}

TEST_CASE("bulk headers leave out what is not configured and clean what would break them",
          "[mime]") {
  BulkHeaders h;
  h.unsubscribe_url = "https://t.example/u/x";
  CHECK(BulkHeaderFields(h) == Fields{{"List-Unsubscribe", "<https://t.example/u/x>"},
                                      {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}});
  h.feedback_id = {"q4:launch", "all buyers", "news letter", "lumetra01"};
  h.list_id = "Q4 launch/ä";
  h.list_domain = "lumetra.example";
  h.list_name = "Förderung";
  auto f = BulkHeaderFields(h);
  REQUIRE(f.size() == 4);
  // A ':' inside a field would shift Gmail's fields; whitespace is not allowed.
  CHECK(f[2].second == "q4-launch:allbuyers:newsletter:lumetra01");
  CHECK(f[3].second == "=?UTF-8?Q?F=C3=B6rderung?= <Q4-launch/--.lumetra.example>");
}

TEST_CASE("a VERP address carries the token back and refuses an over-long local part", "[mime]") {
  auto a = VerpAddress("bounces", "abc123.xyz", "lumetra.example");
  CHECK(a == "bounces+abc123.xyz@lumetra.example");
  CHECK(VerpToken(a, "bounces") == "abc123.xyz");
  CHECK(VerpToken("BOUNCES+ABC123.XYZ@lumetra.example", "bounces") == "abc123.xyz");
  CHECK_FALSE(VerpToken("news@lumetra.example", "bounces"));
  CHECK_FALSE(VerpToken("bounces+@lumetra.example", "bounces"));
  CHECK_FALSE(VerpToken("bounces+abc", "bounces"));
  CHECK_THROWS_WITH(VerpAddress(std::string(30, 'p'), std::string(43, 't'), "l.example"),
                    Catch::Contains("64 octets"));
}
