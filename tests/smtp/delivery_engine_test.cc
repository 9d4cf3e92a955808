#include "b2bmail/smtp/delivery_engine.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>

#include "b2bmail/smtp/sink_server.h"
#include "maildir_contents.h"
#include "support/line_client.h"
#include "support/scripted_dns_server.h"
#include "support/scripted_smtp_server.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using b2bmail::testing::ScriptedSmtpServer;
using b2bmail::testing::TempDir;
using smtp::DeliveryStatus;

namespace {

const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};

// The Outbox port over a vector: the real adapter lives in engine/campaign over the
// store; this one keeps just enough state to check what the engine records.
class VectorOutbox final : public smtp::Outbox {
 public:
  struct Recorded {
    smtp::DeliveryOutcome outcome;
    base::TimePoint at;
    std::optional<base::TimePoint> retry_at;
  };

  void Add(std::string recipient, int attempts = 0) {
    smtp::OutgoingMessage m;
    m.id = static_cast<std::int64_t>(entries_.size()) + 1;
    m.sender = "campaigns@sender.test";
    m.recipient = std::move(recipient);
    m.data = "Subject: Offer for " + m.recipient + "\r\n\r\nHello.\r\n";
    m.attempts = attempts;
    m.queued_at = kNow;
    m.domain = m.recipient.substr(m.recipient.rfind('@') + 1);
    entries_.push_back({m, kNow, false, false, {}});
  }

  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit) override {
    return ClaimDue(now, limit, {});
  }

  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit,
                                              const std::vector<std::string>& skip) override {
    ++claims_;
    std::vector<smtp::OutgoingMessage> due;
    for (auto& e : entries_) {
      if (static_cast<int>(due.size()) >= limit) break;
      if (std::find(skip.begin(), skip.end(), e.message.domain) != skip.end()) continue;
      if (!e.done && !e.in_flight && e.due <= now) {
        e.in_flight = true;
        due.push_back(e.message);
      }
    }
    return due;
  }

  void Record(const smtp::OutgoingMessage& message, const smtp::DeliveryOutcome& outcome,
              base::TimePoint now, std::optional<base::TimePoint> retry_at) override {
    auto& e = entries_.at(static_cast<std::size_t>(message.id - 1));
    REQUIRE(e.in_flight);
    e.in_flight = false;
    e.message.attempts += 1;
    e.records.push_back({outcome, now, retry_at});
    if (retry_at) {
      e.due = *retry_at;
    } else {
      e.done = true;
    }
  }

  void RecordBatch(std::span<const smtp::OutboxRecord> records) override {
    ++batches_;
    for (const auto& r : records) Record(*r.message, r.outcome, r.at, r.retry_at);
  }

  void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) override {
    for (auto id : ids) {
      auto& e = entries_.at(static_cast<std::size_t>(id - 1));
      REQUIRE(e.in_flight);
      e.in_flight = false;
      e.due = next_attempt;
      ++released_;
    }
  }

  std::optional<base::TimePoint> NextRetry() override {
    std::optional<base::TimePoint> next;
    for (const auto& e : entries_) {
      if (!e.done && (!next || e.due < *next)) next = e.due;
    }
    return next;
  }

  // The one record of the message to `recipient`.
  const Recorded& Only(const std::string& recipient) const {
    for (const auto& e : entries_) {
      if (e.message.recipient == recipient) {
        REQUIRE(e.records.size() == 1);
        return e.records.front();
      }
    }
    FAIL("no message to " << recipient);
    throw std::logic_error("unreachable");
  }

  int claims() const { return claims_; }
  int batches() const { return batches_; }
  int released() const { return released_; }
  const std::vector<Recorded>& RecordsOf(const std::string& recipient) const {
    for (const auto& e : entries_) {
      if (e.message.recipient == recipient) return e.records;
    }
    throw std::logic_error("no message to " + recipient);
  }
  bool AllRecorded() const {
    for (const auto& e : entries_) {
      if (e.in_flight || e.records.empty()) return false;
    }
    return true;
  }

 private:
  struct Entry {
    smtp::OutgoingMessage message;
    base::TimePoint due;
    bool in_flight;
    bool done;
    std::vector<Recorded> records;
  };
  std::vector<Entry> entries_;
  int claims_ = 0;
  int batches_ = 0;
  int released_ = 0;
};

