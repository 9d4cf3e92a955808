// The outbox as per-destination queues (migration 3): claiming around paused and busy
// destinations, group commit of attempts, release, and the operator's queue commands.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/raw_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::store;
using b2bmail::testing::TempDir;
using namespace std::chrono_literals;

namespace {

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }


std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(B2BMAIL_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const base::TimePoint kNow = At("2026-11-23T09:00:00Z");

// A database with one contact per address, each queued once for `campaign`, sent from
// `sender`; the outbox ids follow the order of `recipients` (1, 2, ...).
struct Queue {
  TempDir dir;
  std::string path = dir.File("q.db");
  std::unique_ptr<Database> db = OpenSqlite(path);

  void Add(const std::vector<std::string>& recipients, const std::string& campaign = "c1",
           const std::string& sender = "bounces+x@mail.sender.example") {
    std::vector<model::Contact> contacts;
    for (const auto& r : recipients) {
      model::Contact c;
      c.email = r;
      c.consent = model::Consent::kOptIn;
      contacts.push_back(c);
    }
    db->UpsertContacts(contacts, {});
    std::vector<OutboxRow> rows;
    for (const auto& r : recipients) {
      OutboxRow row;
      row.campaign = campaign;
      row.contact_id = db->FindContact(r)->id;
      row.recipient = r;
      row.sender = sender;
      row.token = campaign + ":" + r;
      row.message = "Subject: hi\r\n\r\nbody\r\n";
      rows.push_back(row);
    }
    REQUIRE(db->Enqueue(rows, kNow) == static_cast<std::int64_t>(rows.size()));
  }

  // The recipients ClaimDue returns, in order.
  std::vector<std::string> Claim(base::TimePoint now, const ClaimFilter& filter = {}) {
    std::vector<std::string> out;
    for (const auto& r : db->ClaimDue(now, 100, filter)) out.push_back(r.recipient);
    return out;
  }
};

AttemptRecord Attempt(std::int64_t id, OutboxState state, std::string reply, base::TimePoint at,
                      std::optional<base::TimePoint> next = std::nullopt,
                      std::string provider = "") {
  return AttemptRecord{id, state, std::move(reply), at, next, std::move(provider), {}};
}

model::Event MakeEvent(std::string email, model::EventType type, base::TimePoint at,
                       std::string detail = "") {
  model::Event e;
  e.email = std::move(email);
  e.type = type;
  e.at = at;
  e.campaign = "c1";
  e.detail = std::move(detail);
  return e;
}

}  // namespace

TEST_CASE("migration 3 fills in the destination domain of messages queued before it", "[store]") {
  TempDir dir;
  auto path = dir.File("old.db");
  {
    testing::RawDb raw(path);
    raw.Exec(ReadSource("engine/store/migrations/0001_initial.sql"));
    raw.Exec(ReadSource("engine/store/migrations/0002_segment_indexes.sql"));
    raw.Exec("PRAGMA user_version = 2");
    raw.Exec(
        "INSERT INTO contacts (id, email) VALUES (1, 'Anna@Kuehne.EXAMPLE'), "
        "(2, '\"odd@quoted\"@Sub.Example.org'), (3, 'no-at-sign');"
        "INSERT INTO outbox (campaign, contact_id, recipient, sender, token, message, state, "
        "attempts, next_attempt_at, last_reply, created_at, updated_at) VALUES "
        "('c1', 1, 'Anna@Kuehne.EXAMPLE', 's@x.example', 't1', 'm', 'queued', 0, 100, '', 100, "
        "100),"
        "('c1', 2, '\"odd@quoted\"@Sub.Example.org', 's@x.example', 't2', 'm', 'deferred', 2, "
        "100, '451 later', 100, 150),"
        "('c1', 3, 'no-at-sign', 's@x.example', 't3', 'm', 'failed', 1, 100, '501 bad', 100, "
        "120)");
  }
  auto db = OpenSqlite(path);
  testing::RawDb raw(path);
  CHECK(raw.One("PRAGMA user_version") == std::to_string(LatestSchemaVersion()));
  CHECK(raw.Rows("SELECT domain, provider, last_attempt_at FROM outbox ORDER BY id") ==
        std::vector<std::string>{"kuehne.example||0", "sub.example.org||150", "||120"});
  auto claimed = db->ClaimDue(kNow, 10);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].domain == "kuehne.example");
  CHECK(claimed[1].domain == "sub.example.org");
  CHECK(claimed[1].provider.empty());
}

