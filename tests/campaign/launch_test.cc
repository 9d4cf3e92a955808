#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/campaign/launcher.h"
#include "b2bmail/campaign/store_outbox.h"
#include "b2bmail/mime/bulk_headers.h"
#include "b2bmail/mime/header_fields.h"
#include "b2bmail/smtp/reply_classifier.h"
#include "b2bmail/store/open_sqlite.h"
#include "support/raw_sqlite.h"
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
  track::TokenSigner tokens{"test secret of at least 32 bytes!"};
  campaign::LaunchOptions options;

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
    options.compose.tokens = &tokens;
  }

  campaign::LaunchReport Launch() {
    return campaign::Launch(*db, campaign, segment, *tmpl, options, clock, random);
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
  CHECK(claimed[0].sender.starts_with("bounces+"));
  CHECK(claimed[0].sender.ends_with("@sender.example"));
  const auto& data = claimed[0].data;
  CHECK(data.find("Subject: =?UTF-8?B?S8O8aG5lIFByw6R6aXNpb24=?=") != std::string::npos);
  CHECK(data.find("List-Unsubscribe: <http://127.0.0.1:8080/u/") != std::string::npos);
  CHECK(data.find("ada@kuehne.example>") != std::string::npos);
  CHECK(claimed[0].data != claimed[1].data);
}

// An outcome as the SMTP client makes it: classified (smtp::ClassifyReply).
smtp::DeliveryOutcome Classified(int code, const char* enhanced, const char* text) {
  auto c = smtp::ClassifyReply(code, enhanced, text);
  return smtp::DeliveryOutcome{c.status, code, enhanced, text, c.category};
}

TEST_CASE("outcomes move messages to sent, deferred or failed; a bad mailbox is suppressed",
          "[campaign]") {
  Fixture f;
  f.Launch();
  campaign::StoreOutbox outbox(*f.db);
  auto now = f.clock.Now();
  auto claimed = outbox.ClaimDue(now, 10);
  REQUIRE(claimed.size() == 2);
  outbox.Record(claimed[0], Classified(550, "5.1.1", "no such user"), now, std::nullopt);
  outbox.Record(claimed[1], Classified(451, "4.3.0", "try later"), now,
                now + std::chrono::minutes(5));
  auto counts = f.db->CountOutbox("c1");
  CHECK(counts.failed == 1);
  CHECK(counts.deferred == 1);
  CHECK(outbox.NextRetry() == now + std::chrono::minutes(5));
  // ada is suppressed now: the segment no longer selects her.
  CHECK(f.db->CountRecipients(segment::ToFilter(f.segment, now)).contacts == 1);

  auto retry = outbox.ClaimDue(now + std::chrono::minutes(5), 10);
  REQUIRE(retry.size() == 1);
  // A server's text carries its code already: it is stored once, not twice.
  outbox.Record(retry[0], {smtp::DeliveryStatus::kDelivered, 250, "2.0.0", "250 2.0.0 Ok"}, now,
                std::nullopt);
  CHECK(f.db->CountOutbox("c1").sent == 1);
  auto replies =
      testing::RawDb(f.dir.File("b.db")).Rows("SELECT last_reply FROM outbox ORDER BY id");
  CHECK(replies == std::vector<std::string>{"[bad-mailbox] 550 no such user", "250 2.0.0 Ok"});
}