// Everything through one relay on loopback, short timeouts, exact retry times.
smtp::DeliveryEngineOptions RelayTo(int port) {
  smtp::DeliveryEngineOptions options;
  options.relay = smtp::RouteOptions{};
  options.relay->hosts = {"127.0.0.1:" + std::to_string(port)};
  options.session.helo_name = "sender.test";
  options.session.tls = smtp::TlsPolicy::kNone;
  auto& t = options.session.timeouts;
  t.connect = t.greeting = t.command = t.data_start = t.data_block = t.data_end = 2s;
  options.retry.jitter = 0;  // exact retry times (the spread has its own tests)
  // Shaping has tests of its own; here it must not slow anything down.
  options.domain_limits.per_minute.reset();
  options.domain_limits.per_hour.reset();
  options.provider_limits.per_minute.reset();
  options.provider_limits.per_hour.reset();
  return options;
}

}  // namespace

TEST_CASE(
    "the engine delivers every due message through the relay, claiming in batches and "
    "reusing a session up to the per-connection cap",
    "[smtp][engine]") {
  TempDir dir;
  smtp::SinkOptions sink_options;
  sink_options.maildir = dir.File("Maildir");
  smtp::SinkServer sink(sink_options);
  sink.Start();

  VectorOutbox outbox;
  for (int i = 0; i < 5; ++i) outbox.Add("contact" + std::to_string(i) + "@example.com");
  auto options = RelayTo(sink.port());
  options.domain_limits.max_connections = 1;
  options.domain_limits.max_messages_per_connection = 2;
  options.claim_batch_size = 2;
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);

  std::vector<smtp::AttemptLogEntry> log;
  int last_progress = -1;
  auto stats = engine.Run(
      true, [&](const smtp::DeliveryStats& s) { last_progress = s.attempted; },
      [&](const smtp::AttemptLogEntry& e) { log.push_back(e); });
  sink.Stop();

  CHECK(stats.attempted == 5);
  CHECK(stats.delivered == 5);
  CHECK(stats.deferred == 0);
  CHECK(stats.failed == 0);
  CHECK(last_progress == 5);
  CHECK(outbox.claims() >= 3);  // 2 + 2 + 1 at least, then an empty one
  CHECK(outbox.AllRecorded());
  CHECK(outbox.batches() <= 5);
  const auto& first = outbox.Only("contact0@example.com");
  CHECK(first.outcome.status == DeliveryStatus::kDelivered);
  CHECK(first.at == kNow);
  CHECK_FALSE(first.retry_at.has_value());
  CHECK(sink.connections_accepted() == 3);  // 2 + 2 + 1 messages
  CHECK(sink.messages_received() == 5);
  auto files = testing::MaildirByRecipient(dir.path() / "Maildir");
  REQUIRE(files.size() == 5);
  CHECK(files.find("<contact3@example.com>")->second ==
        "Return-Path: <campaigns@sender.test>\r\nDelivered-To: <contact3@example.com>\r\n"
        "Subject: Offer for contact3@example.com\r\n\r\nHello.\r\n");

  REQUIRE(log.size() == 5);
  CHECK(log[0].provider == "relay");
  CHECK(log[0].domain == "example.com");
  CHECK(log[0].server == "127.0.0.1:" + std::to_string(sink.port()));
  CHECK(log[0].attempt == 1);
  CHECK(log[0].outcome.reply_code == 250);
}

