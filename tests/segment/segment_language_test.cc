// The full segment language (issue 4): every construct parses into the filter the
// store evaluates, and every mistake is reported where it is.
#include <catch2/catch.hpp>
#include <fstream>

#include "b2bmail/base/error.h"
#include "b2bmail/segment/segment.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using Kind = model::FilterNode::Kind;
using segment::ParseSegment;

namespace {

segment::SegmentDefinition Parse(const std::string& text) {
  auto r = ParseSegment(text, "x", "x.seg");
  INFO(text);
  for (const auto& d : r.diagnostics.items()) INFO(d.Format());
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.segment);
  return *r.segment;
}

std::string ErrorOf(const std::string& text) {
  auto r = ParseSegment(text, "x", "x.seg");
  INFO(text);
  REQUIRE(r.diagnostics.HasErrors());
  CHECK_FALSE(r.segment);
  return r.diagnostics.items()[0].Format();
}

std::vector<std::string> Names(const model::FilterNode& n) {
  std::vector<std::string> out;
  for (const auto& v : n.values) out.push_back(std::get<std::string>(v));
  return out;
}

}  // namespace

TEST_CASE("all clauses parse in order with their values", "[segment]") {
  auto s = Parse(R"(segment "Finance decision makers, DACH manufacturing"
WHERE account.country in ("DE", "AT", "CH")
  and contact.role = decision_maker
EXCLUDE customers, in-negotiation
CAP 2 PER ACCOUNT ORDER BY contact.seniority DESC, contact.last_name
SAMPLE 12.5% SEED 42)");
  CHECK(s.display_name == "Finance decision makers, DACH manufacturing");
  REQUIRE(s.exclude.size() == 2);
  CHECK(s.exclude[1].id == "in-negotiation");
  CHECK(s.exclude[1].position.line == 4);
  REQUIRE(s.cap);
  CHECK(s.cap->per_account == 2);
  REQUIRE(s.cap->order.size() == 2);
  CHECK(s.cap->order[0].field.name == "seniority");
  CHECK(s.cap->order[0].descending);
  CHECK_FALSE(s.cap->order[1].descending);
  REQUIRE(s.sample);
  CHECK(s.sample->basis_points == 1250);
  CHECK(s.sample->seed == 42);
  CHECK(s.cap_text == "CAP 2 PER ACCOUNT ORDER BY contact.seniority DESC, contact.last_name");
  CHECK(s.sample_text == "SAMPLE 12.5% SEED 42");
  REQUIRE(s.where_terms.size() == 2);
  CHECK(s.where_terms[0] == "account.country in (\"DE\", \"AT\", \"CH\")");
}

TEST_CASE("clauses out of order or repeated are errors", "[segment]") {
  CHECK(ErrorOf("where contact.role = buyer sample 10% cap 2 per account") ==
        "x.seg:1:39: error[syntax]: the 'cap' clause must come before 'sample' (order: where, "
        "exclude, cap, sample)");
  CHECK(ErrorOf("where contact.role = buyer cap 1 per account cap 2 per account")
            .find("at most one 'cap' clause") != std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer sample 0%").find("error[out-of-range]") !=
        std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer sample 100.5%").find("error[out-of-range]") !=
        std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer sample 1.125%").find("at most two decimals") !=
        std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer cap 0 per account").find("error[out-of-range]") !=
        std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer cap 2 per account order by account.tier")
            .find("same for every contact of an account") != std::string::npos);
  CHECK(ErrorOf("where contact.role = buyer exclude \"../etc/passwd\"").find("not a segment id") !=
        std::string::npos);
}

TEST_CASE("predicates build the documented nodes", "[segment]") {
  auto s = Parse(
      "where account.employees between 200 and 5000 and contact.title contains \"Procure\" and "
      "contact.title starts with \"Head\" and contact.title not ends with \"Assistant\" and "
      "contact.department is empty and account.industry is not empty and "
      "contact.language not in (\"ja\") and account.employees > 10.5");
  const auto& c = s.where->children;
  REQUIRE(c.size() == 8);
  CHECK(c[0]->kind == Kind::kBetween);
  CHECK(std::get<std::int64_t>(c[0]->values[1]) == 5000);
  CHECK(c[1]->kind == Kind::kTextMatch);
  CHECK(c[1]->match == model::TextMatch::kContains);
  CHECK(c[2]->match == model::TextMatch::kStartsWith);
  CHECK(c[3]->kind == Kind::kNot);
  CHECK(c[3]->children[0]->match == model::TextMatch::kEndsWith);
  CHECK(c[4]->kind == Kind::kEmpty);
  CHECK(c[5]->kind == Kind::kNot);
  CHECK(c[6]->kind == Kind::kNotIn);
  CHECK(std::get<double>(c[7]->values[0]) == 10.5);
}