TEST_CASE("enqueue derives the domain from the recipient, lower-cased after the last '@'",
          "[store]") {
  Queue q;
  q.Add({"Ada@Kuehne.Example", "bo@other.example"});
  auto claimed = q.db->ClaimDue(kNow, 10);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].domain == "kuehne.example");
  CHECK(claimed[1].domain == "other.example");
}

TEST_CASE("claiming passes over paused domains, paused providers and the caller's skip list",
          "[store]") {
  Queue q;
  q.Add({"a@gmail.example", "b@paused.example", "c@busy.example", "d@free.example"});
  // a's first attempt found Google's MX: from now on its provider is known.
  REQUIRE(q.Claim(kNow) == std::vector<std::string>{"a@gmail.example", "b@paused.example",
                                                    "c@busy.example", "d@free.example"});
  std::vector<AttemptRecord> deferred;
  for (std::int64_t id = 1; id <= 4; ++id)
    deferred.push_back(Attempt(id, OutboxState::kDeferred, "[rate-limited] 421 slow down", kNow,
                               id <= 2 ? kNow + 30s : kNow + 1min, id == 1 ? "google" : ""));
  q.db->RecordAttempts(deferred);

  q.db->SetPaused(PauseKind::kProvider, "google", true, kNow);
  q.db->SetPaused(PauseKind::kDomain, "Paused.Example", true, kNow);  // stored lower case
  CHECK(q.db->ListPaused() ==
        std::vector<std::pair<PauseKind, std::string>>{{PauseKind::kDomain, "paused.example"},
                                                       {PauseKind::kProvider, "google"}});
  // Held-back messages do not make the queue look due either.
  CHECK(q.db->NextDeferredAttempt() == kNow + 1min);

  auto later = kNow + 2min;
  CHECK(q.Claim(later, ClaimFilter{{"Busy.Example"}}) ==
        std::vector<std::string>{"d@free.example"});
  // The skipped message stayed queued and due; d could not be sent after all.
  q.db->Release(std::vector<std::int64_t>{4}, later);
  CHECK(q.Claim(later) == std::vector<std::string>{"c@busy.example", "d@free.example"});

  q.db->SetPaused(PauseKind::kDomain, "paused.example", false, later);
  q.db->SetPaused(PauseKind::kProvider, "google", false, later);
  q.db->SetPaused(PauseKind::kProvider, "never-paused", false, later);  // nothing to do
  CHECK(q.db->ListPaused().empty());
  CHECK(q.Claim(later) == std::vector<std::string>{"a@gmail.example", "b@paused.example"});
  auto claimed_again = q.db->CountOutbox("");
  CHECK(claimed_again.sending == 4);
  CHECK_THROWS_AS(q.db->SetPaused(PauseKind::kDomain, "", true, kNow), Error);
}

TEST_CASE("pausing twice keeps the first pause", "[store]") {
  Queue q;
  q.db->SetPaused(PauseKind::kDomain, "x.example", true, kNow);
  q.db->SetPaused(PauseKind::kDomain, "x.example", true, kNow + 1h);
  testing::RawDb raw(q.path);
  CHECK(raw.One("SELECT kind, name, paused_at FROM queue_pause") ==
        "domain|x.example|" + std::to_string(kNow.time_since_epoch().count()));
}