TEST_CASE(
    "the engine records temporary outcomes as deferred with a retry time and permanent ones "
    "as failed",
    "[smtp][engine]") {
  ScriptedSmtpServer server;
  VectorOutbox outbox;
  outbox.Add("ok@example.com");
  outbox.Add("rcpt450@example.com");      // first attempt: retry in 5 min
  outbox.Add("dropdata@example.com", 2);  // third attempt: retry in 20 min
  outbox.Add("rcpt550@example.com");
  outbox.Add("data554@example.com");
  outbox.Add("rcpt450@late.example.com", 9);  // tenth attempt: the policy gives up
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(RelayTo(server.port()), outbox, clock);

  auto stats = engine.Run(true);

  CHECK(stats.attempted == 6);
  CHECK(stats.delivered == 1);
  CHECK(stats.deferred == 2);
  CHECK(stats.failed == 3);
  CHECK(outbox.AllRecorded());

  CHECK(outbox.Only("ok@example.com").outcome.status == DeliveryStatus::kDelivered);

  const auto& busy = outbox.Only("rcpt450@example.com");
  CHECK(busy.outcome.status == DeliveryStatus::kTemporary);
  CHECK(busy.outcome.reply_code == 450);
  CHECK(busy.retry_at == kNow + 5min);

  const auto& dropped = outbox.Only("dropdata@example.com");
  CHECK(dropped.outcome.status == DeliveryStatus::kTemporary);
  CHECK(dropped.outcome.reply_code == 0);
  CHECK(dropped.outcome.category == smtp::FailureCategory::kNetwork);
  CHECK(dropped.retry_at == kNow + 20min);

  const auto& unknown = outbox.Only("rcpt550@example.com");
  CHECK(unknown.outcome.status == DeliveryStatus::kPermanent);
  CHECK(unknown.outcome.enhanced == "5.1.1");
  CHECK(unknown.outcome.category == smtp::FailureCategory::kBadMailbox);
  CHECK_FALSE(unknown.retry_at.has_value());

  const auto& rejected = outbox.Only("data554@example.com");
  CHECK(rejected.outcome.status == DeliveryStatus::kPermanent);
  CHECK(rejected.outcome.reply_code == 554);
  CHECK_FALSE(rejected.retry_at.has_value());

  const auto& expired = outbox.Only("rcpt450@late.example.com");
  CHECK(expired.outcome.status == DeliveryStatus::kTemporary);
  CHECK_FALSE(expired.retry_at.has_value());

  CHECK(outbox.NextRetry() == kNow + 5min);
}

TEST_CASE("the engine defers every message when nothing listens on the relay port",
          "[smtp][engine]") {
  VectorOutbox outbox;
  for (int i = 0; i < 3; ++i) outbox.Add("contact" + std::to_string(i) + "@example.com");
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(RelayTo(testing::UnusedLocalPort()), outbox, clock);

  auto stats = engine.Run(true);

  CHECK(stats.attempted == 3);
  CHECK(stats.deferred == 3);
  const auto& r = outbox.Only("contact1@example.com");
  CHECK(r.outcome.status == DeliveryStatus::kTemporary);
  CHECK(r.outcome.reply_code == 0);
  CHECK(r.outcome.category == smtp::FailureCategory::kNetwork);
  CHECK(r.outcome.text.rfind("connect: Connection refused", 0) == 0);
  CHECK(r.retry_at == kNow + 5min);
  // Nothing is due again until the clock reaches the retry time.
  CHECK(engine.Run(true).attempted == 0);
  clock.Advance(5min);
  CHECK(engine.Run(true).attempted == 3);
}

