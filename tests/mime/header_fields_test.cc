#include "b2bmail/mime/header_fields.h"

#include <catch2/catch.hpp>

using namespace b2bmail::mime;

TEST_CASE("Header fields keep their folding and the body starts after the empty line", "[mime]") {
  std::string m = "Subject: a\r\n  folded\r\nFrom: x@y\r\n\r\nbody\r\n";
  auto s = SplitHeaderAndBody(m);
  REQUIRE(s.fields.size() == 2);
  CHECK(s.fields[0].name == "Subject");
  CHECK(s.fields[0].value == " a\r\n  folded");
  CHECK(s.fields[0].raw == "Subject: a\r\n  folded\r\n");
  CHECK(Unfold(s.fields[0].value) == "a  folded");
  CHECK(s.fields[1].value == " x@y");
  CHECK(s.has_body_separator);
  CHECK(s.body == "body\r\n");
}

TEST_CASE("Header fields split with bare LF line ends, no body and lines without a colon",
          "[mime]") {
  auto s = SplitHeaderAndBody("To: a@b\n\tc\nbroken line\nX: 1");
  REQUIRE(s.fields.size() == 3);
  CHECK(s.fields[0].value == " a@b\n\tc");
  CHECK(s.fields[1].name == "broken line");
  CHECK(s.fields[1].value.empty());
  CHECK(s.fields[2].value == " 1");
  CHECK(s.fields[2].raw == "X: 1");
  CHECK_FALSE(s.has_body_separator);
  CHECK(s.body.empty());
  CHECK(SplitHeaderAndBody("").fields.empty());
  CHECK(SplitHeaderAndBody("\r\nonly body").body == "only body");
}
