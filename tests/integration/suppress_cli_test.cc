// `b2bmail suppress` and the suppression policy end to end (issue 8): the operator's
// list/add/remove, CSV out and in again, another tool's list with a rejects file, and
// soft bounces from a mailbox adding up to a suppression.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "workspace.h"

namespace fs = std::filesystem;
using namespace b2bmail::testing;

namespace {

// The first contact `segment export` lists (after its header row).
std::string FirstSelected(const Workspace& ws, const std::string& segment) {
  auto out = ws.Run("segment export " + segment).output;
  auto start = out.find('\n') + 1;
  return out.substr(start, out.find(',', start) - start);
}

std::string Count(const Workspace& ws) {
  return ws.Run("segment count dach-buying-center --json").output;
}

// A DSN for `rcpt` without our VERP token (matched by address), failed with a full
// mailbox: a soft bounce.
std::string MailboxFullDsn(const std::string& rcpt, const std::string& date) {
  return "From: MAILER-DAEMON@mx.example (Mail Delivery System)\n"
         "To: postmaster@lumetra.example\nDate: " +
         date +
         "\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
         "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"
         "Final-Recipient: rfc822; " +
         rcpt +
         "\nAction: failed\nStatus: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 Over quota\n"
         "--B--\n";
}

}  // namespace

TEST_CASE("suppress add, list, remove, and export then import into another workspace",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  CHECK(Count(ws) == "{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}\n");
  std::string selected = FirstSelected(ws, "dach-buying-center");
  REQUIRE(selected.find('@') != std::string::npos);

  auto add =
      ws.Run("suppress add " + selected + " zed@elsewhere.example --reason 'asked by phone'");
  CHECK(add.exit_code == 0);
  CHECK(add.output == "suppressed " + selected + " permanently\nsuppressed zed@elsewhere.example " +
                          "permanently\n");
  auto soft = ws.Run("suppress add leave@elsewhere.example --days 7");
  CHECK(soft.output == "suppressed leave@elsewhere.example until 2026-11-30T09:00:00Z\n");
  // A permanent one is not shortened.
  auto kept = ws.Run("suppress add zed@elsewhere.example --days 3");
  CHECK(kept.exit_code == 0);
  CHECK(kept.output ==
        "zed@elsewhere.example: already suppressed permanently (asked by phone); left as it "
        "is\n");
  CHECK(Count(ws) == "{\"segment\":\"dach-buying-center\",\"contacts\":17,\"accounts\":10}\n");

  auto bad = ws.Run("suppress add not-an-address", true);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output == "b2bmail: error: 'not-an-address' is not an email address (it has no '@')\n");

  auto list = ws.Run("suppress list --json");
  CHECK(list.exit_code == 0);
  CHECK(list.output.find("{\"email\":\"leave@elsewhere.example\",\"reason\":\"manual\",\"source\":"
                         "\"manual\",\"created_at\":\"2026-11-23T09:00:00Z\",\"expires_at\":"
                         "\"2026-11-30T09:00:00Z\",\"active\":true}\n") != std::string::npos);
  // samples/events.csv has three hard bounces and a complaint: 4 + 3 here.
  CHECK(std::count(list.output.begin(), list.output.end(), '\n') == 7);
  auto text = ws.Run("suppress list").output;
  CHECK(text.find("7 suppressed: 6 permanent, 1 until a date\n") != std::string::npos);

  auto file = ws.dir.File("suppressions.csv");
  auto exported = ws.Run("suppress export " + ShellQuote(file));
  CHECK(exported.output == "wrote 7 suppressions to " + file + "\n");
  auto csv = ReadFile(file);
  CHECK(csv.starts_with("email,reason,created_at,expires_at\n"));
  CHECK(csv.find("\nleave@elsewhere.example,manual,2026-11-23T09:00:00Z,2026-11-30T09:00:00Z\n") !=
        std::string::npos);
  CHECK(csv.find("\nzed@elsewhere.example,asked by phone,2026-11-23T09:00:00Z,\n") !=
        std::string::npos);
  CHECK(ws.Run("suppress export").output == csv);

  // Remove: one suppressed, one not (said, exit 1); the contact is selected again.
  auto removed = ws.Run("suppress remove " + selected + " nobody@elsewhere.example");
  CHECK(removed.exit_code == 1);
  CHECK(removed.output == "removed " + selected +
                              " (asked by phone; permanent)\nnobody@elsewhere.example was not "
                              "suppressed\n");
  CHECK(Count(ws) == "{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}\n");

  // The exported file, imported into a fresh workspace, exports the same.
  Workspace other;
  auto imported = other.Run("suppress import " + ShellQuote(file));
  CHECK(imported.exit_code == 0);
  CHECK(imported.output == file +
                               ": 7 suppressed, 0 replaced a shorter suppression, 0 already "
                               "suppressed as long, 0 rejected\n");
  CHECK(other.Run("suppress export").output == csv);
  CHECK(!fs::exists(file + ".rejects.csv"));
}