TEST_CASE("a policy block fails the message but leaves the address; Microsoft's 5.4.1 suppresses",
          "[campaign]") {
  Fixture f;
  f.Launch();
  campaign::StoreOutbox outbox(*f.db);
  auto now = f.clock.Now();
  auto claimed = outbox.ClaimDue(now, 10);
  REQUIRE(claimed.size() == 2);
  // A blocklisted sending IP is the sender's problem: both contacts stay selectable.
  outbox.Record(claimed[0], Classified(554, "5.7.1", "Client host blocked using Spamhaus"), now,
                std::nullopt);
  CHECK(f.db->CountOutbox("c1").failed == 1);
  CHECK(f.db->CountRecipients(segment::ToFilter(f.segment, now)).contacts == 2);
  // ... but the destination and the contact's account are marked for a person to look at.
  auto attention = f.db->Attention();
  REQUIRE(attention.size() == 1);
  CHECK(attention[0].domain == claimed[0].domain);
  CHECK(attention[0].account_id == f.db->FindContact(claimed[0].recipient)->account_id);
  CHECK(attention[0].blocks == 1);
  CHECK(attention[0].last_reply.rfind("[policy-or-spam-block] 554 ", 0) == 0);
  auto status = f.db->QueueStatus(now);
  for (const auto& row : status)
    CHECK(row.policy_blocks == (row.domain == claimed[0].domain ? 1 : 0));
  // Exchange Online's Directory-Based Edge Blocking: the recipient does not exist.
  outbox.Record(claimed[1],
                Classified(550, "5.4.1", "5.4.1 Recipient address rejected: Access denied"), now,
                std::nullopt);
  CHECK(f.db->CountOutbox("c1").failed == 2);
  CHECK(f.db->CountRecipients(segment::ToFilter(f.segment, now)).contacts == 1);
  CHECK(f.db->Attention().size() == 1);  // a bad mailbox needs no person
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

namespace {

// The unfolded value of the first header field `name` of `message`.
std::string Field(const std::string& message, std::string_view name) {
  for (const auto& f : mime::SplitHeaderAndBody(message).fields)
    if (f.name == name) return mime::Unfold(f.value);
  return "";
}

}  // namespace

TEST_CASE("every copy has its own Message-ID, unsubscribe token and bounce address", "[campaign]") {
  Fixture f;
  // More recipients than one signing batch, so batches are covered too.
  std::vector<model::Contact> contacts;
  for (int i = 0; i < 120; ++i) {
    model::Contact c;
    c.email = "buyer" + std::to_string(i) + "@kuehne.example";
    c.account_id = "acc-1";
    c.role = model::Role::kBuyer;
    c.consent = model::Consent::kOptIn;
    contacts.push_back(c);
  }
  f.db->UpsertContacts(contacts, {});
  f.options.batch_size = 50;
  // Signed on a pool of two threads, batch by batch.
  std::vector<mime::DkimKey> keys;
  keys.push_back(mime::DkimKey::FromPem(
      "sender.example", "ed", mime::DkimAlgorithm::kEd25519Sha256,
      mime::GenerateDkimPrivateKey(mime::DkimAlgorithm::kEd25519Sha256), "ed"));
  mime::DkimSigner signer(std::move(keys), mime::DefaultSignedHeaders());
  f.options.signer = &signer;
  f.options.signing_threads = 2;
  f.options.compose.tracking_base_url = "https://t.sender.example";
  f.options.compose.unsubscribe_mailto = "unsubscribe@sender.example";
  f.options.compose.bounce_domain = "bounces.sender.example";
  f.options.compose.feedback_sender = "sender01";
  f.campaign.name = "Q4 buyers";
  f.campaign.mail_type = "newsletter";
  auto report = f.Launch();
  CHECK(report.warnings.empty());
  REQUIRE(report.queued == 122);

  campaign::StoreOutbox outbox(*f.db);
  auto claimed = outbox.ClaimDue(f.clock.Now(), 1000);
  REQUIRE(claimed.size() == 122);
  std::set<std::string> message_ids, unsubscribe_urls, senders;
  for (const auto& m : claimed) {
    INFO(m.data.substr(0, 1500));
    message_ids.insert(Field(m.data, "Message-ID"));
    CHECK(m.data.starts_with("DKIM-Signature: v=1; a=ed25519-sha256;"));
    CHECK(m.data.find("DKIM-Signature", 10) == std::string::npos);  // once, not twice
    senders.insert(m.sender);
    auto unsubscribe = Field(m.data, "List-Unsubscribe");
    // <https://t.sender.example/u/TOKEN>, <mailto:unsubscribe+TOKEN@sender.example?subject=...>
    REQUIRE(unsubscribe.starts_with("<https://t.sender.example/u/"));
    std::string token = unsubscribe.substr(28, unsubscribe.find('>') - 28);
    unsubscribe_urls.insert(token);
    CHECK(unsubscribe == "<https://t.sender.example/u/" + token + ">, <mailto:unsubscribe+" +
                             token + "@sender.example?subject=unsubscribe>");
    // Opaque: nothing of the address; genuine: it verifies as an unsubscribe token, and
    // the key it carries is the one stored with the row, as is the bounce address's.
    std::string local = m.recipient.substr(0, m.recipient.find('@'));
    CHECK(token.find(local) == std::string::npos);
    auto key = f.tokens.Verify(track::TokenPurpose::kUnsubscribe, token);
    REQUIRE(key);
    CHECK(key->size() == 26);
    auto bounce_token = mime::VerpToken(m.sender, "bounces");
    REQUIRE(bounce_token);
    CHECK(f.tokens.Verify(track::TokenPurpose::kBounce, *bounce_token) == key);
    CHECK_FALSE(f.tokens.Verify(track::TokenPurpose::kUnsubscribe, *bounce_token));
    CHECK(m.sender.ends_with("@bounces.sender.example"));
    CHECK(Field(m.data, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
    CHECK(Field(m.data, "Feedback-ID") == "c1:buyers:newsletter:sender01");
    CHECK(Field(m.data, "List-Id") == "Q4 buyers <c1.sender.example>");
  }
  CHECK(message_ids.size() == 122);
  CHECK(unsubscribe_urls.size() == 122);
  CHECK(senders.size() == 122);
}

TEST_CASE("a launch with an http unsubscribe URL warns that one-click needs https", "[campaign]") {
  Fixture f;
  auto report = f.Launch();
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].find("not https") != std::string::npos);
}

namespace {

// Buyers at kuehne.example beyond ada and bo, and one at another domain.
void AddBuyers(Fixture& f, const std::vector<std::string>& emails) {
  std::vector<model::Contact> contacts;
  for (const auto& email : emails) {
    model::Contact c;
    c.email = email;
    c.role = model::Role::kBuyer;
    c.consent = model::Consent::kOptIn;
    contacts.push_back(c);
  }
  f.db->UpsertContacts(contacts, {});
}

// The rows of a query over a raw connection, columns joined by '|'.
std::vector<std::string> Rows(const std::string& path, const std::string& sql) {
  return testing::RawDb(path).Rows(sql);
}

// What the store holds about attempts: outbox rows, events and suppressions.
std::vector<std::string> Recorded(Fixture& f) {
  auto path = f.dir.File("b.db");
  auto rows = Rows(path,
                   "SELECT recipient, state, attempts, last_reply, next_attempt_at, provider, "
                   "last_attempt_at FROM outbox ORDER BY recipient");
  for (auto& r : Rows(path,
                      "SELECT c.email, e.type, e.at, e.campaign, e.detail FROM events e JOIN "
                      "contacts c ON c.id = e.contact_id ORDER BY c.email, e.type"))
    rows.push_back("event " + r);
  for (auto& r : Rows(path, "SELECT email, reason, created_at FROM suppressions ORDER BY email"))
    rows.push_back("suppressed " + r);
  return rows;
}

}  // namespace

TEST_CASE("RecordBatch stores exactly what a Record per message stores", "[campaign]") {
  Fixture one_by_one, batched;
  std::vector<smtp::DeliveryOutcome> outcomes{
      {smtp::DeliveryStatus::kDelivered, 250, "2.0.0", "ok", smtp::FailureCategory::kNone},
      Classified(550, "5.1.1", "no such user"),
      Classified(451, "4.3.0", "try later"),
      Classified(421, "4.7.0", "too many connections"),  // expired: no retry time
      Classified(554, "5.7.1", "Client host blocked using Spamhaus"),
  };
  auto now = one_by_one.clock.Now();
  auto at = [&](std::size_t i) { return now + std::chrono::seconds(10 * i); };
  auto retry = [&](std::size_t i) -> std::optional<base::TimePoint> {
    if (i == 2) return now + std::chrono::minutes(5);
    return std::nullopt;
  };
  for (Fixture* f : {&one_by_one, &batched}) {
    AddBuyers(*f, {"dee@kuehne.example", "eve@kuehne.example", "fay@kuehne.example"});
    REQUIRE(f->Launch().queued == 5);
  }

  campaign::StoreOutbox first(*one_by_one.db);
  auto claimed = first.ClaimDue(now, 10);
  REQUIRE(claimed.size() == outcomes.size());
  for (std::size_t i = 0; i < claimed.size(); ++i)
    first.Record(claimed[i], outcomes[i], at(i), retry(i));

  campaign::StoreOutbox second(*batched.db);
  auto claimed_too = second.ClaimDue(now, 10);
  REQUIRE(claimed_too.size() == outcomes.size());
  CHECK(claimed_too[0].campaign == "c1");
  CHECK(claimed_too[0].domain == "kuehne.example");
  CHECK(claimed_too[0].provider.empty());
  std::vector<smtp::OutboxRecord> records;
  for (std::size_t i = 0; i < claimed_too.size(); ++i)
    records.push_back({&claimed_too[i], outcomes[i], at(i), retry(i), ""});
  second.RecordBatch(records);

  auto stored = Recorded(one_by_one);
  CHECK(Recorded(batched) == stored);
  // And what that is: sent with its event, a hard bounce suppressed, one deferred, two
  // failed with their category in front.
  CHECK(std::count_if(stored.begin(), stored.end(),
                      [](const std::string& r) { return r.starts_with("event "); }) == 2);
  // The bounce's detail names its category; the suppression's reason says it too.
  CHECK(std::find(stored.begin(), stored.end(),
                  "event bo@kuehne.example|bounced|" +
                      std::to_string(at(1).time_since_epoch().count()) + "|c1|hard:bad-mailbox") !=
        stored.end());
  CHECK(std::find(stored.begin(), stored.end(),
                  "suppressed bo@kuehne.example|hard-bounce: bad-mailbox|" +
                      std::to_string(at(1).time_since_epoch().count())) != stored.end());
  auto counts = batched.db->CountOutbox("c1");
  CHECK(counts.sent == 1);
  CHECK(counts.deferred == 1);
  CHECK(counts.failed == 3);
  CHECK(std::any_of(stored.begin(), stored.end(), [](const std::string& r) {
    return r.starts_with("eve@kuehne.example|failed|1|[rate-limited] 421 too many connections|");
  }));
}

TEST_CASE("the outbox adapter claims around busy domains, gives messages back and lists pauses",
          "[campaign]") {
  Fixture f;
  AddBuyers(f, {"zed@other.example"});
  REQUIRE(f.Launch().queued == 3);
  campaign::StoreOutbox outbox(*f.db);
  auto now = f.clock.Now();
  auto claimed = outbox.ClaimDue(now, 10, {"kuehne.example"});
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].recipient == "zed@other.example");
  CHECK(claimed[0].domain == "other.example");

  // zed's destination turned out to be throttled: back to the queue, no attempt counted.
  std::vector<std::int64_t> ids{claimed[0].id};
  outbox.Release(ids, now + std::chrono::minutes(1));
  CHECK(outbox.NextRetry() == now);  // ada and bo are still due
  auto rest = outbox.ClaimDue(now, 10, {});
  REQUIRE(rest.size() == 2);
  smtp::OutboxRecord deferred{&rest[0], Classified(451, "4.7.1", "greylisted"), now,
                              now + std::chrono::minutes(5), "kuehne-mx"};
  outbox.RecordBatch(std::span(&deferred, 1));
  outbox.Release(std::vector<std::int64_t>{rest[1].id}, now + std::chrono::minutes(1));

  f.db->SetPaused(store::PauseKind::kProvider, "kuehne-mx", true, now);
  f.db->SetPaused(store::PauseKind::kDomain, "other.example", true, now);
  CHECK(outbox.PausedProviders() == std::vector<std::string>{"kuehne-mx"});
  CHECK(outbox.PausedDomains() == std::vector<std::string>{"other.example"});
  // ada's provider is known and paused, zed's domain is paused: only bo is left.
  auto later = outbox.ClaimDue(now + std::chrono::minutes(10), 10);
  REQUIRE(later.size() == 1);
  CHECK(later[0].recipient == "bo@kuehne.example");
  CHECK(later[0].attempts == 0);
}

