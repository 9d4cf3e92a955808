// Hostile segment text never reaches SQL as text and never crashes the parser:
// quotes, comment markers, semicolons, NUL, huge and deeply nested input.
#include <catch2/catch.hpp>

#include "b2bmail/base/random.h"
#include "b2bmail/segment/segment.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;

namespace {

struct World {
  testing::TempDir dir;
  std::unique_ptr<store::Database> db = store::OpenSqlite(dir.File("h.db"));
  World() {
    model::Account a;
    a.id = "acc'1";
    a.name = "O'Brien; DROP TABLE contacts; --";
    a.domains = {"obrien.example"};
    db->UpsertAccounts(std::span(&a, 1), {});
    model::Contact c;
    c.email = "x@obrien.example";
    c.account_id = a.id;
    c.title = "100% _Head_ of \\ \"quotes\"";
    c.consent = model::Consent::kOptIn;
    c.attrs = {{"note", "it's -- fine"}};
    db->UpsertContacts(std::span(&c, 1), {});
  }
  std::int64_t Count(const std::string& text) {
    auto r = segment::ParseSegment(text, "h", "h.seg");
    INFO(text);
    for (const auto& d : r.diagnostics.items()) INFO(d.Format());
    REQUIRE(r.segment);
    return db->CountRecipients(segment::ToFilter(*r.segment, {})).contacts;
  }
};

}  // namespace

TEST_CASE("hostile values are bound parameters: they match literally and break nothing",
          "[segment][hostile]") {
  World w;
  CHECK(w.Count(R"(where account.name = "O'Brien; DROP TABLE contacts; --")") == 1);
  CHECK(w.Count(R"(where account.name = "x' OR '1'='1")") == 0);
  CHECK(w.Count(R"(where account.id = "acc'1")") == 1);
  CHECK(w.Count(R"(where contact.title contains "100%")") == 1);
  CHECK(w.Count(R"(where contact.title contains "0%_")") == 0);  // % and _ are literal
  CHECK(w.Count(R"(where contact.title contains "_head_")") == 1);
  CHECK(w.Count(R"(where contact.title contains "\\ \"quotes\"")") == 1);
  CHECK(w.Count(R"(where contact.attr.note = "IT'S -- FINE")") == 1);
  CHECK(w.Count(R"(where account.domain ends with "'; --")") == 0);
  CHECK(w.Count("where contact.title = \"" + std::string(100000, '\'') + "\"") == 0);
  CHECK(w.Count("where account.name = \"O'Brien; DROP TABLE contacts; --\"") == 1);  // still there
}

TEST_CASE("hostile structure gives diagnostics, not crashes", "[segment][hostile]") {
  auto error_code = [](const std::string& text) {
    auto r = segment::ParseSegment(text, "h", "h.seg");
    REQUIRE(r.diagnostics.HasErrors());
    return r.diagnostics.items()[0].code;
  };
  CHECK(error_code("where " + std::string(10000, '(') + "contact.role = buyer" +
                   std::string(10000, ')')) == "too-deep");
  std::string nested = "where ";
  for (int i = 0; i < 10000; ++i) nested += "account has at least 1 contacts where ";
  nested += "contact.role = buyer";
  CHECK(error_code(nested) == "too-deep");
  CHECK(error_code("where contact.attr.x'y = \"1\"") == "syntax");
  CHECK(error_code(std::string("where contact.title = \"a\0b\"", 27)) == "syntax");
  CHECK(error_code("where contact.title = \"x\"; DROP TABLE contacts") == "syntax");
  CHECK(error_code("where contact.title = \"x\" -- comment") == "syntax");
  std::string list = "where contact.title in (";
  for (int i = 0; i < 10001; ++i) list += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  CHECK(error_code(list + ")") == "too-large");
}

TEST_CASE("mutated segment text never crashes the parser", "[segment][hostile]") {
  const std::string seed_text =
      "segment \"x\" where account.country in (\"DE\", \"AT\") and contact.seniority >= director "
      "and opened at least 2 times within 90d and account has no contacts where "
      "(contact.role = buyer or contact.title contains \"a\") and in segment y "
      "exclude z cap 2 per account order by contact.seniority desc sample 12.5% seed 7";
  b2bmail::base::SplitMix64 random(42);
  auto next = [&random] { return random.Next(); };
  const std::string alphabet = "()\",.%#\\=<>!-_ \n\tab09\xc3\xa4\xff";
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = seed_text;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text.erase(at, 1 + next() % 8);
          break;
        case 1:
          text.insert(at, 1, alphabet[next() % alphabet.size()]);
          break;
        default:
          text[at] = alphabet[next() % alphabet.size()];
      }
    }
    auto r = segment::ParseSegment(text, "m", "m.seg");
    CHECK(r.segment.has_value() != r.diagnostics.HasErrors());
    parsed += r.segment.has_value();
    for (const auto& d : r.diagnostics.items()) CHECK(d.position.line >= 1);
  }
  CHECK(parsed > 0);  // some mutations are still valid segments
}

TEST_CASE("segments nested far beyond SQLite's parser stack still evaluate exactly",
          "[segment][hostile]") {
  testing::TempDir dir;
  auto db = store::OpenSqlite(dir.File("deep.db"));
  std::vector<model::Account> accounts(6);
  for (int i = 0; i < 6; ++i) {
    accounts[i].id = "acc" + std::to_string(i);
    accounts[i].tier = i % 2 ? model::Tier::kChampion : model::Tier::kRepeat;
  }
  db->UpsertAccounts(accounts, {});
  std::vector<model::Contact> contacts;
  for (int i = 0; i < 30; ++i) {
    model::Contact c;
    c.email = "p" + std::to_string(i) + "@x.example";
    c.account_id = i % 7 == 6 ? "" : "acc" + std::to_string(i % 6);
    c.role = static_cast<model::Role>(i % 6);
    c.consent = model::Consent::kOptIn;
    contacts.push_back(c);
  }
  db->UpsertContacts(contacts, {});
  auto count = [&](const std::string& text) {
    auto r = segment::ParseSegment(text, "d", "d.seg");
    REQUIRE(r.segment);
    return db->CountRecipients(segment::ToFilter(*r.segment, {})).contacts;
  };

  const std::string buyer = "contact.role = buyer";
  std::string quantified = buyer;
  for (int i = 0; i < 60; ++i)
    quantified = "account has at least 1 contacts where (" + quantified + ")";
  // Every level asks the same of the same account: as one level.
  CHECK(count("where " + quantified) ==
        count("where account has at least 1 contacts where " + buyer));

  std::string nested = buyer;
  for (int i = 0; i < 199; ++i)
    nested = "(account.tier = champion " + std::string(i % 2 ? "or " : "and ") + nested + ")";
  std::string two_levels =
      "(account.tier = champion or (account.tier = champion and " + buyer + "))";
  CHECK(count("where " + nested) == count("where " + two_levels));

  std::string nots;
  for (int i = 0; i < 150; ++i) nots += "not ";
  CHECK(count("where " + nots + buyer) == count("where " + buyer));
  CHECK(count("where " + buyer) > 0);
}
