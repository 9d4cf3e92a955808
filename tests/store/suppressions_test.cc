// Suppressions (issue 8): hard bounces and complaints at once, soft bounces by the
// SuppressionPolicy, the rule for a new suppression against a stored one, expiry in
// selection, the operator's list/add/remove, and migration 4.

#include <catch2/catch.hpp>

#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/raw_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::store;
using b2bmail::testing::RawDb;
using b2bmail::testing::TempDir;
using namespace std::chrono_literals;

namespace {

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }

const base::TimePoint kDay0 = At("2026-10-01T10:00:00Z");
constexpr std::chrono::days kDay{1};

// A database with mailable contacts ada@, bo@ and cy@a.example.
struct Store {
  TempDir dir;
  std::string path = dir.File("s.db");
  std::unique_ptr<Database> db = OpenSqlite(path);

  Store() {
    std::vector<model::Contact> contacts;
    for (const char* email : {"ada@a.example", "bo@a.example", "cy@a.example"}) {
      model::Contact c;
      c.email = email;
      c.consent = model::Consent::kOptIn;
      contacts.push_back(c);
    }
    db->UpsertContacts(contacts, {});
  }

  void Event(const std::string& email, model::EventType type, base::TimePoint at,
             const std::string& detail, const std::string& campaign = "c1") {
    model::Event e;
    e.email = email;
    e.type = type;
    e.at = at;
    e.detail = detail;
    e.campaign = campaign;
    REQUIRE(db->InsertEvents(std::span(&e, 1)).front().status != RowResult::Status::kRejected);
  }
  void Soft(const std::string& email, base::TimePoint at,
            const std::string& detail = "soft:mailbox-full") {
    Event(email, model::EventType::kBounced, at, detail);
  }

  // The address's suppression, expired ones included.
  std::optional<Suppression> Find(const std::string& email) {
    for (auto& s : db->ListSuppressions(std::nullopt))
      if (base::EqualsIgnoreCase(s.email, email)) return s;
    return std::nullopt;
  }
  // The addresses a plain selection picks at `now` (mailable contacts).
  std::vector<std::string> Selected(base::TimePoint now) {
    model::ContactFilter all;
    all.now = now;
    std::vector<std::string> out;
    for (const auto& r : db->SelectRecipients(all)) out.push_back(r.contact.email);
    return out;
  }
};

Suppression Manual(std::string email, base::TimePoint at,
                   std::optional<base::TimePoint> expires = std::nullopt,
                   std::string reason = "manual") {
  Suppression s;
  s.email = std::move(email);
  s.reason = std::move(reason);
  s.source = SuppressionSource::kManual;
  s.created_at = at;
  s.expires_at = expires;
  return s;
}

}  // namespace

TEST_CASE("two soft bounces within the window do not suppress; the third does, for 30 days",
          "[store]") {
  Store s;
  s.Soft("ada@a.example", kDay0);
  s.Soft("ada@a.example", kDay0 + 10 * kDay, "soft:policy-or-spam-block");
  CHECK(!s.Find("ada@a.example"));
  CHECK(s.Selected(kDay0 + 11 * kDay).size() == 3);

  auto third = kDay0 + 20 * kDay;
  s.Soft("ada@a.example", third);
  auto sup = s.Find("ada@a.example");
  REQUIRE(sup);
  CHECK(sup->reason == "soft-bounces: 3 in 30 days (last: mailbox-full)");
  CHECK(sup->source == SuppressionSource::kBounce);
  CHECK(sup->created_at == third);
  REQUIRE(sup->expires_at);
  CHECK(*sup->expires_at == third + 30 * kDay);

  // Selection leaves her out until the suppression expires, and no longer after.
  CHECK(s.Selected(third + 1s) == std::vector<std::string>{"bo@a.example", "cy@a.example"});
  CHECK(s.Selected(third + 30 * kDay - 1s).size() == 2);
  CHECK(s.Selected(third + 30 * kDay).size() == 3);
  CHECK(s.db->ListSuppressions(third + 30 * kDay).empty());
  CHECK(s.db->ListSuppressions(third + 30 * kDay - 1s).size() == 1);
}