namespace {

// An Outbox that implements only what the old Sender needs, over a StoreOutbox: it
// gets the port's default implementations of the rest.
class MinimalOutbox : public smtp::Outbox {
 public:
  MinimalOutbox(campaign::StoreOutbox& store, bool can_release)
      : store_(store), can_release_(can_release) {}
  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit) override {
    return store_.ClaimDue(now, limit);
  }
  void Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
              base::TimePoint now, std::optional<base::TimePoint> retry_at) override {
    store_.Record(message, outcome, now, retry_at);
  }
  std::optional<base::TimePoint> NextRetry() override { return store_.NextRetry(); }
  void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) override {
    if (can_release_)
      store_.Release(ids, next_attempt);
    else
      smtp::Outbox::Release(ids, next_attempt);
  }

 private:
  campaign::StoreOutbox& store_;
  bool can_release_;
};

}  // namespace

TEST_CASE("the port's defaults: claim then release what is skipped, record one by one",
          "[campaign]") {
  Fixture f;
  AddBuyers(f, {"zed@other.example"});
  REQUIRE(f.Launch().queued == 3);
  campaign::StoreOutbox store(*f.db);
  MinimalOutbox minimal(store, true);
  smtp::Outbox& outbox = minimal;
  auto now = f.clock.Now();
  auto claimed = outbox.ClaimDue(now, 10, {"kuehne.example"});
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].recipient == "zed@other.example");
  CHECK(f.db->CountOutbox("c1").queued == 2);  // released, due now
  std::vector<smtp::OutboxRecord> records{
      {&claimed[0], {smtp::DeliveryStatus::kDelivered, 250, "2.0.0", "ok"}, now, {}, ""}};
  outbox.RecordBatch(records);
  CHECK(f.db->CountOutbox("c1").sent == 1);
  CHECK(outbox.PausedDomains().empty());

  MinimalOutbox cannot_release(store, false);
  smtp::Outbox& old = cannot_release;
  CHECK_THROWS_AS(old.ClaimDue(now, 10, {"kuehne.example"}), Error);
}
