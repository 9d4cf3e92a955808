#include <catch2/catch.hpp>

#include "b2bmail/segment/segment.h"

using namespace b2bmail;
using segment::ParseSegment;

namespace {

std::string FirstError(const segment::ParseResult& r) {
  REQUIRE(!r.diagnostics.items().empty());
  return r.diagnostics.items()[0].Format();
}

}  // namespace

TEST_CASE("the foundation subset parses into a filter tree", "[segment]") {
  auto r = ParseSegment(R"(# DACH buying center
segment "DACH decision makers and buyers"
WHERE account.country in ("DE", "AT", "CH")   # comment at end of line
  and contact.role IN (decision_maker, Buyer)
  and account.employees >= 200
  and contact.attr.preferred_channel != "phone")",
                        "dach", "segments/dach.seg");
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.segment);
  CHECK(r.segment->display_name == "DACH decision makers and buyers");
  const auto& root = *r.segment->where;
  REQUIRE(root.kind == model::FilterNode::Kind::kAnd);
  REQUIRE(root.children.size() == 4);
  CHECK(root.children[0]->kind == model::FilterNode::Kind::kIn);
  CHECK(root.children[0]->values.size() == 3);
  CHECK(std::get<std::string>(root.children[1]->values[1]) == "buyer");  // enum values normalised
  CHECK(std::get<std::int64_t>(root.children[2]->values[0]) == 200);
  CHECK(root.children[3]->field.custom);
  CHECK(root.children[3]->field.Spelling() == "contact.attr.preferred_channel");
}

TEST_CASE("or binds looser than and, not tighter, parentheses group", "[segment]") {
  auto r = ParseSegment(
      "where contact.role = buyer or not contact.role = user and (account.tier = champion)", "x",
      "x.seg");
  REQUIRE(r.segment);
  const auto& root = *r.segment->where;
  REQUIRE(root.kind == model::FilterNode::Kind::kOr);
  CHECK(root.children[1]->kind == model::FilterNode::Kind::kAnd);
  CHECK(root.children[1]->children[0]->kind == model::FilterNode::Kind::kNot);
}

TEST_CASE("an unknown field is an error at its position with a suggestion", "[segment]") {
  auto r = ParseSegment("where contact.role = buyer\n  and contact.senority = vp", "x", "s.seg");
  CHECK_FALSE(r.segment);
  CHECK(FirstError(r) ==
        "s.seg:2:7: error[unknown-field]: unknown field 'contact.senority' (did you mean "
        "contact.seniority?)");
}

TEST_CASE("an unknown enum value names the choices and the nearest one", "[segment]") {
  auto r = ParseSegment("where contact.role = decision_makr", "x", "s.seg");
  auto msg = FirstError(r);
  CHECK(msg.find("s.seg:1:22: error[unknown-value]") == 0);
  CHECK(msg.find("did you mean decision_maker?") != std::string::npos);
}

TEST_CASE("comparing incompatible types is an error", "[segment]") {
  CHECK(FirstError(ParseSegment("where account.employees = \"many\"", "x", "s.seg"))
            .find("error[type-mismatch]") != std::string::npos);
  CHECK(FirstError(ParseSegment("where account.country = DE", "x", "s.seg"))
            .find("text in double quotes") != std::string::npos);
  CHECK(FirstError(ParseSegment("where contact.title contains buyer", "x", "s.seg"))
            .find("s.seg:1:30: error[syntax]: expected text in quotes") == 0);
  CHECK(FirstError(ParseSegment("where contact.role contains \"buy\"", "x", "s.seg"))
            .find("error[type-mismatch]: 'contains' works on text fields") != std::string::npos);
  CHECK(FirstError(ParseSegment("where account.employees between 10 and \"x\"", "x", "s.seg"))
            .find("error[type-mismatch]") != std::string::npos);
  CHECK(FirstError(ParseSegment("where contact.attr.vip > true", "x", "s.seg"))
            .find("true and false have no order") != std::string::npos);
}

TEST_CASE("structural mistakes give positioned syntax errors", "[segment]") {
  CHECK(FirstError(ParseSegment("", "x", "s.seg")) ==
        "s.seg:1:1: error[missing-where]: a segment needs a 'where' clause");
  CHECK(FirstError(ParseSegment("where contact.role = buyer and", "x", "s.seg"))
            .find("s.seg:1:31: error[syntax]") == 0);
  CHECK(FirstError(ParseSegment("where contact.title = \"CFO", "x", "s.seg"))
            .find("s.seg:1:23: error[syntax]: text is not closed") == 0);
  CHECK(
      FirstError(ParseSegment("where (contact.role = buyer", "x", "s.seg")).find("expected ')'") !=
      std::string::npos);
  CHECK(FirstError(ParseSegment("where contact.role = buyer cap 2 per", "x", "s.seg")) ==
        "s.seg:1:37: error[syntax]: expected 'account' in 'cap <N> per account', found the end "
        "of the file");
  CHECK(FirstError(ParseSegment("where opened within 90", "x", "s.seg"))
            .find("s.seg:1:21: error[syntax]: expected a time window such as 90d") == 0);
}

TEST_CASE("columns count characters, not bytes", "[segment]") {
  auto r =
      ParseSegment("where contact.title = \"Geschäftsführer\" and contact.rolle = x", "x", "s.seg");
  CHECK(FirstError(r).find("s.seg:1:45:") == 0);
}

TEST_CASE("hostile input gives diagnostics, never a crash", "[segment]") {
  std::string deep =
      "where " + std::string(10000, '(') + "contact.role = buyer" + std::string(10000, ')');
  CHECK(FirstError(ParseSegment(deep, "x", "s.seg")).find("error[too-deep]") != std::string::npos);
  std::string nots = "where ";
  for (int i = 0; i < 10000; ++i) nots += "not ";
  nots += "contact.role = buyer";
  CHECK(FirstError(ParseSegment(nots, "x", "s.seg")).find("error[too-deep]") != std::string::npos);
  CHECK(ParseSegment(std::string("where contact.title = \"a\0b\"", 27), "x", "s.seg")
            .diagnostics.HasErrors());
  CHECK(ParseSegment("where contact.title = \"\xff\xfe\"", "x", "s.seg").diagnostics.HasErrors());
  auto quotes = ParseSegment(R"(where contact.title = "x\" OR 1=1; --")", "x", "s.seg");
  REQUIRE(quotes.segment);  // a legal text value: it is bound, never spliced into SQL
  CHECK(std::get<std::string>(quotes.segment->where->values[0]) == "x\" OR 1=1; --");
  std::string huge = "where contact.title = \"" + std::string(1 << 20, 'a') + "\"";
  CHECK(ParseSegment(huge, "x", "s.seg").segment);
}