TEST_CASE("a soft bounce outside the window does not count; the edge of the window does",
          "[store]") {
  Store s;
  // Days 0, 20, 40: every 30-day window holds two of them.
  s.Soft("ada@a.example", kDay0);
  s.Soft("ada@a.example", kDay0 + 20 * kDay);
  s.Soft("ada@a.example", kDay0 + 40 * kDay);
  CHECK(!s.Find("ada@a.example"));
  // Day 45: [15, 45] holds 20, 40 and 45.
  s.Soft("ada@a.example", kDay0 + 45 * kDay);
  REQUIRE(s.Find("ada@a.example"));
  CHECK(*s.Find("ada@a.example")->expires_at == kDay0 + 75 * kDay);

  // The window is closed at both ends: exactly 30 days apart still counts, a second
  // more does not.
  s.Soft("bo@a.example", kDay0);
  s.Soft("bo@a.example", kDay0 + 15 * kDay);
  s.Soft("bo@a.example", kDay0 + 30 * kDay);
  CHECK(s.Find("bo@a.example"));
  s.Soft("cy@a.example", kDay0);
  s.Soft("cy@a.example", kDay0 + 15 * kDay);
  s.Soft("cy@a.example", kDay0 + 30 * kDay + 1s);
  CHECK(!s.Find("cy@a.example"));
}

TEST_CASE("soft bounces recorded out of time order suppress as if in order", "[store]") {
  Store s;
  // The latest first, then the earlier ones (an import, a late DSN): the window that
  // ends at day 40 fills only with the last one recorded.
  s.Soft("ada@a.example", kDay0 + 40 * kDay);
  s.Soft("ada@a.example", kDay0 + 20 * kDay);
  CHECK(!s.Find("ada@a.example"));
  s.Soft("ada@a.example", kDay0 + 10 * kDay, "soft");
  auto sup = s.Find("ada@a.example");
  REQUIRE(sup);
  CHECK(*sup->expires_at == kDay0 + 70 * kDay);
  CHECK(sup->reason == "soft-bounces: 3 in 30 days (last: mailbox-full)");
  // Two campaigns bouncing in the same second are two bounces.
  s.Event("bo@a.example", model::EventType::kBounced, kDay0, "soft", "c1");
  s.Event("bo@a.example", model::EventType::kBounced, kDay0, "SOFT", "c2");
  s.Event("bo@a.example", model::EventType::kBounced, kDay0, "soft", "c3");
  REQUIRE(s.Find("bo@a.example"));
  CHECK(s.Find("bo@a.example")->reason == "soft-bounces: 3 in 30 days");
}

TEST_CASE("re-recording the same soft bounces changes nothing", "[store]") {
  Store s;
  for (int round = 0; round < 2; ++round)
    for (int day : {0, 5, 10}) s.Soft("ada@a.example", kDay0 + day * kDay);
  auto sup = s.Find("ada@a.example");
  REQUIRE(sup);
  CHECK(sup->created_at == kDay0 + 10 * kDay);
  CHECK(*sup->expires_at == kDay0 + 40 * kDay);
}

TEST_CASE("hard bounces and complaints suppress at once with their reason; old 'hard' rows too",
          "[store]") {
  Store s;
  s.Event("ada@a.example", model::EventType::kBounced, kDay0, "hard:bad-mailbox");
  s.Event("bo@a.example", model::EventType::kComplained, kDay0, "abuse");
  s.Event("CY@a.example", model::EventType::kBounced, kDay0, "HARD");
  auto all = s.db->ListSuppressions(std::nullopt);
  REQUIRE(all.size() == 3);
  CHECK(all[0].email == "ada@a.example");
  CHECK(all[0].reason == "hard-bounce: bad-mailbox");
  CHECK(all[0].source == SuppressionSource::kBounce);
  CHECK(all[0].permanent());
  CHECK(all[0].created_at == kDay0);
  CHECK(all[1].reason == "complaint: abuse");
  CHECK(all[1].source == SuppressionSource::kComplaint);
  // Listed as the contact has it, not as the event spelt it.
  CHECK(all[2].email == "cy@a.example");
  CHECK(all[2].reason == "hard-bounce");
  CHECK(s.Selected(kDay0 + 3650 * kDay).empty());
}