TEST_CASE("enum orderings become lists in the declared order", "[segment]") {
  auto s = Parse("where contact.seniority >= director");
  CHECK(s.where->kind == Kind::kIn);
  CHECK(Names(*s.where) == std::vector<std::string>{"c_level", "vp", "director"});
  s = Parse("where account.stage < decision");
  CHECK(Names(*s.where) == std::vector<std::string>{"awareness", "consideration"});
  s = Parse("where account.tier between repeat and champion");
  CHECK(Names(*s.where) == std::vector<std::string>{"repeat", "advocate", "champion"});
  s = Parse("where contact.seniority between manager and vp");
  CHECK(Names(*s.where) == std::vector<std::string>{"vp", "director", "manager"});
  CHECK(ErrorOf("where contact.seniority > c_level").find("error[empty-range]") !=
        std::string::npos);
  CHECK(ErrorOf("where account.stage between decision and awareness").find("error[empty-range]") !=
        std::string::npos);
}

TEST_CASE("engagement conditions carry verb, campaign, count and window", "[segment]") {
  auto s = Parse(
      "where opened within 90d and not clicked campaign \"q3-webinar\" at least 2 times within 12w "
      "and converted \"opportunity\" within 180d and sent within 48h");
  const auto& c = s.where->children;
  REQUIRE(c.size() == 4);
  CHECK(c[0]->kind == Kind::kEngagement);
  CHECK(c[0]->engagement.verb == model::EventType::kOpened);
  CHECK(c[0]->engagement.window == std::chrono::hours(24 * 90));
  REQUIRE(c[1]->kind == Kind::kNot);
  const auto& clicked = c[1]->children[0]->engagement;
  CHECK(clicked.verb == model::EventType::kClicked);
  CHECK(clicked.campaign == "q3-webinar");
  CHECK(clicked.at_least == 2);
  CHECK(clicked.window == std::chrono::hours(24 * 7 * 12));
  CHECK(c[2]->engagement.kind == "opportunity");
  CHECK(c[3]->engagement.window == std::chrono::hours(48));
  CHECK(ErrorOf("where opened within 90days").find("x.seg:1:21: error[syntax]: '90days' is not") ==
        0);
  CHECK(ErrorOf("where opened \"x\" within 9d").find("only 'converted' takes a kind") !=
        std::string::npos);
  CHECK(ErrorOf("where opened at least 0 times within 9d").find("error[out-of-range]") !=
        std::string::npos);
  CHECK(ErrorOf("where opened within 0d").find("error[out-of-range]") != std::string::npos);
  CHECK(ErrorOf("where opened within 99999999999d").find("error[out-of-range]") !=
        std::string::npos);
}

TEST_CASE("account quantifiers take one condition or a parenthesised expression", "[segment]") {
  auto s = Parse(
      "where account has at least 2 contacts where contact.role = decision_maker and account has "
      "no contacts where (contact.role = buyer and opened within 30d)");
  REQUIRE(s.where->kind == Kind::kAnd);
  REQUIRE(s.where->children.size() == 2);
  const auto& first = *s.where->children[0];
  CHECK(first.kind == Kind::kAccountHas);
  CHECK(first.quantifier.at_least == 2);
  CHECK_FALSE(first.quantifier.none);
  CHECK(first.children[0]->kind == Kind::kCompare);
  const auto& second = *s.where->children[1];
  CHECK(second.quantifier.none);
  CHECK(second.children[0]->kind == Kind::kAnd);
  CHECK(ErrorOf("where account has 2 contacts where contact.role = buyer")
            .find("expected 'at least <N>' or 'no'") != std::string::npos);
}