TEST_CASE("RecordAttempts records every attempt and its events in one transaction", "[store]") {
  Queue q;
  q.Add({"sent@a.example", "gone@a.example", "later@b.example"});
  REQUIRE(q.Claim(kNow).size() == 3);
  auto at = kNow + 10s;
  std::vector<AttemptRecord> batch{
      Attempt(1, OutboxState::kSent, "250 2.0.0 ok", at, std::nullopt, "google"),
      Attempt(2, OutboxState::kFailed, "[bad-mailbox] 550 5.1.1 no such user", at),
      Attempt(3, OutboxState::kDeferred, "[rate-limited] 421 4.7.0 later", at, at + 5min,
              "microsoft")};
  batch[0].events.push_back(MakeEvent("sent@a.example", model::EventType::kSent, at));
  batch[1].events.push_back(MakeEvent("gone@a.example", model::EventType::kBounced, at, "hard"));
  // An event for a contact that is gone is skipped; the attempt still counts.
  batch[2].events.push_back(MakeEvent("deleted@b.example", model::EventType::kSent, at));

  SECTION("all applied, with the side effects InsertEvents has") {
    q.db->RecordAttempts(batch);
    testing::RawDb raw(q.path);
    auto t = std::to_string(at.time_since_epoch().count());
    auto next = std::to_string((at + 5min).time_since_epoch().count());
    CHECK(raw.Rows("SELECT state, attempts, last_reply, provider, last_attempt_at, updated_at "
                   "FROM outbox ORDER BY id") ==
          std::vector<std::string>{
              "sent|1|250 2.0.0 ok|google|" + t + "|" + t,
              "failed|1|[bad-mailbox] 550 5.1.1 no such user||" + t + "|" + t,
              "deferred|1|[rate-limited] 421 4.7.0 later|microsoft|" + t + "|" + t});
    CHECK(raw.One("SELECT next_attempt_at FROM outbox WHERE id = 3") == next);
    CHECK(raw.Rows("SELECT c.email, e.type, e.detail, e.campaign FROM events e JOIN contacts c "
                   "ON c.id = e.contact_id ORDER BY e.id") ==
          std::vector<std::string>{"sent@a.example|sent||c1", "gone@a.example|bounced|hard|c1"});
    CHECK(raw.Rows("SELECT email, reason FROM suppressions") ==
          std::vector<std::string>{"gone@a.example|hard-bounce"});
    // A later attempt without a provider keeps the one recorded.
    REQUIRE(q.Claim(at + 5min).size() == 1);
    q.db->RecordAttempt(3, OutboxState::kSent, "250 ok", at + 6min, std::nullopt);
    CHECK(raw.One("SELECT state, attempts, provider FROM outbox WHERE id = 3") ==
          "sent|2|microsoft");
  }

  SECTION("a failure in the middle leaves everything as it was") {
    testing::RawDb raw(q.path);
    raw.Exec(
        "CREATE TRIGGER fail_second BEFORE UPDATE OF state ON outbox WHEN new.id = 2 "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    CHECK_THROWS_WITH(q.db->RecordAttempts(batch), Catch::Contains("injected failure"));
    CHECK(raw.Rows("SELECT state, attempts FROM outbox ORDER BY id") ==
          std::vector<std::string>{"sending|0", "sending|0", "sending|0"});
    CHECK(raw.One("SELECT count(*) FROM events") == "0");
    CHECK(raw.One("SELECT count(*) FROM suppressions") == "0");
    raw.Exec("DROP TRIGGER fail_second");
    q.db->RecordAttempts(batch);  // the store is usable afterwards
    CHECK(q.db->CountOutbox("c1").sent == 1);
  }

  SECTION("a record breaking the contract writes nothing") {
    batch[1].state = OutboxState::kDeferred;  // without a next attempt
    try {
      q.db->RecordAttempts(batch);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kInternal);
    }
    batch[1] = Attempt(2, OutboxState::kQueued, "", at);
    CHECK_THROWS_AS(q.db->RecordAttempts(batch), Error);
    CHECK(q.db->CountOutbox("c1").sending == 3);
  }
}

TEST_CASE("Release gives claimed messages back without counting an attempt", "[store]") {
  Queue q;
  q.Add({"a@x.example", "b@x.example", "c@x.example"});
  REQUIRE(q.Claim(kNow).size() == 3);
  q.db->RecordAttempt(2, OutboxState::kSent, "250 ok", kNow, std::nullopt);
  // 2 was recorded meanwhile and 99 does not exist: both are left alone.
  q.db->Release(std::vector<std::int64_t>{1, 2, 99}, kNow + 10min);
  auto counts = q.db->CountOutbox("c1");
  CHECK(counts.queued == 1);
  CHECK(counts.sent == 1);
  CHECK(counts.sending == 1);
  CHECK(q.db->NextDeferredAttempt() == kNow + 10min);
  CHECK(q.Claim(kNow + 9min).empty());
  auto again = q.db->ClaimDue(kNow + 10min, 10);
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == 1);
  CHECK(again[0].attempts == 0);
  q.db->Release(std::vector<std::int64_t>{}, kNow);  // nothing to do
}