TEST_CASE("a hard suppression is never replaced by a soft one; a soft one becomes hard",
          "[store]") {
  Store s;
  // Hard first: three soft bounces later leave it permanent, with its first reason.
  s.Event("ada@a.example", model::EventType::kBounced, kDay0, "hard:bad-domain");
  for (int day : {1, 2, 3}) s.Soft("ada@a.example", kDay0 + day * kDay);
  CHECK(s.Find("ada@a.example")->permanent());
  CHECK(s.Find("ada@a.example")->reason == "hard-bounce: bad-domain");
  // A complaint after a hard bounce keeps the first cause too.
  s.Event("ada@a.example", model::EventType::kComplained, kDay0 + 4 * kDay, "abuse");
  CHECK(s.Find("ada@a.example")->reason == "hard-bounce: bad-domain");

  // Soft first, then hard: upgraded, whether the soft one is in force or expired.
  for (int day : {1, 2, 3}) s.Soft("bo@a.example", kDay0 + day * kDay);
  REQUIRE(s.Find("bo@a.example")->expires_at);
  s.Event("bo@a.example", model::EventType::kBounced, kDay0 + 5 * kDay, "hard:bad-mailbox");
  auto bo = s.Find("bo@a.example");
  CHECK(bo->permanent());
  CHECK(bo->reason == "hard-bounce: bad-mailbox");
  CHECK(bo->created_at == kDay0 + 5 * kDay);

  for (int day : {1, 2, 3}) s.Soft("cy@a.example", kDay0 + day * kDay);
  s.Event("cy@a.example", model::EventType::kComplained, kDay0 + 100 * kDay, "abuse");
  CHECK(s.Find("cy@a.example")->permanent());
  CHECK(s.Find("cy@a.example")->source == SuppressionSource::kComplaint);
}

TEST_CASE("more soft bounces extend a soft suppression; an earlier window never shortens it",
          "[store]") {
  Store s;
  for (int day : {0, 1, 2}) s.Soft("ada@a.example", kDay0 + day * kDay);
  CHECK(*s.Find("ada@a.example")->expires_at == kDay0 + 32 * kDay);
  s.Soft("ada@a.example", kDay0 + 10 * kDay);
  CHECK(*s.Find("ada@a.example")->expires_at == kDay0 + 40 * kDay);
  CHECK(s.Find("ada@a.example")->reason == "soft-bounces: 4 in 30 days (last: mailbox-full)");
}

TEST_CASE("the soft bounce policy is configurable, and a limit of 0 turns it off", "[store]") {
  Store s;
  s.db->SetSuppressionPolicy({2, std::chrono::days(7), std::chrono::days(10)});
  s.Soft("ada@a.example", kDay0);
  s.Soft("ada@a.example", kDay0 + 8 * kDay);
  CHECK(!s.Find("ada@a.example"));
  s.Soft("ada@a.example", kDay0 + 9 * kDay);
  auto sup = s.Find("ada@a.example");
  REQUIRE(sup);
  CHECK(sup->reason == "soft-bounces: 2 in 7 days (last: mailbox-full)");
  CHECK(*sup->expires_at == kDay0 + 19 * kDay);

  s.db->SetSuppressionPolicy({0, std::chrono::days(30), std::chrono::days(30)});
  for (int day : {0, 1, 2, 3, 4}) s.Soft("bo@a.example", kDay0 + day * kDay);
  CHECK(!s.Find("bo@a.example"));
  CHECK_THROWS(s.db->SetSuppressionPolicy({3, std::chrono::days(0), std::chrono::days(30)}));
}