TEST_CASE("values: dates, decimals, booleans and escapes on custom attributes", "[segment]") {
  auto s = Parse(
      "where contact.attr.renewal <= 2026-01-31 and contact.attr.score > -2.5 and "
      "account.attr.vip = true and contact.attr.note = \"say \\\"hi\\\" \\\\o/\"");
  const auto& c = s.where->children;
  CHECK(std::get<std::string>(c[0]->values[0]) == "2026-01-31");
  CHECK(std::get<double>(c[1]->values[0]) == -2.5);
  CHECK(std::get<bool>(c[2]->values[0]));
  CHECK(std::get<std::string>(c[3]->values[0]) == "say \"hi\" \\o/");
  CHECK(ErrorOf("where contact.attr.x = \"\\n\"").find("unknown escape") != std::string::npos);
  CHECK(ErrorOf("where account.employees = 99999999999999999999").find("error[type-mismatch]") !=
        std::string::npos);
}

TEST_CASE("segment references resolve through the locator; cycles are named", "[segment]") {
  testing::TempDir dir;
  auto write = [&](const std::string& id, const std::string& text) {
    std::ofstream(dir.path() / (id + ".seg")) << text;
  };
  write("a", "where in segment b");
  write("b", "where contact.role = buyer\nexclude c");
  write("c", "where in segment a");
  write("ok", "where contact.role = buyer cap 1 per account");
  write("broken", "where contact.rol = buyer");
  auto locate = [&](const std::string& id) -> std::optional<std::string> {
    auto p = dir.path() / (id + ".seg");
    if (!std::filesystem::exists(p)) return std::nullopt;
    return p.string();
  };

  auto r = segment::LoadSegmentFile((dir.path() / "a.seg").string());
  segment::ResolveReferences(r, locate);
  CHECK_FALSE(r.segment);
  REQUIRE(r.diagnostics.HasErrors());
  CHECK(r.diagnostics.items()[0].Format() ==
        (dir.path() / "c.seg").string() + ":1:18: error[cycle]: segment cycle: a -> b -> c -> a");

  auto self = ParseSegment("where contact.role = buyer exclude me", "me", "me.seg");
  segment::ResolveReferences(self, locate);
  CHECK(self.diagnostics.items().at(0).message == "segment cycle: me -> me");

  auto fine = ParseSegment("where in segment ok or not in segment ok\nexclude ok", "f", "f.seg");
  CHECK_THROWS_AS(segment::ToFilter(*fine.segment, {}), b2bmail::Error);
  segment::ResolveReferences(fine, locate);
  REQUIRE(fine.segment);
  auto filter = segment::ToFilter(*fine.segment, {});
  REQUIRE(filter.exclude.size() == 1);
  CHECK(filter.exclude[0]->cap);
  CHECK(filter.root->children[0]->selection == filter.exclude[0]);  // loaded once

  auto missing = ParseSegment("where in segment nope", "m", "m.seg");
  segment::ResolveReferences(missing, locate);
  CHECK(missing.diagnostics.items().at(0).Format() ==
        "m.seg:1:18: error[unknown-segment]: no segment 'nope'");
  auto typo = ParseSegment("where contact.role = buyer exclude okk", "m", "m.seg");
  segment::ResolveReferences(typo, locate, {"a", "b", "ok"});
  CHECK(typo.diagnostics.items().at(0).message == "no segment 'okk' (did you mean ok?)");

  auto bad = ParseSegment("where in segment broken", "m", "m.seg");
  segment::ResolveReferences(bad, locate);
  REQUIRE(bad.diagnostics.items().size() == 2);
  CHECK(bad.diagnostics.items()[0].code == "unknown-field");
  CHECK(bad.diagnostics.items()[1].Format().find("m.seg:1:18: error[segment-error]") == 0);
}

TEST_CASE("explain lists each clause's cumulative selection", "[segment]") {
  auto s = Parse(
      "where contact.role = buyer and (account.tier = champion or opened within 9d) # why\n"
      "cap 1 per account sample 50%");
  auto steps = segment::Explain(s, {});
  REQUIRE(steps.size() == 6);
  CHECK(steps[0].label == "all contacts");
  CHECK_FALSE(steps[0].filter.root);
  CHECK(steps[1].label == "where contact.role = buyer");
  CHECK(steps[2].label == "and (account.tier = champion or opened within 9d)");
  CHECK_FALSE(steps[2].filter.mailable_only);
  CHECK(steps[3].kind == segment::ExplainStep::Kind::kMailable);
  CHECK(steps[3].filter.mailable_only);
  CHECK(steps[4].label == "cap 1 per account");
  CHECK_FALSE(steps[4].filter.sample);
  CHECK(steps[5].filter.sample);
  CHECK(steps[5].filter.cap);
}
