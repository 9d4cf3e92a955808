#include "b2bmail/ingest/importer.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/ingest/csv_reader.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::ingest;
using b2bmail::testing::ReadFile;
using b2bmail::testing::TempDir;
using namespace std::string_literals;

namespace {

std::string Data(const std::string& name) { return std::string(B2BMAIL_TEST_DATA) + "/" + name; }

// A store in a fresh directory; data files are copied there so rejects files never
// land in the source tree.
struct Fixture {
  TempDir dir;
  std::string db_path = dir.File("b2bmail.db");
  std::unique_ptr<store::Database> db = store::OpenSqlite(db_path);

  std::string Copy(const std::string& data_name) {
    return dir.Write(data_name, ReadFile(Data(data_name)));
  }
  ImportReport Import(ImportKind kind, const std::string& path, ImportOptions options = {}) {
    return ImportFile(*db, kind, path, options);
  }
  // One value from the store file, for checks the Database port has no query for.
  std::string Sql(const std::string& query) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, query.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return out;
  }
};

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  CsvReader reader(path);
  CsvRecord r;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(r)) {
    INFO("rejects file record at line " << r.line << ": " << r.error);
    CHECK(r.error.empty());
    rows.emplace_back(r.fields.begin(), r.fields.begin() + r.size);
  }
  return rows;
}

// The `reason` column of each rejected row, in order.
std::vector<std::string> Reasons(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i].back());
  return out;
}

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }

}  // namespace

TEST_CASE("accounts: BOM, CRLF, any column order, custom attributes, normalised values",
          "[ingest]") {
  Fixture f;
  auto path = f.Copy("accounts.csv");
  auto r = f.Import(ImportKind::kAccounts, path);
  CHECK(r.diagnostics.empty());
  CHECK(r.rows == 10);  // the `,,,,` row is skipped like a blank line
  CHECK(r.inserted == 3);
  CHECK(r.rejected == 7);
  CHECK(r.rejects_path == path + ".rejects.csv");

  CHECK(f.Sql("SELECT name FROM accounts WHERE id='acc-sonnfeld'") ==
        "Sonnfeld Chemie AG, Werk Süd");
  CHECK(f.Sql("SELECT country || ' ' || timezone || ' ' || employees FROM accounts "
              "WHERE id='acc-bergmann'") == "DE Europe/Berlin 860");
  CHECK(f.Sql("SELECT coalesce(tier, 'unknown') || ' ' || stage FROM accounts "
              "WHERE id='acc-bergmann'") == "unknown consideration");
  CHECK(f.Sql("SELECT attrs FROM accounts WHERE id='acc-bergmann'") ==
        R"({"relationship_owner":"Katrin Vogel"})");
  auto directory = f.db->LoadAccountDirectory();
  CHECK(directory.account_by_domain.at("bergmann-antriebe.de") == "acc-bergmann");
  CHECK(directory.account_by_domain.at("sonnfeld.com") == "acc-sonnfeld");

  auto rows = ReadCsv(r.rejects_path);
  REQUIRE(rows.size() == 8);
  CHECK(rows[0] == std::vector<std::string>{"Name ", " ID", "domains", "Employees", "country",
                                            "timezone", "stage", "tier", "buying_step",
                                            "purchase_type", "industry", "Relationship_Owner",
                                            "line", "reason"});
  CHECK(rows[1][1] == "acc-clash");
  CHECK(rows[1][12] == "5");
  CHECK(Reasons(rows) ==
        std::vector<std::string>{
            "line 5: domains 'bergmann-antriebe.de' already belongs to account 'acc-bergmann'",
            "line 6: country 'XX' is not an assigned ISO 3166-1 alpha-2 country code",
            "line 7: timezone '../../etc/passwd' is not an IANA time zone name (e.g. "
            "Europe/Berlin)",
            "line 8: employees '-3' is not a whole number >= 0 (digits only, e.g. 1200)",
            "line 9: stage 'lead' is not one of awareness, consideration, decision, retention, "
            "advocacy; tier 'gold' is not one of one_off, repeat, advocate, champion, "
            "strategic_champion",
            "line 11: id is required",
            "line 12: domains 'https://bad.example' has 'https://bad.example', which is not a "
            "domain name (':' is not allowed)",
        });
}

