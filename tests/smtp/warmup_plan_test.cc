#include "b2bmail/smtp/warmup_plan.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/time_format.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::ParseWarmupRamp;
using smtp::WarmupOptions;
using smtp::WarmupPlan;

namespace {
base::TimePoint At(std::string_view iso) {
  auto t = base::ParseIso8601(iso);
  REQUIRE(t.has_value());
  return *t;
}

WarmupPlan Plan(std::string_view start, std::vector<int> caps) {
  return WarmupPlan(WarmupOptions{At(start), std::move(caps)});
}
}  // namespace

TEST_CASE("DefaultWarmupRamp is the 16-day plan of deliverability.md", "[smtp][shaping]") {
  CHECK(smtp::DefaultWarmupRamp() == std::vector<int>{50, 100, 250, 500, 1000, 2500, 5000, 7500,
                                                      10000, 15000, 20000, 30000, 40000, 55000,
                                                      70000, 100000});
  WarmupPlan plan(WarmupOptions{At("2026-03-10T09:00:00Z")});
  CHECK(plan.CapFor(At("2026-03-10T09:00:00Z")) == 50);
  CHECK(plan.CapFor(At("2026-03-25T23:59:59Z")) == 100000);  // day 15
  CHECK(plan.CapFor(At("2026-03-26T00:00:00Z")) == std::nullopt);
}

TEST_CASE("WarmupPlan's days turn at UTC midnight, the first one short", "[smtp][shaping]") {
  WarmupPlan plan = Plan("2026-03-10T18:30:00Z", {50, 100, 200});
  CHECK(plan.DayIndex(At("2026-03-10T18:30:00Z")) == 0);
  CHECK(plan.CapFor(At("2026-03-10T23:59:59Z")) == 50);
  CHECK(plan.CapFor(At("2026-03-11T00:00:00Z")) == 100);
  CHECK(plan.CapFor(At("2026-03-12T23:59:59Z")) == 200);
  CHECK(plan.CapFor(At("2026-03-13T00:00:00Z")) == std::nullopt);
  CHECK(plan.CapFor(At("2027-01-01T00:00:00Z")) == std::nullopt);
  // A zone offset in the input changes nothing: days are UTC days.
  CHECK(plan.CapFor(At("2026-03-11T01:30:00+02:00")) == 50);
}

TEST_CASE("WarmupPlan applies day 0's cap before the start", "[smtp][shaping]") {
  WarmupPlan plan = Plan("2026-03-10T12:00:00Z", {50, 100});
  CHECK(plan.DayIndex(At("2026-03-08T12:00:00Z")) == -2);
  CHECK(plan.CapFor(At("2026-03-08T12:00:00Z")) == 50);
}

TEST_CASE("WarmupPlan's remaining volume carries over to the next UTC midnight",
          "[smtp][shaping]") {
  WarmupPlan plan = Plan("2026-03-10T08:00:00Z", {50, 100});
  const auto evening = At("2026-03-10T23:59:59Z");
  CHECK(plan.Remaining(evening, 0) == 50);
  CHECK(plan.Remaining(evening, 30) == 20);
  CHECK(plan.Remaining(evening, 50) == 0);
  CHECK(plan.Remaining(evening, 70) == 0);  // overshoot never goes negative
  CHECK(plan.Remaining(evening, -5) == 50);

  const auto midnight = At("2026-03-11T00:00:00Z");
  CHECK(plan.NextDayStart(evening) == midnight);
  CHECK(plan.NextDayStart(midnight) == At("2026-03-12T00:00:00Z"));
  CHECK(plan.Remaining(plan.NextDayStart(evening), 0) == 100);
  CHECK(plan.Remaining(At("2026-03-12T00:00:00Z"), 1'000'000) == WarmupPlan::kUnlimited);
}

TEST_CASE("WarmupPlan without caps is unlimited; negative caps count as zero", "[smtp][shaping]") {
  CHECK(Plan("2026-03-10T08:00:00Z", {}).Remaining(At("2026-03-10T09:00:00Z"), 0) ==
        WarmupPlan::kUnlimited);
  CHECK(Plan("2026-03-10T08:00:00Z", {-3, 10}).CapFor(At("2026-03-10T09:00:00Z")) == 0);
}

TEST_CASE("ParseWarmupRamp reads a comma list with whitespace and line breaks", "[smtp][shaping]") {
  auto parsed = ParseWarmupRamp(" 50, 100,250 ,\n  500\n");
  CHECK(parsed.diagnostics.empty());
  CHECK(parsed.daily_caps == std::vector<int>{50, 100, 250, 500});
  CHECK(ParseWarmupRamp("0").daily_caps == std::vector<int>{0});
}

TEST_CASE("ParseWarmupRamp reports each bad entry where it is and returns no ramp",
          "[smtp][shaping]") {
  struct Case {
    std::string text;
    std::string code;
    int line, column;
  };
  auto c = GENERATE(Case{"", "empty-ramp", 1, 1}, Case{" \n ", "empty-ramp", 1, 1},
                    Case{"50,,100", "empty-entry", 1, 4}, Case{"50, 100,", "empty-entry", 1, 9},
                    Case{"50, 1OO", "not-a-number", 1, 5}, Case{"50,\n  1.5", "not-a-number", 2, 3},
                    Case{"50, 2k", "not-a-number", 1, 5}, Case{"50, -100", "negative-cap", 1, 5},
                    Case{"50, 99999999999", "cap-too-large", 1, 5},
                    Case{"«50», 100", "not-a-number", 1, 1});
  INFO(c.text);
  auto parsed = ParseWarmupRamp(c.text, "ramp.txt");
  CHECK(parsed.daily_caps.empty());
  REQUIRE(parsed.diagnostics.items().size() == 1);
  const auto& d = parsed.diagnostics.items()[0];
  CHECK(d.severity == base::Severity::kError);
  CHECK(d.code == c.code);
  CHECK(d.file == "ramp.txt");
  CHECK(d.position.line == c.line);
  CHECK(d.position.column == c.column);
}

TEST_CASE("ParseWarmupRamp reports every bad entry, not just the first", "[smtp][shaping]") {
  auto parsed = ParseWarmupRamp("x, 100, -1, ");
  REQUIRE(parsed.diagnostics.items().size() == 3);
  CHECK(parsed.diagnostics.items()[0].code == "not-a-number");
  CHECK(parsed.diagnostics.items()[1].code == "negative-cap");
  CHECK(parsed.diagnostics.items()[2].code == "empty-entry");
  CHECK(parsed.diagnostics.items()[2].message.find("daily cap 4") != std::string::npos);
}

TEST_CASE("ParseWarmupRamp counts columns in code points", "[smtp][shaping]") {
  auto parsed = ParseWarmupRamp("«5», x");  // « and » take two bytes each
  REQUIRE(parsed.diagnostics.items().size() == 2);
  CHECK(parsed.diagnostics.items()[1].position.column == 6);
}

TEST_CASE("ParseWarmupRamp warns about a ramp that goes down but keeps it", "[smtp][shaping]") {
  auto parsed = ParseWarmupRamp("50, 100, 80, 200");
  CHECK(parsed.daily_caps == std::vector<int>{50, 100, 80, 200});
  REQUIRE(parsed.diagnostics.items().size() == 1);
  CHECK(parsed.diagnostics.items()[0].severity == base::Severity::kWarning);
  CHECK(parsed.diagnostics.items()[0].code == "ramp-decreases");
  CHECK(parsed.diagnostics.items()[0].position.column == 10);
  CHECK_FALSE(parsed.diagnostics.HasErrors());
}