TEST_CASE("an operator adds, lists and removes suppressions; permanent ones are never shortened",
          "[store]") {
  Store s;
  auto now = kDay0;
  std::vector<Suppression> rows{
      Manual("zed@elsewhere.example", now),  // need not be a contact
      Manual("ada@a.example", now, now + 7 * kDay, "on leave"),
      Manual("bo@a.example", now, now - kDay, "old"),  // already expired
  };
  auto results = s.db->AddSuppressions(rows);
  REQUIRE(results.size() == 3);
  for (const auto& r : results) CHECK(r.status == RowResult::Status::kInserted);

  auto active = s.db->ListSuppressions(now);
  REQUIRE(active.size() == 2);
  CHECK(active[0].email == "ada@a.example");
  CHECK(active[0].reason == "on leave");
  CHECK(active[0].source == SuppressionSource::kManual);
  CHECK(active[1].email == "zed@elsewhere.example");
  CHECK(active[1].permanent());
  CHECK(s.db->ListSuppressions(std::nullopt).size() == 3);
  CHECK(s.Selected(now) == std::vector<std::string>{"bo@a.example", "cy@a.example"});

  // Permanent stays permanent, with its reason; a longer expiry replaces a shorter one;
  // a shorter one is kept out.
  auto kept = s.db->AddSuppression(Manual("ZED@elsewhere.example", now, now + kDay, "x"));
  CHECK(kept.status == RowResult::Status::kUnchanged);
  CHECK(kept.reason == "already suppressed permanently (manual)");
  CHECK(s.db->AddSuppression(Manual("ada@a.example", now, now + 3 * kDay)).status ==
        RowResult::Status::kUnchanged);
  CHECK(s.db->AddSuppression(Manual("ada@a.example", now, now + 9 * kDay)).status ==
        RowResult::Status::kUpdated);
  CHECK(*s.Find("ada@a.example")->expires_at == now + 9 * kDay);
  CHECK(s.db->AddSuppression(Manual("ada@a.example", now)).status == RowResult::Status::kUpdated);
  CHECK(s.Find("ada@a.example")->permanent());

  // Remove: case-insensitively, returning what it was; nothing for an unknown address.
  auto removed = s.db->RemoveSuppression("Ada@A.example");
  REQUIRE(removed);
  CHECK(removed->email == "ada@a.example");
  CHECK(!s.db->RemoveSuppression("ada@a.example"));
  CHECK(!s.db->RemoveSuppression("nobody@a.example"));
  CHECK(s.Selected(now).size() == 3);
}

TEST_CASE("removing a soft suppression forgets no bounce: the next one in the window suppresses",
          "[store]") {
  Store s;
  for (int day : {0, 1, 2}) s.Soft("ada@a.example", kDay0 + day * kDay);
  REQUIRE(s.db->RemoveSuppression("ada@a.example"));
  s.Soft("ada@a.example", kDay0 + 3 * kDay);
  REQUIRE(s.Find("ada@a.example"));
  CHECK(s.Find("ada@a.example")->reason == "soft-bounces: 4 in 30 days (last: mailbox-full)");
}

TEST_CASE("migration 4 names the source of suppressions written before it", "[store]") {
  TempDir dir;
  std::string path = dir.File("old.db");
  { auto db = OpenSqlite(path); }
  {
    // Back to schema 3, with the rows InsertEvents wrote then.
    RawDb raw(path);
    raw.Exec("ALTER TABLE suppressions DROP COLUMN source");
    // ... and without what later migrations added.
    raw.Exec("DROP INDEX outbox_message_id");
    raw.Exec("ALTER TABLE outbox DROP COLUMN message_id");
    raw.Exec(
        "INSERT INTO suppressions (email, reason, created_at, expires_at) VALUES "
        "('a@x.example', 'complaint', 1, NULL), ('b@x.example', 'hard-bounce', 2, NULL), "
        "('c@x.example', 'by hand', 3, 100)");
    raw.Exec("PRAGMA user_version = 3");
  }
  auto db = OpenSqlite(path);
  auto all = db->ListSuppressions(std::nullopt);
  REQUIRE(all.size() == 3);
  CHECK(all[0].source == SuppressionSource::kComplaint);
  CHECK(all[1].source == SuppressionSource::kBounce);
  CHECK(all[2].source == SuppressionSource::kManual);
  CHECK(*all[2].expires_at == base::TimePoint{100s});
}
