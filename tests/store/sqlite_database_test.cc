#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::store;
using b2bmail::testing::TempDir;

namespace {

model::Account MakeAccount(std::string id, std::vector<std::string> domains) {
  model::Account a;
  a.id = std::move(id);
  a.name = "Name of " + a.id;
  a.domains = std::move(domains);
  a.country = "DE";
  a.employees = 500;
  a.stage = model::Stage::kConsideration;
  return a;
}

model::Contact MakeContact(std::string email, std::string account, model::Role role) {
  model::Contact c;
  c.email = std::move(email);
  c.account_id = std::move(account);
  c.role = role;
  c.consent = model::Consent::kLegitimateInterest;
  c.first_name = "Zoë";
  return c;
}

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }

model::FilterNodePtr Eq(model::Entity e, std::string field, model::FilterValue v) {
  auto n = std::make_shared<model::FilterNode>();
  n->kind = model::FilterNode::Kind::kCompare;
  auto info = model::FindField(e, field);
  n->field = {e, field, info ? info->type : model::FieldType::kText, !info};
  n->values = {std::move(v)};
  return n;
}

}  // namespace

TEST_CASE("opening a new file applies every migration once", "[store]") {
  TempDir dir;
  { auto db = OpenSqlite(dir.File("b.db")); }
  auto db = OpenSqlite(dir.File("b.db"));  // second open must not re-run migration 1
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(dir.File("b.db").c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == LatestSchemaVersion());
  sqlite3_finalize(st);
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST_CASE("a database from a newer b2bmail is refused with a clear error", "[store]") {
  TempDir dir;
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(dir.File("new.db").c_str(), &raw) == SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  try {
    OpenSqlite(dir.File("new.db"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kDatabase);
    CHECK(std::string(e.what()).find("newer") != std::string::npos);
  }
}

TEST_CASE("an unopenable path throws a database error naming the path", "[store]") {
  CHECK_THROWS_WITH(OpenSqlite("/nonexistent-dir/x/b.db"),
                    Catch::Contains("/nonexistent-dir/x/b.db"));
}

TEST_CASE("account upserts are idempotent and domains belong to one account", "[store]") {
  TempDir dir;
  auto db = OpenSqlite(dir.File("b.db"));
  std::vector<model::Account> rows{MakeAccount("a1", {"one.example"}),
                                   MakeAccount("a2", {"two.example", "two.example.de"})};
  auto r1 = db->UpsertAccounts(rows, {});
  CHECK(r1[0].status == RowResult::Status::kInserted);
  auto r2 = db->UpsertAccounts(rows, {});
  CHECK(r2[1].status == RowResult::Status::kUpdated);

  std::vector<model::Account> clash{MakeAccount("a3", {"one.example"})};
  auto r3 = db->UpsertAccounts(clash, {});
  CHECK(r3[0].status == RowResult::Status::kRejected);
  CHECK(r3[0].reason.find("a1") != std::string::npos);

  auto dir_ = db->LoadAccountDirectory();
  CHECK(dir_.ids.size() == 2);
  CHECK(dir_.account_by_domain.at("two.example.de") == "a2");
}

TEST_CASE("a contact upsert only overwrites the columns the file carried", "[store]") {
  TempDir dir;
  auto db = OpenSqlite(dir.File("b.db"));
  std::vector<model::Account> accounts{MakeAccount("a1", {"one.example"})};
  db->UpsertAccounts(accounts, {});
  auto c = MakeContact("Anna@One.example", "a1", model::Role::kBuyer);
  c.title = "Leiterin Einkauf";
  c.attrs = {{"score", "7"}};
  std::vector<model::Contact> rows{c};
  db->UpsertContacts(rows, {});

  model::Contact partial;
  partial.email = "anna@one.example";  // same key, other case
  partial.title = "Head of Purchasing";
  partial.attrs = {{"owner", "Jan"}};
  ContactColumns only_title;
  only_title = ContactColumns{false, false, true,  false, false, false,
                              false, false, false, false, false, false};
  std::vector<model::Contact> rows2{partial};
  auto r = db->UpsertContacts(rows2, only_title);
  CHECK(r[0].status == RowResult::Status::kUpdated);

  auto stored = db->FindContact("ANNA@one.example");
  REQUIRE(stored);
  CHECK(stored->title == "Head of Purchasing");
  CHECK(stored->role == model::Role::kBuyer);
  CHECK(stored->account_id == "a1");
  CHECK(stored->first_name == "Zoë");
  CHECK(stored->attrs.size() == 2);  // attributes merge by name
}

TEST_CASE("events unsubscribe and suppress, and selection leaves those contacts out", "[store]") {
  TempDir dir;
  auto db = OpenSqlite(dir.File("b.db"));
  std::vector<model::Account> accounts{MakeAccount("a1", {"one.example"}),
                                       MakeAccount("a2", {"two.example"})};
  accounts[1].country = "FR";
  db->UpsertAccounts(accounts, {});
  std::vector<model::Contact> contacts{
      MakeContact("dm@one.example", "a1", model::Role::kDecisionMaker),
      MakeContact("buyer@one.example", "a1", model::Role::kBuyer),
      MakeContact("bounced@one.example", "a1", model::Role::kBuyer),
      MakeContact("complainer@one.example", "a1", model::Role::kBuyer),
      MakeContact("unsub@one.example", "a1", model::Role::kBuyer),
      MakeContact("noconsent@one.example", "a1", model::Role::kBuyer),
      MakeContact("fr@two.example", "a2", model::Role::kBuyer),
      MakeContact("soft@two.example", "a2", model::Role::kUser),
  };
  contacts[5].consent = model::Consent::kNone;
  db->UpsertContacts(contacts, {});

  auto ev = [](std::string email, model::EventType t, std::string detail = "") {
    model::Event e;
    e.email = std::move(email);
    e.type = t;
    e.at = At("2026-10-01T10:00:00Z");
    e.detail = std::move(detail);
    return e;
  };
  std::vector<model::Event> events{
      ev("bounced@one.example", model::EventType::kBounced, "hard"),
      ev("complainer@one.example", model::EventType::kComplained),
      ev("unsub@one.example", model::EventType::kUnsubscribed),
      ev("soft@two.example", model::EventType::kBounced, "soft"),
      ev("nobody@nowhere.example", model::EventType::kOpened),
  };
  auto r = db->InsertEvents(events);
  CHECK(r[4].status == RowResult::Status::kRejected);
  auto again = db->InsertEvents(events);
  CHECK(again[0].status == RowResult::Status::kUnchanged);

  model::ContactFilter all;
  all.now = At("2026-11-01T00:00:00Z");
  auto count = db->CountRecipients(all);
  CHECK(count.contacts == 4);  // dm, buyer, fr, soft
  CHECK(count.accounts == 2);

  model::ContactFilter de;
  de.now = all.now;
  de.root = Eq(model::Entity::kAccount, "country", std::string("de"));  // case-insensitive
  auto selected = db->SelectRecipients(de);
  REQUIRE(selected.size() == 2);
  CHECK(selected[0].contact.email == "buyer@one.example");
  REQUIRE(selected[0].account);
  CHECK(selected[0].account->domains == std::vector<std::string>{"one.example"});

  model::ContactFilter domain;
  domain.now = all.now;
  domain.root = Eq(model::Entity::kAccount, "domain", std::string("two.example"));
  CHECK(db->CountRecipients(domain).contacts == 2);

  // Hostile text is a bound value, never SQL.
  model::ContactFilter hostile;
  hostile.now = all.now;
  hostile.root = Eq(model::Entity::kContact, "title", std::string("x' OR 1=1 --"));
  CHECK(db->CountRecipients(hostile).contacts == 0);
}

TEST_CASE("the outbox queues a contact once per campaign and survives a crash", "[store]") {
  TempDir dir;
  auto path = dir.File("b.db");
  auto now = At("2026-11-01T00:00:00Z");
  {
    auto db = OpenSqlite(path);
    std::vector<model::Account> accounts{MakeAccount("a1", {"one.example"})};
    db->UpsertAccounts(accounts, {});
    std::vector<model::Contact> contacts{MakeContact("x@one.example", "a1", model::Role::kBuyer),
                                         MakeContact("y@one.example", "a1", model::Role::kBuyer)};
    db->UpsertContacts(contacts, {});
    std::vector<OutboxRow> rows;
    for (int i = 1; i <= 2; ++i) {
      OutboxRow r;
      r.campaign = "c1";
      r.contact_id = i;
      r.recipient = i == 1 ? "x@one.example" : "y@one.example";
      r.sender = "news@sender.example";
      r.token = "tok" + std::to_string(i);
      r.message_id = "m" + std::to_string(i) + "@sender.example";
      using namespace std::string_literals;
      r.message = "Subject: hi\r\n\r\nbody\0with nul"s;
      rows.push_back(r);
    }
    CHECK(db->Enqueue(rows, now) == 2);
    rows[0].token = "other";
    CHECK(db->Enqueue(rows, now) == 0);  // same (campaign, contact): ignored
    CHECK(db->QueuedContactIds("c1").size() == 2);
    // A bounce that lost our token still names the send by the Message-ID it quotes.
    auto by_id = db->FindSendByMessageId("<m2@sender.example>");
    REQUIRE(by_id);
    CHECK(by_id->recipient == "y@one.example");
    CHECK(by_id->campaign == "c1");
    CHECK(db->FindSendByMessageId("m2@sender.example")->outbox_id == by_id->outbox_id);
    CHECK_FALSE(db->FindSendByMessageId("m3@sender.example"));
    CHECK_FALSE(db->FindSendByMessageId("<>"));

    auto claimed = db->ClaimDue(now, 1);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].message.size() == 28);  // BLOB round-trip keeps every byte
    CHECK(db->CountOutbox("c1").sending == 1);
    // The process "dies" here with one message in flight.
  }
  auto db = OpenSqlite(path);
  CHECK(db->RequeueInFlight() == 1);
  auto claimed = db->ClaimDue(now, 10);
  CHECK(claimed.size() == 2);
  db->RecordAttempt(claimed[0].id, OutboxState::kSent, "250 ok", now, std::nullopt);
  db->RecordAttempt(claimed[1].id, OutboxState::kDeferred, "451 later", now,
                    now + std::chrono::minutes(5));
  CHECK(db->ClaimDue(now, 10).empty());
  CHECK(db->NextDeferredAttempt() == now + std::chrono::minutes(5));
  CHECK(db->ClaimDue(now + std::chrono::minutes(5), 10).size() == 1);
  auto counts = db->CountOutbox("");
  CHECK(counts.sent == 1);
  CHECK(counts.sending == 1);
}

