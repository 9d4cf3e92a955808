#include "b2bmail/smtp/sender.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>

#include "b2bmail/smtp/sink_server.h"
#include "maildir_contents.h"
#include "support/line_client.h"
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
// store; this one keeps just enough state to check what the Sender records.
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
    entries_.push_back({m, kNow, false, false, {}});
  }

  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint now, int limit) override {
    ++claims_;
    std::vector<smtp::OutgoingMessage> due;
    for (auto& e : entries_) {
      if (static_cast<int>(due.size()) >= limit) break;
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
};

smtp::SenderOptions OptionsFor(int port) {
  smtp::SenderOptions options;
  options.relay.port = port;
  options.relay.helo_name = "sender.test";
  options.relay.connect_timeout = 2s;
  options.relay.command_timeout = 2s;
  options.relay.data_timeout = 2s;
  options.retry.jitter = 0;  // exact retry times (the spread has its own tests)
  return options;
}

}  // namespace

TEST_CASE(
    "Sender delivers every due message to the sink in batches, reusing a connection up to "
    "the per-connection cap",
    "[smtp]") {
  TempDir dir;
  smtp::SinkOptions sink_options;
  sink_options.maildir = dir.File("Maildir");
  smtp::SinkServer sink(sink_options);
  sink.Start();

  VectorOutbox outbox;
  for (int i = 0; i < 5; ++i) outbox.Add("contact" + std::to_string(i) + "@example.com");
  auto options = OptionsFor(sink.port());
  options.max_messages_per_connection = 2;
  options.claim_batch_size = 2;
  base::FixedClock clock(kNow);
  smtp::Sender sender(options, outbox, clock);

  std::vector<int> progress;
  auto stats =
      sender.RunUntilIdle([&](const smtp::DeliveryStats& s) { progress.push_back(s.attempted); });
  sink.Stop();

  CHECK(stats.attempted == 5);
  CHECK(stats.delivered == 5);
  CHECK(stats.deferred == 0);
  CHECK(stats.failed == 0);
  CHECK(progress == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(outbox.claims() == 4);  // 2 + 2 + 1, then the empty claim that ends the run
  CHECK(outbox.AllRecorded());
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
}

TEST_CASE(
    "Sender records temporary outcomes as deferred with a retry time and permanent ones as "
    "failed",
    "[smtp]") {
  ScriptedSmtpServer server;
  VectorOutbox outbox;
  outbox.Add("ok@example.com");
  outbox.Add("rcpt450@example.com");      // first attempt: retry in 5 min
  outbox.Add("dropdata@example.com", 2);  // third attempt: retry in 20 min
  outbox.Add("rcpt550@example.com");
  outbox.Add("data554@example.com");
  outbox.Add("rcpt450@late.example.com", 9);  // tenth attempt: the policy gives up
  base::FixedClock clock(kNow);
  smtp::Sender sender(OptionsFor(server.port()), outbox, clock);

  auto stats = sender.RunUntilIdle();

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
  CHECK(dropped.retry_at == kNow + 20min);

  const auto& unknown = outbox.Only("rcpt550@example.com");
  CHECK(unknown.outcome.status == DeliveryStatus::kPermanent);
  CHECK(unknown.outcome.enhanced == "5.1.1");
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

TEST_CASE("Sender defers every message when nothing listens on the relay port", "[smtp]") {
  VectorOutbox outbox;
  for (int i = 0; i < 3; ++i) outbox.Add("contact" + std::to_string(i) + "@example.com");
  base::FixedClock clock(kNow);
  smtp::Sender sender(OptionsFor(testing::UnusedLocalPort()), outbox, clock);

  auto stats = sender.RunUntilIdle();

  CHECK(stats.attempted == 3);
  CHECK(stats.deferred == 3);
  const auto& r = outbox.Only("contact1@example.com");
  CHECK(r.outcome.status == DeliveryStatus::kTemporary);
  CHECK(r.outcome.reply_code == 0);
  CHECK(r.retry_at == kNow + 5min);
  // Nothing is due again until the clock reaches the retry time.
  CHECK(sender.RunUntilIdle().attempted == 0);
  clock.Advance(5min);
  CHECK(sender.RunUntilIdle().attempted == 3);
}
