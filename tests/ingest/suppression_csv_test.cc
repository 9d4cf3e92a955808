// Suppression lists in and out as CSV (issue 8): b2bmail's own export round trips, other
// tools' exports import, bad rows go to the rejects file.
#include "b2bmail/ingest/suppression_csv.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::ingest;
using b2bmail::testing::ReadFile;
using b2bmail::testing::TempDir;

namespace {

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }
const base::TimePoint kNow = At("2026-11-23T09:00:00Z");

struct Fixture {
  TempDir dir;
  std::unique_ptr<store::Database> db = store::OpenSqlite(dir.File("b.db"));

  ImportReport Import(const std::string& name, const std::string& text) {
    return ImportSuppressions(*db, dir.Write(name, text), {kNow, ""});
  }
  // Every suppression as export writes it.
  std::string Export() {
    std::ostringstream out;
    WriteSuppressionCsv(out, db->ListSuppressions(std::nullopt));
    return out.str();
  }
};

store::Suppression Row(std::string email, std::string reason, const char* created,
                       const char* expires = nullptr) {
  store::Suppression s;
  s.email = std::move(email);
  s.reason = std::move(reason);
  s.created_at = At(created);
  if (expires) s.expires_at = At(expires);
  return s;
}

}  // namespace

TEST_CASE("export writes email,reason,created_at,expires_at and import reads it back unchanged",
          "[ingest]") {
  Fixture a;
  std::vector<store::Suppression> rows{
      Row("ada@kuehne.example", "hard-bounce: bad-mailbox", "2026-10-01T10:00:00Z"),
      Row("bo@kuehne.example", "soft-bounces: 3 in 30 days (last: mailbox-full)",
          "2026-11-20T08:00:00Z", "2026-12-20T08:00:00Z"),
      Row("cy@kuehne.example", "said \"stop\", by phone", "2026-11-01T00:00:00Z"),
  };
  a.db->AddSuppressions(rows);
  std::string exported = a.Export();
  CHECK(exported ==
        "email,reason,created_at,expires_at\n"
        "ada@kuehne.example,hard-bounce: bad-mailbox,2026-10-01T10:00:00Z,\n"
        "bo@kuehne.example,soft-bounces: 3 in 30 days (last: mailbox-full),"
        "2026-11-20T08:00:00Z,2026-12-20T08:00:00Z\n"
        "cy@kuehne.example,\"said \"\"stop\"\", by phone\",2026-11-01T00:00:00Z,\n");

  Fixture b;
  auto report = b.Import("list.csv", exported);
  CHECK(report.diagnostics.empty());
  CHECK(report.rows == 3);
  CHECK(report.inserted == 3);
  CHECK(report.rejected == 0);
  CHECK(b.Export() == exported);
  for (const auto& s : b.db->ListSuppressions(std::nullopt))
    CHECK(s.source == store::SuppressionSource::kImport);
  // Again: everything is there already.
  auto again = b.Import("list.csv", exported);
  CHECK(again.unchanged == 3);
  CHECK(again.inserted + again.updated == 0);
  CHECK(b.Export() == exported);
}