TEST_CASE("contacts: good rows imported, every bad row in the rejects file with line and reason",
          "[ingest]") {
  Fixture f;
  f.Import(ImportKind::kAccounts, f.Copy("accounts.csv"));
  auto path = f.Copy("contacts_mixed.csv");
  auto r = f.Import(ImportKind::kContacts, path);
  CHECK(r.diagnostics.empty());
  CHECK(r.rows == 11);
  CHECK(r.inserted == 5);
  CHECK(r.updated == 0);
  CHECK(r.rejected == 6);

  auto rows = ReadCsv(r.rejects_path);
  REQUIRE(rows.size() == 7);
  CHECK(rows[0].size() == 16);
  CHECK(rows[0][14] == "line");
  CHECK(rows[0][15] == "reason");
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].size() == 16);
  std::vector<std::string> lines;
  for (std::size_t i = 1; i < rows.size(); ++i) lines.push_back(rows[i][14]);
  CHECK(lines == std::vector<std::string>{"4", "5", "6", "8", "9", "14"});
  auto reasons = Reasons(rows);
  CHECK(reasons[0] == "line 4: email 'not-an-email' has no '@'");
  CHECK(reasons[1] ==
        "line 5: seniority 'cxo' is not one of c_level, vp, director, manager, senior, entry");
  CHECK(reasons[2] ==
        "line 6: account_id 'acc-nowhere' names no account (import the accounts "
        "first)");
  CHECK_THAT(reasons[3], Catch::StartsWith("line 8: malformed CSV in column 4 (title): "
                                           "unexpected '\"' inside an unquoted field"));
  CHECK_THAT(reasons[3], Catch::EndsWith("; the raw line is in the first column"));
  CHECK(reasons[4] ==
        "line 9: 3 fields but the header has 14; the raw line is in the first column");
  CHECK(reasons[5] ==
        "line 14: role 'chief' is not one of decision_maker, buyer, prescriber, influencer, "
        "user, gatekeeper; language 'de_DE' is not a BCP 47 language tag (subtags are "
        "separated by '-', e.g. de-DE); country 'UK' is not an assigned ISO 3166-1 alpha-2 "
        "country code (the United Kingdom is GB); timezone 'Europe/Atlantis' is not an IANA "
        "time zone name (e.g. Europe/Berlin); consent 'maybe' is not one of opt_in, "
        "legitimate_interest, none; unsubscribed 'sometimes' is not one of true, false, 1, 0, "
        "yes, no");
  // Valid CSV keeps its fields; malformed rows keep their raw text, byte for byte.
  CHECK(rows[2][3] == "Projektleiter \"Smart Factory\"");
  CHECK(rows[4][0] ==
        "tobias.koch@bergmann-antriebe.de,Tobias,Koch,Schicht\"leiter,acc-bergmann,user,"
        "manager,production,de,DE,Europe/Berlin,legitimate_interest,false,email");
  CHECK(rows[4][1].empty());
  CHECK(rows[5][0] == "short.row@bergmann-antriebe.de,Short,Row");

  auto matthias = f.db->FindContact("Matthias.Oeztuerk@bergmann-antriebe.de");
  REQUIRE(matthias);
  CHECK(matthias->account_id == "acc-bergmann");
  CHECK(matthias->seniority == model::Seniority::kCLevel);
  CHECK(matthias->consent == model::Consent::kLegitimateInterest);
  CHECK(matthias->attrs == model::Attributes{{"preferred_channel", ""}});

  auto petra = f.db->FindContact("petra.weber@bergmann-antriebe.de");
  REQUIRE(petra);
  CHECK(petra->account_id == "acc-bergmann");  // filled from the e-mail's domain
  CHECK(petra->language == "de-DE");
  CHECK(petra->attrs == model::Attributes{{"preferred_channel", "email"}});

  auto anh = f.db->FindContact("anh.pham@haivanlogistics.com.vn");
  REQUIRE(anh);
  CHECK(anh->title == "Giám đốc\nMua hàng");
  CHECK(anh->account_id == "acc-haivan");

  auto sara = f.db->FindContact("sara.lind@sales.sonnfeld.com");
  REQUIRE(sara);
  CHECK(sara->account_id == "acc-sonnfeld");      // a parent domain's account
  CHECK(sara->consent == model::Consent::kNone);  // empty on a new contact
  CHECK(sara->unsubscribed);
  CHECK(!sara->seniority);

  auto nobody = f.db->FindContact("nobody@unknown-company.example");
  REQUIRE(nobody);
  CHECK(nobody->account_id.empty());
  CHECK(!f.db->FindContact("lena.sommer@sonnfeld-chemie.de"));
}