TEST_CASE("selected recipients carry their contact, account, domains and attributes intact",
          "[store]") {
  TempDir dir;
  auto db = OpenSqlite(dir.File("r.db"));
  auto account = MakeAccount("acc", {"b.example", "a.example"});
  account.attrs = {{"owner", "Zoë \"Z\" O'Neil\\"}, {"emoji", "\xF0\x9F\x9A\x80"}};
  REQUIRE(db->UpsertAccounts(std::span(&account, 1), {})[0].status == RowResult::Status::kInserted);
  auto with = MakeContact("x@a.example", "acc", model::Role::kBuyer);
  with.attrs = {{"note", "line 1\nline 2\ttab \x01 control"}, {"score", "42"}};
  auto without = MakeContact("y@free.example", "", model::Role::kUser);
  std::vector<model::Contact> contacts{with, without};
  db->UpsertContacts(contacts, {});

  model::ContactFilter all;
  auto selected = db->SelectRecipients(all);
  REQUIRE(selected.size() == 2);
  const auto& r = selected[0];
  CHECK(r.contact.email == "x@a.example");
  CHECK(r.contact.first_name == "Zoë");
  CHECK(r.contact.attrs == with.attrs);  // escapes and control characters survive JSON
  REQUIRE(r.account);
  CHECK(r.account->domains == std::vector<std::string>{"a.example", "b.example"});
  CHECK(r.account->attrs == account.attrs);
  CHECK(r.account->stage == model::Stage::kConsideration);
  CHECK(r.account->employees == 500);
  CHECK_FALSE(selected[1].account);

  std::vector<std::string> streamed;
  db->ForEachRecipient(all, [&](const Recipient& x) { streamed.push_back(x.contact.email); });
  CHECK(streamed == std::vector<std::string>{"x@a.example", "y@free.example"});
}