TEST_CASE("queue status counts each domain's messages and shows its provider, reply and pause",
          "[store]") {
  Queue q;
  q.Add({"a1@gmail.example", "a2@gmail.example", "a3@gmail.example", "a4@gmail.example",
         "b1@other.example", "b2@other.example", "c1@fresh.example"});
  REQUIRE(q.Claim(kNow).size() == 7);
  auto two_hours_ago = kNow;
  auto now = kNow + 2h;
  q.db->RecordAttempts(std::vector<AttemptRecord>{
      Attempt(1, OutboxState::kSent, "250 old", two_hours_ago, std::nullopt, "google"),
      Attempt(5, OutboxState::kFailed, "[bad-mailbox] 550 5.1.1 unknown", two_hours_ago)});
  q.db->RecordAttempts(std::vector<AttemptRecord>{
      Attempt(2, OutboxState::kSent, "250 recent", now - 10min, std::nullopt, "google-workspace"),
      Attempt(3, OutboxState::kDeferred, "[rate-limited] 421 4.7.28 slow down", now - 5min,
              now + 5min),
      Attempt(6, OutboxState::kDeferred, "[network] connection refused", now - 1min, now)});
  q.db->Release(std::vector<std::int64_t>{4, 7}, now);  // 4, 7: queued again, never attempted
  q.db->SetPaused(PauseKind::kProvider, "google-workspace", true, now);

  auto status = q.db->QueueStatus(now);
  REQUIRE(status.size() == 3);
  const auto& fresh = status[0];
  CHECK(fresh.domain == "fresh.example");
  CHECK(fresh.provider.empty());
  CHECK(fresh.queued == 1);
  CHECK(fresh.last_reply.empty());
  CHECK(fresh.last_attempt_at == base::TimePoint{});
  CHECK_FALSE(fresh.paused);

  const auto& gmail = status[1];
  CHECK(gmail.domain == "gmail.example");
  CHECK(gmail.provider == "google-workspace");  // the most recent one recorded
  CHECK(gmail.queued == 1);
  CHECK(gmail.sending == 0);
  CHECK(gmail.deferred == 1);
  CHECK(gmail.sent == 2);
  CHECK(gmail.sent_last_hour == 1);
  CHECK(gmail.failed == 0);
  CHECK(gmail.last_reply == "[rate-limited] 421 4.7.28 slow down");
  CHECK(gmail.last_attempt_at == now - 5min);
  CHECK(gmail.paused);  // through its provider

  const auto& other = status[2];
  CHECK(other.domain == "other.example");
  CHECK(other.provider.empty());
  CHECK(other.failed == 1);
  CHECK(other.deferred == 1);
  CHECK(other.last_reply == "[network] connection refused");
  CHECK_FALSE(other.paused);

  q.db->SetPaused(PauseKind::kDomain, "other.example", true, now);
  CHECK(q.db->PurgeCampaign("c1", now) == 4);
  status = q.db->QueueStatus(now);
  CHECK(status[2].paused);
  CHECK(status[2].cancelled == 1);
  CHECK(status[1].cancelled == 2);
  // The purge replaced the reply of gmail's last attempt; it is no attempt itself.
  CHECK(status[1].last_reply == "[cancelled] purged by queue purge");
  CHECK(status[1].last_attempt_at == now - 5min);
}

TEST_CASE("retry now makes deferred and later-queued messages due, for one domain or all",
          "[store]") {
  Queue q;
  q.Add({"a@x.example", "b@x.example", "c@y.example", "d@y.example"});
  REQUIRE(q.Claim(kNow).size() == 4);
  q.db->RecordAttempts(
      std::vector<AttemptRecord>{Attempt(1, OutboxState::kDeferred, "451", kNow, kNow + 1h),
                                 Attempt(2, OutboxState::kSent, "250", kNow),
                                 Attempt(3, OutboxState::kDeferred, "451", kNow, kNow + 2h)});
  q.db->Release(std::vector<std::int64_t>{4}, kNow + 3h);
  auto now = kNow + 1min;
  CHECK(q.Claim(now).empty());
  CHECK(q.db->RetryNow(now, "Y.example") == 2);
  CHECK(q.Claim(now) == std::vector<std::string>{"c@y.example", "d@y.example"});
  CHECK(q.db->RetryNow(now, "") == 1);
  CHECK(q.db->RetryNow(now, "") == 0);  // already due: nothing moved
  auto retried = q.db->ClaimDue(now, 10);
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].recipient == "a@x.example");
  CHECK(retried[0].attempts == 1);
}