TEST_CASE("re-importing the same files is idempotent", "[ingest]") {
  Fixture f;
  auto accounts = f.Copy("accounts.csv");
  auto contacts = f.Copy("contacts_mixed.csv");
  auto events = f.Copy("events.csv");
  f.Import(ImportKind::kAccounts, accounts);
  f.Import(ImportKind::kContacts, contacts);
  f.Import(ImportKind::kEvents, events);
  auto dump = [&] {
    return f.Sql(
               "SELECT group_concat(x, '|') FROM (SELECT id || name || domains || employees || "
               "country || attrs AS x FROM accounts JOIN (SELECT account_id, "
               "group_concat(domain) AS domains FROM account_domains GROUP BY account_id) d "
               "ON d.account_id = accounts.id ORDER BY id)") +
           f.Sql(
               "SELECT group_concat(x, '|') FROM (SELECT id || email || coalesce(account_id, "
               "'-') || consent || unsubscribed || attrs || title AS x FROM contacts ORDER BY "
               "id)") +
           f.Sql("SELECT count(*) || ' ' || sum(bot) FROM events") +
           f.Sql("SELECT group_concat(email || reason) FROM suppressions");
  };
  auto before = dump();

  auto a = f.Import(ImportKind::kAccounts, accounts);
  CHECK(a.inserted == 0);
  CHECK(a.updated + a.unchanged == 3);
  CHECK(a.rejected == 7);
  auto c = f.Import(ImportKind::kContacts, contacts);
  CHECK(c.inserted == 0);
  CHECK(c.updated + c.unchanged == 5);
  CHECK(c.rejected == 6);
  auto e = f.Import(ImportKind::kEvents, events);
  CHECK(e.inserted == 0);
  CHECK(e.unchanged == 6);
  CHECK(dump() == before);
}