TEST_CASE(
    "the engine routes by domain override and by DNS MX, and fails unknown and null-MX "
    "domains as bad domains without connecting",
    "[smtp][engine]") {
  TempDir dir;
  auto start_sink = [&](const std::string& address, const std::string& name) {
    smtp::SinkOptions o;
    o.address = address;
    o.maildir = dir.File(name);
    auto sink = std::make_unique<smtp::SinkServer>(o);
    sink->Start();
    return sink;
  };
  auto sink_a = start_sink("127.0.0.2", "a");
  auto sink_mx = start_sink("127.0.0.3", "mx");
  testing::ScriptedDnsServer dns(
      {"mx-routed.test MX 10 mx1.mx-routed.test", "mx-routed.test MX 20 mx2.mx-routed.test",
       "mx1.mx-routed.test A 127.0.0.3", "mx2.mx-routed.test A 127.0.0.4",
       "o365.test MX 0 o365-test.mail.protection.outlook.com",
       "o365-test.mail.protection.outlook.com A 127.0.0.3", "nullmx.test MX 0 ."});
  VectorOutbox outbox;
  outbox.Add("one@override.test");
  outbox.Add("two@mx-routed.test");
  outbox.Add("three@o365.test");
  outbox.Add("four@nxdomain.test");
  outbox.Add("five@nullmx.test");

  smtp::DeliveryEngineOptions options = RelayTo(1);
  options.relay.reset();
  options.routes["override.test"].hosts = {"127.0.0.2:" + std::to_string(sink_a->port())};
  options.dns.nameserver = dns.nameserver();
  options.mx_port = sink_mx->port();
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  std::map<std::string, smtp::AttemptLogEntry> log;
  auto stats = engine.Run(true, {}, [&](const smtp::AttemptLogEntry& e) { log[e.recipient] = e; });
  sink_a->Stop();
  sink_mx->Stop();

  CHECK(stats.delivered == 3);
  CHECK(stats.failed == 2);
  CHECK(sink_a->messages_received() == 1);
  CHECK(sink_mx->messages_received() == 2);
  CHECK(testing::MaildirByRecipient(dir.path() / "a").count("<one@override.test>") == 1);
  auto mx_files = testing::MaildirByRecipient(dir.path() / "mx");
  CHECK(mx_files.count("<two@mx-routed.test>") == 1);
  CHECK(mx_files.count("<three@o365.test>") == 1);

  CHECK(log["two@mx-routed.test"].server ==
        "mx1.mx-routed.test[127.0.0.3]:" + std::to_string(sink_mx->port()));
  CHECK(log["two@mx-routed.test"].provider == "mx-routed.test");
  CHECK(log["three@o365.test"].provider == "microsoft");
  CHECK(log["one@override.test"].provider == "127.0.0.2");

  for (const char* rcpt : {"four@nxdomain.test", "five@nullmx.test"}) {
    INFO(rcpt);
    const auto& r = outbox.Only(rcpt);
    CHECK(r.outcome.status == DeliveryStatus::kPermanent);
    CHECK(r.outcome.category == smtp::FailureCategory::kBadDomain);
    CHECK(r.outcome.text.rfind("DNS: ", 0) == 0);
    CHECK(log[rcpt].server.empty());
  }
}

TEST_CASE("the engine tries the next MX host when the first refuses connections",
          "[smtp][engine]") {
  TempDir dir;
  smtp::SinkOptions o;
  o.address = "127.0.0.6";
  o.maildir = dir.File("mx2");
  smtp::SinkServer sink(o);
  sink.Start();
  // mx1 is an address where nothing listens on the sink's port.
  testing::ScriptedDnsServer dns({"backup.test MX 10 mx1.backup.test",
                                  "backup.test MX 20 mx2.backup.test",
                                  "mx1.backup.test A 127.0.0.5", "mx2.backup.test A 127.0.0.6"});
  VectorOutbox outbox;
  outbox.Add("someone@backup.test");
  auto options = RelayTo(1);
  options.relay.reset();
  options.dns.nameserver = dns.nameserver();
  options.mx_port = sink.port();
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  std::vector<smtp::AttemptLogEntry> log;
  auto stats = engine.Run(true, {}, [&](const smtp::AttemptLogEntry& e) { log.push_back(e); });
  sink.Stop();
  CHECK(stats.delivered == 1);
  REQUIRE(log.size() == 1);
  CHECK(log[0].server == "mx2.backup.test[127.0.0.6]:" + std::to_string(sink.port()));
}

