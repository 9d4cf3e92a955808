// `b2bmail report deliverability` end to end (issue 8, account health): the samples'
// history plus a campaign deferred by an unreachable relay, read back as text and JSON.
#include <algorithm>
#include <catch2/catch.hpp>

#include "support/run_command.h"
#include "workspace.h"

using namespace b2bmail::testing;

namespace {

// Parses the report's JSON with Python and prints one line per row:
// "<domain|account> <status> <provider|-> <messages> <deferred> <complaints> <buckets>",
// after checking that every row has every field.
constexpr const char* kSummarize = R"(
import json, sys
d = json.load(sys.stdin)
fields = ["provider", "status", "reason", "messages", "accepted", "deferred", "failed",
          "hard_bounces", "soft_bounces", "blocks", "complaints", "rates",
          "blocked_contacts", "last_block"]
for key in ("domains", "accounts"):
    for r in d[key]:
        missing = [f for f in fields if f not in r]
        assert not missing, (r, missing)
        name = r.get("domain") or r.get("account")
        print(name, r["status"], r["provider"] or "-", r["messages"], r["deferred"],
              r["complaints"], len(r.get("series", [])))
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos;
       start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE(
    "report deliverability lists the domains and accounts that need attention, as text and as "
    "JSON that parses",
    "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  // Port 1 on loopback: nothing listens, every message of the campaign is deferred.
  ws.dir.Write("b2bmail.toml", "[smtp]\nrelay = \"127.0.0.1:1\"\n");
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);

  auto json = ws.Run("report deliverability --json --bucket day", true);
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  auto summary = RunCommand("printf '%s' " + ShellQuote(json.output) + " | /usr/bin/python3 -c " +
                            ShellQuote(kSummarize) + " 2>&1");
  INFO(summary.output);
  REQUIRE(summary.exit_code == 0);
  auto rows = Lines(summary.output);
  // 3 of the campaign's 7 messages to Bergmann wait (the other 4 are the samples' history
  // of campaigns sent elsewhere), all through the relay, on the day of --now.
  CHECK(Contains(rows, "bergmann-antriebe.de deferred relay 7 3 0 2"));
  CHECK(Contains(rows, "acc-bergmann deferred relay 7 3 0 2"));
  // The samples' complaint (2026-11-03, a campaign sent elsewhere): no provider known.
  CHECK(Contains(rows, "limmat-finanz.ch complaining - 1 0 1 1"));
  for (const auto& row : rows) CHECK(row.find(" ok ") == std::string::npos);  // flagged only

  // Text: the same rows, aligned, with the reason; --all adds the healthy ones.
  auto text = ws.Run("report deliverability");
  REQUIRE(text.exit_code == 0);
  CHECK(text.output.find("acc-limmat      complaining -") != std::string::npos);
  CHECK(text.output.find("why: 43% of 7 messages waiting after temporary refusals") !=
        std::string::npos);
  CHECK(text.output.find(" ok ") == std::string::npos);
  auto all = ws.Run("report deliverability --all --by account");
  REQUIRE(all.exit_code == 0);
  CHECK(all.output.find(" ok ") != std::string::npos);
  CHECK(all.output.find("domains:") == std::string::npos);

  // A window before the campaign holds only the samples' history.
  auto before = ws.Run("report deliverability --json --since 2026-10-01 --days 7 --all");
  REQUIRE(before.exit_code == 0);
  CHECK(before.output.find("\"provider\":\"relay\"") == std::string::npos);
  CHECK(before.output.find("\"until\":\"2026-10-08T00:00:00Z\"") != std::string::npos);

  for (const char* bad : {"report deliverability --bucket month", "report deliverability --days 0",
                          "report deliverability --bounce-rate 120", "report nothing"}) {
    INFO(bad);
    CHECK(ws.Run(bad).exit_code == 2);
  }
  CHECK(ws.Run("report --help").output.find("usage") != std::string::npos);
}
