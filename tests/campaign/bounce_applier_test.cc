// BounceApplier: what parsed bounces and complaints record (issue 8).
#include "b2bmail/campaign/bounce_applier.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/raw_sqlite.h"
#include "support/temp_dir.h"

using namespace b2bmail;

namespace {

struct Fixture {
  testing::TempDir dir;
  std::string path = dir.File("b.db");
  std::unique_ptr<store::Database> db = store::OpenSqlite(path);
  track::TokenSigner tokens{"test secret of at least 32 bytes!"};
  campaign::BounceApplier applier{*db, tokens};
  campaign::BounceApplyCounts counts;

  Fixture() {
    std::vector<model::Contact> contacts;
    for (const char* email : {"ada@kuehne.example", "bo@kuehne.example", "cy@kuehne.example"}) {
      model::Contact c;
      c.email = email;
      c.consent = model::Consent::kOptIn;
      contacts.push_back(c);
    }
    db->UpsertContacts(contacts, {});
  }

  // A DSN without a VERP token: matched to the contact by address.
  void Bounce(const std::string& rcpt, bool hard, smtp::FailureCategory category,
              base::TimePoint at) {
    bounce::BounceReport r;
    r.kind = bounce::BounceReport::Kind::kDsn;
    bounce::BouncedRecipient b;
    b.recipient = rcpt;
    b.hard = hard;
    b.category = category;
    r.recipients.push_back(b);
    applier.Apply(r, at, counts);
  }

  std::vector<std::string> Rows(const std::string& sql) { return testing::RawDb(path).Rows(sql); }
};

const base::TimePoint kDay0 = *base::ParseIso8601("2026-11-02T08:00:00Z");
constexpr std::chrono::days kDay{1};

}  // namespace

TEST_CASE("bounce events name their category; three soft bounces in 30 days suppress (issue 8)",
          "[campaign]") {
  Fixture f;
  f.Bounce("ada@kuehne.example", false, smtp::FailureCategory::kMailboxFull, kDay0);
  f.Bounce("ada@kuehne.example", false, smtp::FailureCategory::kPolicyOrSpamBlock,
           kDay0 + 5 * kDay);
  CHECK(f.Rows("SELECT count(*) FROM suppressions") == std::vector<std::string>{"0"});
  f.Bounce("ADA@kuehne.example", false, smtp::FailureCategory::kMailboxFull, kDay0 + 10 * kDay);
  f.Bounce("bo@kuehne.example", true, smtp::FailureCategory::kBadMailbox, kDay0);

  bounce::BounceReport complaint;
  complaint.kind = bounce::BounceReport::Kind::kComplaint;
  complaint.feedback_type = "abuse";
  complaint.recipients.push_back({});
  complaint.recipients.back().recipient = "cy@kuehne.example";
  f.applier.Apply(complaint, kDay0, f.counts);

  CHECK(f.counts.soft == 3);
  CHECK(f.counts.hard == 1);
  CHECK(f.counts.complaints == 1);
  CHECK(f.Rows("SELECT c.email, e.type, e.detail FROM events e JOIN contacts c ON c.id = "
               "e.contact_id ORDER BY c.email, e.at") ==
        std::vector<std::string>{"ada@kuehne.example|bounced|soft:mailbox-full",
                                 "ada@kuehne.example|bounced|soft:policy-or-spam-block",
                                 "ada@kuehne.example|bounced|soft:mailbox-full",
                                 "bo@kuehne.example|bounced|hard:bad-mailbox",
                                 "cy@kuehne.example|complained|abuse"});
  auto seconds = [](base::TimePoint t) { return std::to_string(t.time_since_epoch().count()); };
  CHECK(f.Rows("SELECT email, reason, source, expires_at FROM suppressions ORDER BY email") ==
        std::vector<std::string>{
            "ada@kuehne.example|soft-bounces: 3 in 30 days (last: mailbox-full)|bounce|" +
                seconds(kDay0 + 40 * kDay),
            "bo@kuehne.example|hard-bounce: bad-mailbox|bounce|NULL",
            "cy@kuehne.example|complaint: abuse|complaint|NULL"});
}
