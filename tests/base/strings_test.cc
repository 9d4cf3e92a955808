#include "b2bmail/base/strings.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/base/random.h"

using namespace b2bmail::base;

TEST_CASE("UTF-8 validation rejects overlongs, surrogates and truncation", "[base]") {
  CHECK(IsValidUtf8("Zoë Łukasz 日本"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  CHECK_FALSE(IsValidUtf8("abc\xE6\x97"));   // truncated
  CHECK(Utf8Length("Łódź") == 4);
}

TEST_CASE("JSON quoting escapes controls and quotes", "[base]") {
  CHECK(JsonQuote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
}

TEST_CASE("diagnostics format as file:line:col: severity[code]: message", "[base]") {
  Diagnostics d;
  d.Error("segments/x.seg", {3, 14}, "unknown-field", "unknown field contact.rol");
  REQUIRE(d.HasErrors());
  CHECK(d.items()[0].Format() ==
        "segments/x.seg:3:14: error[unknown-field]: unknown field contact.rol");
}

TEST_CASE("random tokens are reproducible with a seed and differ between draws", "[base]") {
  SeededRandom a(7), b(7);
  auto t1 = RandomToken(a, 24);
  CHECK(t1 == RandomToken(b, 24));
  CHECK(t1.size() == 24);
  CHECK(RandomToken(a, 24) != t1);
  CHECK(t1.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
}

TEST_CASE("edit distance drives did-you-mean suggestions", "[base]") {
  CHECK(EditDistance("decision_makr", "decision_maker") == 1);
  CHECK(EditDistance("", "abc") == 3);
}