TEST_CASE("suppress import reads another tool's list and rejects bad rows to FILE.rejects.csv",
          "[integration]") {
  Workspace ws;
  auto file = ws.dir.Write("from-other-tool.csv",
                           "Email Address,Status,Date Added\n"
                           "anna@kuehne.example,hard bounce,2025-06-01 12:00:00\n"
                           "no-at-sign.example,unsubscribed,2025-06-02\n"
                           "bert@kuehne.example,complaint,yesterday\n"
                           "carl@kuehne.example,,1735689600\n");
  auto r = ws.Run("suppress import " + ShellQuote(file) + " --json");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output == "{\"file\":" + std::string("\"") + file +
                        "\",\"rows\":4,\"added\":2,\"replaced\":0,\"kept\":0,\"rejected\":2,"
                        "\"rejects_file\":\"" +
                        file + ".rejects.csv\"}\n");
  auto rejects = ReadFile(file + ".rejects.csv");
  CHECK(rejects ==
        "Email Address,Status,Date Added,line,reason\n"
        "no-at-sign.example,unsubscribed,2025-06-02,3,line 3: email 'no-at-sign.example' has no "
        "'@'\n"
        "bert@kuehne.example,complaint,yesterday,4,\"line 4: created_at 'yesterday' is not a "
        "time (ISO 8601 like 2026-11-23T09:00:00Z, a date, or unix seconds)\"\n");
  CHECK(ws.Run("suppress export").output ==
        "email,reason,created_at,expires_at\n"
        "anna@kuehne.example,hard bounce,2025-06-01T12:00:00Z,\n"
        "carl@kuehne.example,imported,2025-01-01T00:00:00Z,\n");

  // Every row bad: exit 1. No file: exit 2 with one line.
  auto all_bad = ws.dir.Write("bad.csv", "email\nnope\n");
  CHECK(ws.Run("suppress import " + ShellQuote(all_bad)).exit_code == 1);
  auto missing = ws.Run("suppress import " + ShellQuote(ws.dir.File("missing.csv")), true);
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("b2bmail: error: cannot") == 0);
}

TEST_CASE("three soft bounces for one contact within 30 days suppress it for 30 days (issue 8)",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  std::string selected = FirstSelected(ws, "dach-buying-center");
  fs::create_directories(ws.dir.path() / "bounces" / "new");
  fs::create_directories(ws.dir.path() / "bounces" / "cur");
  ws.dir.Write("bounces/new/1.eml", MailboxFullDsn(selected, "Sun, 01 Nov 2026 10:00:00 +0000"));
  ws.dir.Write("bounces/new/2.eml", MailboxFullDsn(selected, "Sun, 08 Nov 2026 10:00:00 +0000"));
  auto two = ws.Run("bounce ingest " + ShellQuote(ws.dir.File("bounces")) + " --json");
  CHECK(two.output.find("\"soft\":2") != std::string::npos);
  CHECK(ws.Run("suppress list --json").output.find(selected) == std::string::npos);
  CHECK(Count(ws) == "{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}\n");

  ws.dir.Write("bounces/new/3.eml", MailboxFullDsn(selected, "Sun, 15 Nov 2026 10:00:00 +0000"));
  auto third = ws.Run("bounce ingest " + ShellQuote(ws.dir.File("bounces")) + " --json");
  CHECK(third.output.find("\"soft\":1") != std::string::npos);
  auto list = ws.Run("suppress list --json").output;
  CHECK(list.find("{\"email\":\"" + selected +
                  "\",\"reason\":\"soft-bounces: 3 in 30 days (last: mailbox-full)\",\"source\":"
                  "\"bounce\",\"created_at\":\"2026-11-15T10:00:00Z\",\"expires_at\":"
                  "\"2026-12-15T10:00:00Z\",\"active\":true}\n") != std::string::npos);
  CHECK(Count(ws) == "{\"segment\":\"dach-buying-center\",\"contacts\":17,\"accounts\":10}\n");
  // After it expires the contact is selected again (and listed only with --all).
  auto later = ws.Run("--now 2026-12-15T10:00:00Z segment count dach-buying-center --json");
  CHECK(later.output == "{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}\n");
}

TEST_CASE("the [suppression] table is read with file:line:column errors, and its limit applies",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  ws.dir.Write("b2bmail.toml", "[suppression]\nsoft_bounce_limt = 2\n");
  auto typo = ws.Run("segment count dach-buying-center", true);
  CHECK(typo.exit_code == 2);
  CHECK(typo.output.find("b2bmail.toml:2:1: error: unknown key suppression.soft_bounce_limt") !=
        std::string::npos);
  ws.dir.Write("b2bmail.toml", "[suppression]\nsoft_suppression_days = 0\n");
  auto zero = ws.Run("suppress list", true);
  CHECK(zero.exit_code == 2);
  CHECK(zero.output.find("b2bmail.toml:2:25: error: suppression.soft_suppression_days must be a "
                         "whole number from 1 to 3650") != std::string::npos);

  // Two soft bounces within 7 days suppress for 10 days.
  ws.dir.Write("b2bmail.toml",
               "[suppression]\nsoft_bounce_limit = 2\nsoft_bounce_window_days = 7\n"
               "soft_suppression_days = 10\n");
  std::string selected = FirstSelected(ws, "dach-buying-center");
  fs::create_directories(ws.dir.path() / "bounces" / "new");
  fs::create_directories(ws.dir.path() / "bounces" / "cur");
  ws.dir.Write("bounces/new/1.eml", MailboxFullDsn(selected, "Mon, 16 Nov 2026 10:00:00 +0000"));
  ws.dir.Write("bounces/new/2.eml", MailboxFullDsn(selected, "Sun, 22 Nov 2026 10:00:00 +0000"));
  REQUIRE(ws.Run("bounce ingest " + ShellQuote(ws.dir.File("bounces"))).exit_code == 0);
  CHECK(
      ws.Run("suppress list --json")
          .output.find(
              "\"reason\":\"soft-bounces: 2 in 7 days (last: mailbox-full)\",\"source\":\"bounce\","
              "\"created_at\":\"2026-11-22T10:00:00Z\",\"expires_at\":\"2026-12-02T10:00:00Z\"") !=
      std::string::npos);
}
