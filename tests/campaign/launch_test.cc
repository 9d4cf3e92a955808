#include <catch2/catch.hpp>

#include "b2bmail/base/time_format.h"
#include "b2bmail/campaign/launcher.h"
#include "b2bmail/campaign/store_outbox.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;

namespace {

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Database> db = store::OpenSqlite(dir.File("b.db"));
  base::FixedClock clock{*base::ParseIso8601("2026-11-23T09:00:00Z")};
  base::SeededRandom random{3};
  model::Campaign campaign;
  segment::SegmentDefinition segment;
  std::unique_ptr<render::MessageTemplate> tmpl;

  Fixture() {
    model::Account a;
    a.id = "acc-1";
    a.name = "Kühne Präzision";
    a.domains = {"kuehne.example"};
    a.country = "DE";
    std::vector<model::Account> accounts{a};
    db->UpsertAccounts(accounts, {});
    std::vector<model::Contact> contacts;
    for (auto [email, role] : {std::pair{"ada@kuehne.example", model::Role::kBuyer},
                               std::pair{"bo@kuehne.example", model::Role::kBuyer},
                               std::pair{"cy@kuehne.example", model::Role::kUser}}) {
      model::Contact c;
      c.email = email;
      c.first_name = "Åsa";
      c.account_id = "acc-1";
      c.role = role;
      c.consent = model::Consent::kOptIn;
      contacts.push_back(c);
    }
    db->UpsertContacts(contacts, {});
    campaign.id = "c1";
    campaign.segment = "buyers";
    campaign.subject = "{{account.name}}";
    campaign.from_address = "news@sender.example";
    auto parsed = segment::ParseSegment("where contact.role = buyer", "buyers", "buyers.seg");
    segment = *parsed.segment;
    render::TemplateSource src;
    src.subjects[""] = campaign.subject;
    src.html = "<p>Hi {{contact.first_name}}</p><a href=\"{{unsubscribe_url}}\">u</a>";
    base::Diagnostics d;
    tmpl = render::MessageTemplate::Compile(src, d);
  }

  campaign::LaunchReport Launch() {
    return campaign::Launch(*db, campaign, segment, *tmpl, {}, clock, random);
  }
};

}  // namespace

TEST_CASE("launch queues one rendered message per selected contact, once", "[campaign]") {
  Fixture f;
  auto first = f.Launch();
  CHECK(first.selected == 2);
  CHECK(first.queued == 2);
  auto second = f.Launch();
  CHECK(second.queued == 0);
  CHECK(second.already_queued == 2);

  campaign::StoreOutbox outbox(*f.db);
  auto claimed = outbox.ClaimDue(f.clock.Now(), 10);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].recipient == "ada@kuehne.example");
  CHECK(claimed[0].sender == "news@sender.example");
  const auto& data = claimed[0].data;
  CHECK(data.find("Subject: =?UTF-8?B?") != std::string::npos);  // "Kühne Präzision"
  CHECK(data.find("List-Unsubscribe: <http://127.0.0.1:8080/u/") != std::string::npos);
  CHECK(data.find("ada@kuehne.example>") != std::string::npos);
  // The unsubscribe token is opaque: it does not contain the address.
  auto token_at = data.find("/u/") + 3;
  CHECK(data.substr(token_at, 26).find("ada") == std::string::npos);
  CHECK(claimed[0].data != claimed[1].data);
}

TEST_CASE("outcomes move messages to sent, deferred or failed; a bad mailbox is suppressed",
          "[campaign]") {
  Fixture f;
  f.Launch();
  campaign::StoreOutbox outbox(*f.db);
  auto now = f.clock.Now();
  auto claimed = outbox.ClaimDue(now, 10);
  REQUIRE(claimed.size() == 2);
  outbox.Record(claimed[0], {smtp::DeliveryStatus::kPermanent, 550, "5.1.1", "no such user"}, now,
                std::nullopt);
  outbox.Record(claimed[1], {smtp::DeliveryStatus::kTemporary, 451, "4.3.0", "try later"}, now,
                now + std::chrono::minutes(5));
  auto counts = f.db->CountOutbox("c1");
  CHECK(counts.failed == 1);
  CHECK(counts.deferred == 1);
  CHECK(outbox.NextRetry() == now + std::chrono::minutes(5));
  // ada is suppressed now: the segment no longer selects her.
  CHECK(f.db->CountRecipients(segment::ToFilter(f.segment, now)).contacts == 1);

  auto retry = outbox.ClaimDue(now + std::chrono::minutes(5), 10);
  REQUIRE(retry.size() == 1);
  outbox.Record(retry[0], {smtp::DeliveryStatus::kDelivered, 250, "2.0.0", "ok"}, now,
                std::nullopt);
  CHECK(f.db->CountOutbox("c1").sent == 1);
}

TEST_CASE("a new outbox returns messages a dead process left in flight", "[campaign]") {
  Fixture f;
  f.Launch();
  {
    campaign::StoreOutbox outbox(*f.db);
    CHECK(outbox.ClaimDue(f.clock.Now(), 1).size() == 1);
  }  // "crash": never recorded
  campaign::StoreOutbox restarted(*f.db);
  CHECK(restarted.recovered_in_flight() == 1);
  CHECK(restarted.ClaimDue(f.clock.Now(), 10).size() == 2);
}