TEST_CASE(
    "the engine gives back, without counting an attempt, the messages its per-hour limit "
    "holds back",
    "[smtp][engine]") {
  smtp::SinkServer sink(smtp::SinkOptions{});
  sink.Start();
  VectorOutbox outbox;
  for (int i = 0; i < 5; ++i) outbox.Add("c" + std::to_string(i) + "@capped.test");
  auto options = RelayTo(sink.port());
  options.domain_overrides["capped.test"] = options.domain_limits;
  options.domain_overrides["capped.test"].per_hour = 2;
  options.domain_overrides["capped.test"].burst = 2;
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  auto stats = engine.Run(true);
  sink.Stop();
  CHECK(stats.delivered == 2);
  CHECK(stats.attempted == 2);
  CHECK(stats.released == 3);
  CHECK(outbox.released() == 3);
  CHECK(sink.messages_received() == 2);
  for (int i = 2; i < 5; ++i)
    CHECK(outbox.RecordsOf("c" + std::to_string(i) + "@capped.test").empty());
  // They come back when the hour's budget allows, not before.
  auto next = outbox.NextRetry();
  REQUIRE(next.has_value());
  CHECK(*next > kNow + 60s);
}

TEST_CASE("a warm-up plan caps a sending domain's day and carries the rest to the next day",
          "[smtp][engine]") {
  smtp::SinkServer sink(smtp::SinkOptions{});
  sink.Start();
  VectorOutbox outbox;
  for (int i = 0; i < 5; ++i) outbox.Add("c" + std::to_string(i) + "@warm.test");
  auto options = RelayTo(sink.port());
  smtp::WarmupOptions plan;
  plan.start = std::chrono::floor<std::chrono::days>(kNow);
  plan.daily_caps = {3, 10};
  options.warmup["sender.test"] = plan;  // the envelope sender is campaigns@sender.test
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  auto stats = engine.Run(true);
  CHECK(stats.delivered == 3);
  CHECK(stats.released == 2);
  CHECK(sink.messages_received() == 3);
  auto tomorrow = std::chrono::floor<std::chrono::days>(kNow) + std::chrono::days(1);
  CHECK(outbox.NextRetry() == base::TimePoint(tomorrow));

  // The next day the rest goes (the cap is 10 then).
  clock.Advance(std::chrono::duration_cast<std::chrono::seconds>(tomorrow - kNow));
  CHECK(engine.Run(true).delivered == 2);
  sink.Stop();
  CHECK(sink.messages_received() == 5);
}

TEST_CASE(
    "repeated connection failures open the destination's circuit and the waiting messages are "
    "deferred with the failure, not tried one by one",
    "[smtp][engine]") {
  VectorOutbox outbox;
  for (int i = 0; i < 12; ++i) outbox.Add("c" + std::to_string(i) + "@down.test");
  auto options = RelayTo(testing::UnusedLocalPort());
  options.domain_limits.max_connections = 1;
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  std::vector<smtp::AttemptLogEntry> log;
  auto stats = engine.Run(true, {}, [&](const smtp::AttemptLogEntry& e) { log.push_back(e); });
  CHECK(stats.deferred == 12);
  int tried = 0, suspended = 0;
  for (const auto& e : log) {
    if (e.outcome.text.rfind("delivery suspended after repeated failures: connect: ", 0) == 0) {
      ++suspended;
      CHECK(e.server.empty());
    } else {
      ++tried;
    }
  }
  INFO("tried " << tried << ", suspended " << suspended);
  CHECK(tried == 5);  // the breaker's threshold
  CHECK(suspended == 7);
}

TEST_CASE("a rate-limit reply halves the domain's pace for the messages after it",
          "[smtp][engine]") {
  ScriptedSmtpServer server;
  VectorOutbox outbox;
  outbox.Add("rcptratelimit@slow.test");  // Gmail's 450 4.7.28
  for (int i = 0; i < 10; ++i) outbox.Add("ok" + std::to_string(i) + "@slow.test");
  auto options = RelayTo(server.port());
  options.domain_limits.max_connections = 1;
  options.domain_limits.per_minute = 600;  // 10 a second ...
  options.domain_limits.burst = 1;
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  auto start = std::chrono::steady_clock::now();
  auto stats = engine.Run(true);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(stats.delivered == 10);
  CHECK(outbox.Only("rcptratelimit@slow.test").outcome.category ==
        smtp::FailureCategory::kRateLimited);
  // ... 5 a second after the throttle reply: the ten take about 2 s, not 1.
  INFO("took " << seconds << " s");
  CHECK(seconds >= 1.6);
}