TEST_CASE("purging a campaign cancels its waiting messages and leaves those being sent",
          "[store]") {
  Queue q;
  q.Add({"a@x.example", "b@x.example", "c@x.example", "d@x.example"});
  q.Add({"e@x.example"}, "c2");
  REQUIRE(q.db->ClaimDue(kNow, 3).size() == 3);  // 1, 2, 3 in flight
  q.db->RecordAttempts(
      std::vector<AttemptRecord>{Attempt(1, OutboxState::kDeferred, "451", kNow, kNow + 1h),
                                 Attempt(2, OutboxState::kSent, "250", kNow)});
  // 1 deferred, 2 sent, 3 sending, 4 queued; 5 queued in c2.
  CHECK(q.db->PurgeCampaign("c1", kNow + 1min) == 2);
  auto counts = q.db->CountOutbox("c1");
  CHECK(counts.cancelled == 2);
  CHECK(counts.sent == 1);
  CHECK(counts.sending == 1);
  CHECK(counts.queued == 0);
  CHECK(counts.deferred == 0);
  CHECK(q.db->CountOutbox("c2").queued == 1);
  testing::RawDb raw(q.path);
  CHECK(raw.Rows("SELECT id, last_reply FROM outbox WHERE state = 'cancelled' ORDER BY id") ==
        std::vector<std::string>{"1|[cancelled] purged by queue purge",
                                 "4|[cancelled] purged by queue purge"});
  // Cancelled messages are never claimed, and a relaunch does not queue them again.
  CHECK(q.Claim(kNow + 2h) == std::vector<std::string>{"e@x.example"});
  CHECK(q.db->QueuedContactIds("c1").size() == 4);
  // The deliver run that owns 3 still records it.
  q.db->RecordAttempt(3, OutboxState::kSent, "250", kNow + 2h, std::nullopt);
  CHECK(q.db->CountOutbox("c1").sent == 2);
  CHECK(q.db->PurgeCampaign("c1", kNow + 3h) == 0);
}

TEST_CASE("attempts since a time are counted by envelope-sender domain", "[store]") {
  Queue q;
  q.Add({"a@x.example", "b@x.example"}, "c1", "bounces+1@Mail.One.example");
  q.Add({"c@x.example"}, "c2", "news@two.example");
  q.Add({"d@x.example"}, "c3", "news@two.example");
  REQUIRE(q.Claim(kNow).size() == 4);
  auto since = kNow + 1h;
  q.db->RecordAttempts(std::vector<AttemptRecord>{
      Attempt(1, OutboxState::kSent, "250", since - 1s),  // before: not counted
      Attempt(2, OutboxState::kDeferred, "451", since, since + 1h),
      Attempt(3, OutboxState::kFailed, "550", since + 1min)});
  // 4 is in flight, never attempted.
  auto counts = q.db->CountAttemptsSince(since);
  CHECK(counts ==
        std::unordered_map<std::string, std::int64_t>{{"mail.one.example", 1}, {"two.example", 1}});
  CHECK(q.db->CountAttemptsSince(since + 1h).empty());
}

TEST_CASE(
    "a lookup leaves no read transaction open: other processes' writes are seen and do "
    "not lock this connection out",
    "[store]") {
  Queue q;
  q.Add({"a@x.example"});  // looks contacts up with FindContact
  testing::RawDb cli(q.path);       // another process: `queue pause` while deliver runs
  cli.Exec("INSERT INTO queue_pause VALUES ('domain', 'x.example', 1)");
  CHECK(q.Claim(kNow).empty());
  q.db->SetPaused(PauseKind::kDomain, "x.example", false, kNow);

  CHECK(q.db->NextDeferredAttempt() == kNow);
  cli.Exec("INSERT INTO queue_pause VALUES ('domain', 'y.example', 1)");
  q.db->SetPaused(PauseKind::kDomain, "z.example", true, kNow);

  REQUIRE(q.Claim(kNow).size() == 1);
  AttemptRecord sent = Attempt(1, OutboxState::kSent, "250 ok", kNow);
  sent.events.push_back(MakeEvent("a@x.example", model::EventType::kSent, kNow));
  q.db->RecordAttempts(std::span(&sent, 1));
  cli.Exec("DELETE FROM queue_pause");
  q.db->SetPaused(PauseKind::kDomain, "z.example", true, kNow);
  CHECK(q.db->ListPaused().size() == 1);
}