TEST_CASE("events: validated per type, applied with their side effects", "[ingest]") {
  Fixture f;
  f.Import(ImportKind::kAccounts, f.Copy("accounts.csv"));
  f.Import(ImportKind::kContacts, f.Copy("contacts_mixed.csv"));
  auto r = f.Import(ImportKind::kEvents, f.Copy("events.csv"));
  CHECK(r.diagnostics.empty());
  CHECK(r.rows == 11);
  CHECK(r.inserted == 6);
  CHECK(r.rejected == 5);

  auto rows = ReadCsv(r.rejects_path);
  REQUIRE(rows.size() == 6);
  auto reasons = Reasons(rows);
  CHECK(reasons[0] ==
        "line 7: email 'ghost@unknown-company.example' is not a known contact "
        "(import contacts first)");
  CHECK(reasons[1] == "line 9: detail is required for bounced events (one of hard, soft)");
  CHECK(reasons[2] ==
        "line 10: 8 fields but the header has 7; the raw line is in the first column");
  CHECK(reasons[3] ==
        "line 11: at 'yesterday' is not an ISO 8601 date-time (e.g. "
        "2026-01-31T14:05:09Z); bot '2' is not one of true, false, 1, 0, yes, no; "
        "detail 'nice' is not allowed for opened events (only bounced, converted "
        "and clicked carry a detail)");
  CHECK_THAT(reasons[4], Catch::StartsWith("line 12: type 'viewed' is not one of sent, "));

  CHECK(f.Sql("SELECT bot || ' ' || detail FROM events WHERE type = 'clicked'") ==
        "1 https://lumetra.example/a?utm_source=b2bmail");
  CHECK(f.Sql("SELECT at FROM events WHERE type = 'clicked'") ==
        std::to_string(At("2026-07-28T07:00:00Z").time_since_epoch().count()));
  CHECK(f.Sql("SELECT detail || ' ' || value FROM events WHERE type = 'converted'") ==
        "deal 27950.0");
  CHECK(f.Sql("SELECT detail FROM events WHERE type = 'bounced'") == "hard");
  // Side effects: unsubscribe, and suppression on complaint and hard bounce.
  CHECK(f.db->FindContact("sara.lind@sales.sonnfeld.com")->unsubscribed);
  CHECK(f.Sql("SELECT group_concat(email || ':' || reason, ' ') FROM (SELECT * FROM "
              "suppressions ORDER BY email)") ==
        "anh.pham@haivanlogistics.com.vn:complaint petra.weber@bergmann-antriebe.de:hard-bounce");
}

TEST_CASE("only the columns of the file overwrite stored values", "[ingest]") {
  Fixture f;
  f.Import(ImportKind::kAccounts, f.Copy("accounts.csv"));
  f.Import(ImportKind::kContacts, f.Copy("contacts_mixed.csv"));
  auto path = f.dir.Write("titles.csv",
                          "EMAIL,Title,consent,Score\n"
                          "matthias.oeztuerk@bergmann-antriebe.de,CEO,,7\n"
                          "nobody@unknown-company.example,Buyer,opt_in,\n"
                          "new.person@sonnfeld-chemie.de,Chemist,,\n");
  auto r = f.Import(ImportKind::kContacts, path);
  CHECK(r.rejected == 0);
  CHECK(r.updated == 2);
  CHECK(r.inserted == 1);
  auto m = f.db->FindContact("matthias.oeztuerk@bergmann-antriebe.de");
  CHECK(m->title == "CEO");
  CHECK(m->first_name == "Matthias");
  CHECK(m->seniority == model::Seniority::kCLevel);
  CHECK(m->consent == model::Consent::kLegitimateInterest);  // empty consent: kept
  CHECK(m->account_id == "acc-bergmann");
  CHECK(m->attrs == model::Attributes{{"preferred_channel", ""}, {"score", "7"}});
  auto n = f.db->FindContact("nobody@unknown-company.example");
  CHECK(n->consent == model::Consent::kOptIn);
  CHECK(n->account_id.empty());  // no account_id column and no domain match: untouched
  auto p = f.db->FindContact("new.person@sonnfeld-chemie.de");
  CHECK(p->account_id == "acc-sonnfeld");  // filled from the domain without the column
  CHECK(p->consent == model::Consent::kNone);
}

TEST_CASE("an e-mail twice in one batch with different columns keeps file order", "[ingest]") {
  Fixture f;
  auto path = f.dir.Write("twice.csv",
                          "email,consent,title\n"
                          "a@one.example,opt_in,first\n"
                          "b@one.example,,b\n"
                          "A@one.example,,second\n"
                          "a@one.example,none,third\n");
  auto r = f.Import(ImportKind::kContacts, path);
  CHECK(r.inserted == 2);
  CHECK(r.updated == 2);
  auto a = f.db->FindContact("a@one.example");
  CHECK(a->title == "third");
  CHECK(a->consent == model::Consent::kNone);
}

