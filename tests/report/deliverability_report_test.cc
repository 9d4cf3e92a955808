// Account health (issue 8) over a real SQLite store, with the data written through the
// store's own API: Enqueue, ClaimDue and RecordAttempts as deliver does, InsertEvents as
// bounce ingest and imports do.

#include "b2bmail/report/deliverability_report.h"

#include <catch2/catch.hpp>
#include <map>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::report;
using b2bmail::testing::TempDir;
using namespace std::chrono_literals;
using store::OutboxState;

namespace {

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }

const base::TimePoint kNow = At("2026-11-23T09:00:00Z");
const base::TimePoint kDayAgo = kNow - 24h;

// What one recipient's attempt ends in.
struct Outcome {
  OutboxState state = OutboxState::kSent;
  std::string reply = "250 2.0.0 Ok";
  bool policy_block = false;  // what the engine flags for a policy or spam block
};

const Outcome kAccepted{};
const Outcome kProofpointBlock{OutboxState::kFailed,
                               "[policy-or-spam-block] 554 5.7.1 Service unavailable; Client host "
                               "[203.0.113.5] blocked using Proofpoint Dynamic Reputation",
                               true};
const Outcome kNoSuchUser{OutboxState::kFailed,
                          "[bad-mailbox] 550 5.1.1 The email account does not exist"};
const Outcome kThrottled{OutboxState::kDeferred,
                         "[rate-limited] 421 4.7.0 Try again later, closing connection"};

// p1@domain, p2@domain, ... up to `count`.
std::vector<std::string> Addresses(const std::string& domain, int count) {
  std::vector<std::string> out;
  for (int i = 1; i <= count; ++i) out.push_back("p" + std::to_string(i) + "@" + domain);
  return out;
}

struct Store {
  TempDir dir;
  std::unique_ptr<store::Database> db = store::OpenSqlite(dir.File("health.db"));
  int next_campaign = 0;

  void Account(const std::string& id, const std::string& domain) {
    model::Account a;
    a.id = id;
    a.name = id;
    a.domains = {domain};
    REQUIRE(db->UpsertAccounts(std::span(&a, 1), {})[0].status !=
            store::RowResult::Status::kRejected);
  }

  void Contacts(const std::vector<std::string>& emails, const std::string& account = "") {
    std::vector<model::Contact> contacts;
    for (const auto& e : emails) {
      model::Contact c;
      c.email = e;
      c.account_id = account;
      c.consent = model::Consent::kOptIn;
      contacts.push_back(c);
    }
    for (const auto& r : db->UpsertContacts(contacts, {}))
      REQUIRE(r.status != store::RowResult::Status::kRejected);
  }

  // An account at `domain` with `n` contacts there; returns their addresses.
  std::vector<std::string> Company(const std::string& id, const std::string& domain, int n) {
    Account(id, domain);
    auto people = Addresses(domain, n);
    Contacts(people, id);
    return people;
  }

  // Launches a campaign to `outcomes`' recipients at `at` and records one attempt each,
  // as deliver does (campaign/store_outbox.cc): a `sent` event for an accepted message,
  // a hard `bounced` event for a bad mailbox, attention for a policy block.
  void Deliver(const std::map<std::string, Outcome>& outcomes, const std::string& provider,
               base::TimePoint at) {
    model::Campaign campaign;
    campaign.id = "c" + std::to_string(++next_campaign);
    db->SaveCampaign(campaign, at);
    std::vector<store::OutboxRow> rows;
    for (const auto& [recipient, outcome] : outcomes) {
      store::OutboxRow row;
      row.campaign = campaign.id;
      row.contact_id = db->FindContact(recipient)->id;
      row.recipient = recipient;
      row.sender = "bounces@mail.sender.example";
      row.token = campaign.id + ":" + recipient;
      row.message = "Subject: hi\r\n\r\nbody\r\n";
      rows.push_back(row);
    }
    REQUIRE(db->Enqueue(rows, at) == static_cast<std::int64_t>(rows.size()));
    std::vector<store::AttemptRecord> records;
    for (const auto& claimed : db->ClaimDue(at, 1000)) {
      const Outcome& o = outcomes.at(claimed.recipient);
      store::AttemptRecord r;
      r.id = claimed.id;
      r.state = o.state;
      r.reply = o.reply;
      r.at = at;
      r.provider = provider;
      r.needs_attention = o.policy_block;
      if (o.state == OutboxState::kDeferred) r.next_attempt = at + 1h;
      model::Event e;
      e.email = claimed.recipient;
      e.at = at;
      e.campaign = campaign.id;
      if (o.state == OutboxState::kSent) {
        e.type = model::EventType::kSent;
        r.events.push_back(e);
      } else if (o.reply.starts_with("[bad-mailbox]")) {
        e.type = model::EventType::kBounced;
        e.detail = "hard";
        r.events.push_back(e);
      }
      records.push_back(std::move(r));
    }
    REQUIRE(records.size() == outcomes.size());
    db->RecordAttempts(records);
  }