TEST_CASE("other tools' exports import: named columns, bare lists, unix times", "[ingest]") {
  Fixture f;
  // A mailing tool's export: an "Email Address" column among others.
  auto named = f.Import("mc.csv",
                        "First Name,Email Address,Reason,Date Added\n"
                        "Ada,Ada@Kuehne.EXAMPLE,unsubscribed,2025-03-04 10:20:30\n"
                        "Bo,bo@kuehne.example,,\n");
  CHECK(named.diagnostics.empty());
  CHECK(named.inserted == 2);
  // A service's export with unix seconds and an expiry.
  auto unix_times = f.Import("sg.csv",
                             "email,created,expires\n"
                             "cy@kuehne.example,1700000000,2027-01-01\n");
  CHECK(unix_times.inserted == 1);
  // A bare list of addresses: no header at all.
  auto bare = f.Import("bare.csv", "dee@kuehne.example\r\neve@kuehne.example\r\n");
  CHECK(bare.diagnostics.empty());
  CHECK(bare.inserted == 2);
  CHECK(f.Export() ==
        "email,reason,created_at,expires_at\n"
        "Ada@kuehne.example,unsubscribed,2025-03-04T10:20:30Z,\n"
        "bo@kuehne.example,imported,2026-11-23T09:00:00Z,\n"
        "cy@kuehne.example,imported,2023-11-14T22:13:20Z,2027-01-01T00:00:00Z\n"
        "dee@kuehne.example,imported,2026-11-23T09:00:00Z,\n"
        "eve@kuehne.example,imported,2026-11-23T09:00:00Z,\n");

  // A header that names no address column: the first column, with a warning.
  Fixture g;
  auto unnamed = g.Import("unnamed.csv", "Kontakt,Notiz\nfay@kuehne.example,x\n");
  REQUIRE(unnamed.diagnostics.items().size() == 1);
  CHECK(!unnamed.diagnostics.HasErrors());
  CHECK(unnamed.diagnostics.items()[0].Format().find("unnamed.csv:1:1: warning[no-email-column]") !=
        std::string::npos);
  CHECK(unnamed.inserted == 1);
  CHECK(g.db->ListSuppressions(std::nullopt).at(0).email == "fay@kuehne.example");
}

TEST_CASE("bad addresses, times and rows go to the rejects file with their line and reason",
          "[ingest]") {
  Fixture f;
  auto path = f.dir.Write("foreign.csv",
                          "Email,Reason,Expires\n"
                          "good@kuehne.example,left,\n"
                          "not-an-address,x,\n"
                          "bad@kuehne.example,x,next tuesday\n"
                          "short@kuehne.example\n"
                          ",,\n"
                          "\"broken@kuehne.example,x,\n"
                          "also.good@kuehne.example,,2027-01-01T00:00:00Z\n");
  auto report = ImportSuppressions(*f.db, path, {kNow, ""});
  CHECK(report.diagnostics.empty());
  CHECK(report.rows == 6);
  CHECK(report.inserted == 2);
  CHECK(report.rejected == 4);
  CHECK(report.rejects_path == path + ".rejects.csv");
  auto rejects = ReadFile(report.rejects_path);
  INFO(rejects);
  CHECK(rejects.starts_with("Email,Reason,Expires,line,reason\n"));
  CHECK(rejects.find("not-an-address,x,,3,line 3: email 'not-an-address'") != std::string::npos);
  CHECK(rejects.find(",4,\"line 4: expires_at 'next tuesday' is not a time") != std::string::npos);
  CHECK(rejects.find(",5,line 5: 1 field but the header has 3") != std::string::npos);
  CHECK(rejects.find(",7,line 7: malformed CSV") != std::string::npos);
  CHECK(f.db->ListSuppressions(std::nullopt).size() == 2);

  // Fixed and imported again, the stale rejects file goes away.
  f.dir.Write("foreign.csv", "Email\ngood@kuehne.example\n");
  auto fixed = ImportSuppressions(*f.db, path, {kNow, ""});
  CHECK(fixed.rejected == 0);
  CHECK(!std::filesystem::exists(path + ".rejects.csv"));
}

TEST_CASE("an empty, UTF-16 or malformed first row is refused and nothing is imported",
          "[ingest]") {
  Fixture f;
  auto empty = f.Import("empty.csv", "");
  CHECK(empty.diagnostics.HasErrors());
  auto utf16 = f.Import("utf16.csv", std::string("\xFF\xFE"
                                                 "e\0m\0",
                                                 6));
  CHECK(utf16.diagnostics.HasErrors());
  auto malformed = f.Import("bad.csv", "em\"ail\nada@kuehne.example\n");
  CHECK(malformed.diagnostics.HasErrors());
  CHECK(f.db->ListSuppressions(std::nullopt).empty());
  CHECK_THROWS(ImportSuppressions(*f.db, f.dir.File("missing.csv"), {kNow, ""}));
}