TEST_CASE("a run without rejects removes the rejects file of an earlier run", "[ingest]") {
  Fixture f;
  auto path = f.dir.Write("c.csv", "email\nnot-an-email\nok@one.example\n");
  auto first = f.Import(ImportKind::kContacts, path);
  CHECK(first.rejected == 1);
  CHECK(std::filesystem::exists(path + ".rejects.csv"));
  f.dir.Write("c.csv", "email\nok@one.example\n");
  auto second = f.Import(ImportKind::kContacts, path);
  CHECK(second.rejected == 0);
  CHECK(second.rejects_path.empty());
  CHECK(!std::filesystem::exists(path + ".rejects.csv"));
}

TEST_CASE("the rejects path can be chosen and keeps malformed bytes as they were", "[ingest]") {
  Fixture f;
  std::string bad_utf8 = "x@one.example,Ren\xE9\n";
  std::string nul = "y@one.example,a\0b\n"s;
  auto path = f.dir.Write("c.csv", "email,first_name\n" + bad_utf8 + nul);
  ImportOptions options;
  options.rejects_path = f.dir.File("no-such-dir/mine.csv");
  CHECK_THROWS_AS(f.Import(ImportKind::kContacts, path, options), Error);
  options.rejects_path = f.dir.File("mine.csv");
  auto r = f.Import(ImportKind::kContacts, path, options);
  CHECK(r.rejected == 2);
  CHECK(r.rejects_path == options.rejects_path);
  std::string text = ReadFile(f.dir.File("mine.csv"));
  CHECK(text.find("\"x@one.example,Ren\xE9\",,2,line 2: malformed CSV in column 2 "
                  "(first_name): invalid UTF-8; the raw line is in the first column\n") !=
        std::string::npos);
  CHECK(text.find("\"y@one.example,a\0b\",,3,"s) != std::string::npos);
}

TEST_CASE("an unusable header imports nothing and is reported as diagnostics", "[ingest]") {
  Fixture f;
  struct Case {
    ImportKind kind;
    std::string text, code;
    int column;
    std::string message;
  };
  std::vector<Case> cases{
      {ImportKind::kContacts, "", "empty-file", 0, "the file is empty"},
      {ImportKind::kContacts, "\n\n", "empty-file", 0, "the file is empty"},
      {ImportKind::kContacts, "e-mail,name\nx@one.example,X\n", "missing-column", 0,
       "the header has no 'email' column, which contacts files need (column 1 is 'e-mail')"},
      {ImportKind::kAccounts, "name\nX\n", "missing-column", 0, "no 'id' column"},
      {ImportKind::kEvents, "email,type\nx@one.example,sent\n", "missing-column", 0,
       "no 'at' column"},
      {ImportKind::kContacts, "email,Title,TITLE \nx@one.example,a,b\n", "duplicate-column", 3,
       "column 'title' appears twice (columns 2 and 3)"},
      {ImportKind::kContacts, "email,,title\nx@one.example,,a\n", "empty-column-name", 2,
       "column 2 of the header has no name"},
      {ImportKind::kContacts, "email,\"title\nx@one.example,a\n", "malformed-header", 2,
       "quoted field is not closed"},
      {ImportKind::kContacts,
       "\xFF\xFE"
       "e\0m\0"s,
       "not-utf8", 0, "UTF-16"},
  };
  for (const auto& c : cases) {
    INFO(c.code << ": " << c.text);
    auto path = f.dir.Write("h.csv", c.text);
    f.dir.Write("h.csv.rejects.csv", "stale");
    auto r = f.Import(c.kind, path);
    REQUIRE(r.diagnostics.HasErrors());
    const auto& d = r.diagnostics.items().front();
    CHECK(d.code == c.code);
    CHECK(d.file == path);
    CHECK(d.position.line == 1);
    CHECK(d.position.column == c.column);
    CHECK_THAT(d.message, Catch::Contains(c.message));
    CHECK(r.rows == 0);
    CHECK(!std::filesystem::exists(path + ".rejects.csv"));
  }
  CHECK(!f.db->FindContact("x@one.example"));
}