  void Event(const std::string& email, model::EventType type, base::TimePoint at,
             const std::string& detail = "", const std::string& campaign = "c1") {
    model::Event e;
    e.email = email;
    e.type = type;
    e.at = at;
    e.campaign = campaign;
    e.detail = detail;
    REQUIRE(db->InsertEvents(std::span(&e, 1))[0].status == store::RowResult::Status::kInserted);
  }

  DeliverabilityReport Report(DeliverabilityOptions options = {}) {
    if (options.until == base::TimePoint{}) {
      options.since = kNow - 24h * 30;
      options.until = kNow;
    }
    return BuildDeliverabilityReport(*db, options);
  }
};

// The first `n` of `people` end in `first`, the others are accepted.
std::map<std::string, Outcome> FirstThenAccepted(const std::vector<std::string>& people,
                                                 std::size_t n, const Outcome& first) {
  std::map<std::string, Outcome> out;
  for (std::size_t i = 0; i < people.size(); ++i) out[people[i]] = i < n ? first : kAccepted;
  return out;
}

const HealthRow& Find(const std::vector<HealthRow>& rows, const std::string& key) {
  for (const auto& r : rows)
    if (r.key == key) return r;
  FAIL("no row " << key);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE(
    "an account whose Proofpoint gateway refuses 3 of its 5 contacts by policy is blocked, "
    "with the provider and the last block",
    "[report]") {
  Store s;
  auto people = s.Company("acc-kuehne", "kuehne.example", 5);
  s.Deliver(FirstThenAccepted(people, 3, kProofpointBlock), "proofpoint", kDayAgo);

  auto r = s.Report();
  const HealthRow& account = Find(r.accounts, "acc-kuehne");
  CHECK(account.kind == HealthRow::Kind::kAccount);
  CHECK(account.status == HealthStatus::kBlocked);
  CHECK(account.provider == "proofpoint");
  CHECK(account.related == std::vector<std::string>{"kuehne.example"});
  CHECK(account.counts.messages == 5);
  CHECK(account.counts.accepted == 2);
  CHECK(account.counts.failed == 3);
  CHECK(account.counts.blocks == 3);
  CHECK(account.counts.hard_bounces == 0);  // the addresses are fine
  CHECK(account.counts.soft_bounces == 0);
  CHECK(account.blocked_contacts == 3);
  CHECK(account.counts.block_rate() == Approx(0.6));
  CHECK(account.last_block_reply.find("554 5.7.1") != std::string::npos);
  REQUIRE(account.last_block_at);
  CHECK(*account.last_block_at == kDayAgo);
  CHECK(account.reason == "3 contacts refused by policy or as spam");

  const HealthRow& domain = Find(r.domains, "kuehne.example");
  CHECK(domain.status == HealthStatus::kBlocked);
  CHECK(domain.provider == "proofpoint");
  CHECK(domain.related == std::vector<std::string>{"acc-kuehne"});
  CHECK(domain.reason == "60% of 5 messages refused by policy or as spam");
}

TEST_CASE(
    "two contacts of one account refused by policy flag the account even at a low rate; its "
    "domain stays ok",
    "[report]") {
  Store s;
  auto people = s.Company("acc-big", "big.example", 12);
  s.Deliver(FirstThenAccepted({people.begin() + 1, people.end()}, 1, kProofpointBlock),
            "proofpoint", kDayAgo);
  s.Deliver({{people[0], kProofpointBlock}}, "proofpoint", kDayAgo + 1h);

  auto r = s.Report();
  const HealthRow& account = Find(r.accounts, "acc-big");
  CHECK(account.counts.block_rate() == Approx(2.0 / 12));  // under 20%
  CHECK(account.blocked_contacts == 2);
  CHECK(account.status == HealthStatus::kBlocked);
  CHECK(*account.last_block_at == kDayAgo + 1h);
  CHECK(Find(r.domains, "big.example").status == HealthStatus::kOk);

  // One blocked contact is one address' story, not yet the account's.
  DeliverabilityOptions strict;
  strict.thresholds.min_blocked_contacts = 3;
  strict.since = kNow - 24h * 30;
  strict.until = kNow;
  CHECK(Find(s.Report(strict).accounts, "acc-big").status == HealthStatus::kOk);
}

TEST_CASE(
    "a domain with hard bounces is bouncing, each bounce counted once; a healthy domain is ok",
    "[report]") {
  Store s;
  auto stale = Addresses("stale.example", 10);
  auto fine = Addresses("healthy.example", 10);
  auto small = Addresses("one-off.example", 3);
  s.Contacts(stale);
  s.Contacts(fine);
  s.Contacts(small);
  auto outcomes = FirstThenAccepted(stale, 2, kNoSuchUser);
  outcomes.merge(FirstThenAccepted(fine, 0, kAccepted));
  outcomes.merge(FirstThenAccepted(small, 1, kNoSuchUser));
  s.Deliver(outcomes, "google", kDayAgo);

  auto r = s.Report();
  const HealthRow& bouncing = Find(r.domains, "stale.example");
  CHECK(bouncing.status == HealthStatus::kBouncing);
  // The attempt's own `bounced` event is the same bounce as the failed message.
  CHECK(bouncing.counts.hard_bounces == 2);
  CHECK(bouncing.counts.failed == 2);
  CHECK(bouncing.counts.bounce_rate() == Approx(0.2));
  CHECK(bouncing.reason == "20% of 10 messages bounced (2 hard, 0 soft)");
  CHECK_FALSE(bouncing.last_block_at);

  const HealthRow& ok = Find(r.domains, "healthy.example");
  CHECK(ok.status == HealthStatus::kOk);
  CHECK(ok.counts.messages == 10);
  CHECK(ok.counts.accepted == 10);
  CHECK(ok.reason.empty());
  // One bounce in three is a third, but one address: not the domain's health.
  const HealthRow& one_off = Find(r.domains, "one-off.example");
  CHECK(one_off.counts.hard_bounces == 1);
  CHECK(one_off.status == HealthStatus::kOk);
  CHECK(r.accounts.empty());  // no contact has an account
  // Worst first.
  CHECK(r.domains.front().key == "stale.example");
  CHECK(r.domains.back().key == "healthy.example");
}

TEST_CASE("only what happened within [since, until) counts", "[report]") {
  Store s;
  auto people = Addresses("window.example", 6);
  s.Contacts(people);
  const base::TimePoint since = At("2026-11-01T00:00:00Z"), until = At("2026-11-08T00:00:00Z");
  s.Deliver({{people[0], kNoSuchUser}}, "google", since - 1s);
  s.Deliver({{people[1], kAccepted}}, "google", since);
  s.Deliver({{people[2], kNoSuchUser}}, "google", until - 1s);
  s.Deliver({{people[3], kNoSuchUser}}, "google", until);
  s.Deliver({{people[4], kAccepted}, {people[5], kAccepted}}, "google", since + 24h);
  s.Event(people[4], model::EventType::kComplained, since - 1s, "abuse", "c5");
  s.Event(people[5], model::EventType::kBounced, until, "soft", "c5");
  s.Event(people[4], model::EventType::kBounced, since + 48h, "soft:mailbox-full", "c5");

  DeliverabilityOptions options;
  options.since = since;
  options.until = until;
  auto r = s.Report(options);
  REQUIRE(r.domains.size() == 1);
  const auto& c = r.domains[0].counts;
  CHECK(c.messages == 4);
  CHECK(c.accepted == 3);
  CHECK(c.hard_bounces == 1);
  CHECK(c.soft_bounces == 1);
  CHECK(c.complaints == 0);

  options.since = until;
  options.until = until + 1s;
  auto later = s.Report(options);
  REQUIRE(later.domains.size() == 1);
  CHECK(later.domains[0].counts.messages == 1);
  CHECK(later.domains[0].counts.hard_bounces == 1);
  CHECK(later.domains[0].counts.soft_bounces == 1);

  options.since = until;
  options.until = since;
  CHECK_THROWS_AS(s.Report(options), Error);
}

TEST_CASE(
    "asynchronous bounces: a policy category is a block, hard and soft in either form are "
    "bounces",
    "[report]") {
  Store s;
  auto people = s.Company("acc-gw", "gateway.example", 6);
  s.Deliver(FirstThenAccepted(people, 0, kAccepted), "mimecast", kDayAgo);
  s.Event(people[0], model::EventType::kBounced, kDayAgo + 1h, "soft:policy-or-spam-block");
  s.Event(people[1], model::EventType::kBounced, kDayAgo + 2h, "soft:policy-or-spam-block");
  s.Event(people[2], model::EventType::kBounced, kDayAgo + 3h, "hard:bad-mailbox");
  s.Event(people[3], model::EventType::kBounced, kDayAgo + 3h, "hard");
  s.Event(people[4], model::EventType::kBounced, kDayAgo + 3h, "soft");

  auto r = s.Report();
  const HealthRow& account = Find(r.accounts, "acc-gw");
  CHECK(account.counts.messages == 6);
  CHECK(account.counts.blocks == 2);
  CHECK(account.counts.hard_bounces == 2);
  CHECK(account.counts.soft_bounces == 1);
  CHECK(account.blocked_contacts == 2);
  CHECK(account.status == HealthStatus::kBlocked);
  CHECK(account.provider == "mimecast");  // the campaign's message went through it
  CHECK(account.last_block_reply == "bounced: soft:policy-or-spam-block");
  CHECK(*account.last_block_at == kDayAgo + 2h);
  // 2 of 6 blocked is 33% >= 20%.
  CHECK(Find(r.domains, "gateway.example").status == HealthStatus::kBlocked);
}

TEST_CASE("complaints are counted, and past 0.3% of the messages a row is complaining",
          "[report]") {
  Store s;
  auto people = Addresses("annoyed.example", 10);
  s.Contacts(people);
  s.Deliver(FirstThenAccepted(people, 0, kAccepted), "microsoft", kDayAgo);
  s.Event(people[0], model::EventType::kComplained, kDayAgo + 1h, "abuse");

  auto r = s.Report();
  const HealthRow& row = Find(r.domains, "annoyed.example");
  CHECK(row.counts.complaints == 1);
  CHECK(row.counts.complaint_rate() == Approx(0.1));
  CHECK(row.status == HealthStatus::kComplaining);
  CHECK(row.reason == "10% of 10 messages complained about (limit 0.30%)");
}

TEST_CASE("a destination deferring a fifth of the messages is deferred", "[report]") {
  Store s;
  auto people = Addresses("slow.example", 10);
  s.Contacts(people);
  s.Deliver(FirstThenAccepted(people, 3, kThrottled), "yahoo", kDayAgo);
  auto r = s.Report();
  const HealthRow& row = Find(r.domains, "slow.example");
  CHECK(row.status == HealthStatus::kDeferred);
  CHECK(row.counts.deferred == 3);
  CHECK(row.counts.failed == 0);
  CHECK(row.counts.soft_bounces == 0);  // not bounced: they wait
}

TEST_CASE("figures per day: each bucket holds what happened in it", "[report]") {
  Store s;
  auto people = s.Company("acc-kuehne", "kuehne.example", 4);
  const base::TimePoint day1 = At("2026-11-20T00:00:00Z");
  s.Deliver({{people[0], kAccepted}, {people[1], kAccepted}}, "proofpoint", day1 + 10h);
  s.Deliver({{people[2], kProofpointBlock}, {people[3], kProofpointBlock}}, "proofpoint",
            day1 + 24h + 10h);

  DeliverabilityOptions options;
  options.since = day1;
  options.until = day1 + 72h;
  options.bucket = 24h;
  auto r = s.Report(options);
  const HealthRow& row = Find(r.accounts, "acc-kuehne");
  REQUIRE(row.series.size() == 2);
  CHECK(row.series.at(0).messages == 2);
  CHECK(row.series.at(0).accepted == 2);
  CHECK(row.series.at(0).blocks == 0);
  CHECK(row.series.at(1).messages == 2);
  CHECK(row.series.at(1).blocks == 2);
  CHECK(r.BucketStart(1) == day1 + 24h);
  CHECK(row.counts.messages == 4);

  options.bucket = 0s;
  CHECK(s.Report(options).accounts.at(0).series.empty());
}

TEST_CASE("a stored reply without a category is classified by the caller's classifier",
          "[report]") {
  Store s;
  auto people = Addresses("legacy.example", 5);
  s.Contacts(people);
  // Stored before issue 7 put the category first, and never marked for attention.
  const Outcome old_block{OutboxState::kFailed, "554 5.7.1 Message rejected as spam"};
  s.Deliver(FirstThenAccepted(people, 2, old_block), "", kDayAgo);

  DeliverabilityOptions options;
  options.since = kNow - 24h * 30;
  options.until = kNow;
  auto unknown = Find(s.Report(options).domains, "legacy.example");
  CHECK(unknown.counts.blocks == 0);
  CHECK(unknown.counts.soft_bounces == 2);  // an unknown failure
  CHECK(unknown.provider.empty());

  std::vector<std::string> asked;
  options.classify_reply = [&](std::string_view reply) {
    asked.emplace_back(reply);
    return std::string("policy-or-spam-block");
  };
  auto classified = Find(s.Report(options).domains, "legacy.example");
  CHECK(asked == std::vector<std::string>(2, "554 5.7.1 Message rejected as spam"));
  CHECK(classified.counts.blocks == 2);
  CHECK(classified.counts.soft_bounces == 0);
  CHECK(classified.status == HealthStatus::kBlocked);
}

TEST_CASE("imported history of campaigns not launched here counts its sent events as messages",
          "[report]") {
  Store s;
  auto people = Addresses("imported.example", 5);
  s.Contacts(people);
  for (const auto& p : people) {
    s.Event(p, model::EventType::kSent, kDayAgo, "", "old-esp");
    s.Event(p, model::EventType::kDelivered, kDayAgo + 1min, "", "old-esp");
  }
  s.Event(people[0], model::EventType::kBounced, kDayAgo + 1h, "hard", "old-esp");
  s.Event(people[1], model::EventType::kBounced, kDayAgo + 1h, "soft", "old-esp");
  auto r = s.Report();
  const HealthRow& row = Find(r.domains, "imported.example");
  CHECK(row.counts.messages == 5);
  CHECK(row.counts.accepted == 5);
  CHECK(row.counts.hard_bounces == 1);
  CHECK(row.counts.soft_bounces == 1);
  CHECK(row.status == HealthStatus::kBouncing);
  CHECK(row.provider.empty());
}

TEST_CASE("failure categories of smtp and bounce map onto the report's kinds", "[report]") {
  CHECK(KindOfCategory("policy-or-spam-block") == FailureKind::kBlock);
  CHECK(KindOfCategory("bad-mailbox") == FailureKind::kHardBounce);
  CHECK(KindOfCategory("bad-domain") == FailureKind::kHardBounce);
  CHECK(KindOfCategory("mailbox-full") == FailureKind::kSoftBounce);
  CHECK(KindOfCategory("message-too-big") == FailureKind::kSoftBounce);
  CHECK(KindOfCategory("expired") == FailureKind::kSoftBounce);
  CHECK(KindOfCategory("") == FailureKind::kSoftBounce);
  CHECK(KindOfCategory("rate-limited") == FailureKind::kSenderSide);
  CHECK(KindOfCategory("authentication") == FailureKind::kSenderSide);
  CHECK(KindOfCategory("authentication-required") == FailureKind::kSenderSide);
  CHECK(KindOfCategory("network") == FailureKind::kSenderSide);
  CHECK(StoredCategory("[bad-mailbox] 550 5.1.1 no") == "bad-mailbox");
  CHECK(StoredCategory("550 5.1.1 [no] such user") == "");
  CHECK(StoredCategory("[unterminated") == "");
  CHECK(ToString(HealthStatus::kComplaining) == "complaining");
}