TEST_CASE("unknown columns of an events file are ignored with a warning", "[ingest]") {
  Fixture f;
  f.dir.Write("c.csv", "email\nx@one.example\n");
  f.Import(ImportKind::kContacts, f.dir.File("c.csv"));
  auto r = f.Import(ImportKind::kEvents,
                    f.dir.Write("e.csv",
                                "email,type,at,source\nx@one.example,sent,2026-01-01,"
                                "crm\n"));
  REQUIRE(r.diagnostics.items().size() == 1);
  CHECK(r.diagnostics.items()[0].severity == base::Severity::kWarning);
  CHECK(r.diagnostics.items()[0].position.column == 4);
  CHECK(r.inserted == 1);
}

TEST_CASE("a file that cannot be read throws an I/O error", "[ingest]") {
  Fixture f;
  try {
    f.Import(ImportKind::kContacts, f.dir.File("missing.csv"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kIo);
    CHECK_THAT(e.what(), Catch::Contains("missing.csv"));
  }
}

TEST_CASE("progress is reported after every batch and at the end", "[ingest]") {
  Fixture f;
  std::string text = "email\n";
  for (int i = 0; i < 10; ++i) text += "p" + std::to_string(i) + "@one.example\n";
  auto path = f.dir.Write("c.csv", text);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  ImportOptions options;
  options.batch_rows = 3;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    calls.emplace_back(done, total);
  };
  auto r = f.Import(ImportKind::kContacts, path, options);
  CHECK(r.inserted == 10);
  REQUIRE(calls.size() >= 4);  // 3 + 3 + 3 + 1 rows, then the end
  for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first >= calls[i - 1].first);
  CHECK(calls.back() == std::make_pair<std::uint64_t, std::uint64_t>(text.size(), text.size()));
}

TEST_CASE("the shipped samples import without rejects", "[ingest]") {
  Fixture f;
  const std::string samples = std::string(B2BMAIL_SOURCE_DIR) + "/samples/";
  for (auto [kind, name] : {std::pair{ImportKind::kAccounts, "accounts.csv"},
                            std::pair{ImportKind::kContacts, "contacts.csv"},
                            std::pair{ImportKind::kEvents, "events.csv"}}) {
    auto path = f.dir.Write(name, ReadFile(samples + name));
    auto r = f.Import(kind, path);
    INFO(name << (r.rejects_path.empty() ? "" : "\n" + ReadFile(r.rejects_path)));
    CHECK(r.diagnostics.empty());
    CHECK(r.rejected == 0);
    CHECK(r.rows > 0);
  }
}

TEST_CASE("batches read ahead on another thread still store and reject in file order", "[ingest]") {
  Fixture f;
  std::string text = "email,title\n";
  std::string expected_lines;
  for (int i = 0; i < 41; ++i) {
    if (i % 3 == 1) {
      text += "bad" + std::to_string(i) + ",x\n";  // no '@': rejected
      expected_lines += "," + std::to_string(i + 2) + ",";
    } else {
      // p7 appears twice, in different batches: the later row wins.
      int who = i == 30 ? 6 : i;
      text += "p" + std::to_string(who) + "@one.example,title " + std::to_string(i) + "\n";
    }
  }
  auto path = f.dir.Write("c.csv", text);
  ImportOptions options;
  options.batch_rows = 2;
  auto r = f.Import(ImportKind::kContacts, path, options);
  CHECK(r.rows == 41);
  CHECK(r.rejected == 14);
  CHECK(r.inserted == 26);
  CHECK(r.updated == 1);
  CHECK(f.Sql("SELECT title FROM contacts WHERE email = 'p6@one.example'") == "title 30");
  auto rejects = ReadFile(r.rejects_path);
  std::string lines;
  for (std::size_t at = 0; (at = rejects.find("\nbad", at)) != std::string::npos; ++at) {
    auto comma = rejects.find(",x,", at);
    lines += rejects.substr(comma + 2, rejects.find(',', comma + 3) - comma - 1);
  }
  CHECK(lines == expected_lines);
}
