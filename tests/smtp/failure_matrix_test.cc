// Issue 7's proof list: a scripted aiosmtpd server fails on purpose in every way a real
// gateway does, and each failure must end in the right outcome, retry schedule and
// suppression decision, through the whole engine (event loop, session, outbox records).

#include <catch2/catch.hpp>
#include <chrono>
#include <map>

#include "b2bmail/smtp/delivery_engine.h"
#include "b2bmail/smtp/reply_classifier.h"
#include "support/scripted_smtp_server.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using b2bmail::testing::ScriptedSmtpServer;
using b2bmail::testing::TempDir;
using smtp::DeliveryStatus;
using C = smtp::FailureCategory;

namespace {

const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};

// The outbox as a map from recipient to what was recorded (one attempt each).
class MapOutbox final : public smtp::Outbox {
 public:
  struct Recorded {
    smtp::DeliveryOutcome outcome;
    std::optional<base::TimePoint> retry_at;
  };

  void Add(const std::string& recipient, std::string data = "") {
    smtp::OutgoingMessage m;
    m.id = static_cast<std::int64_t>(queue_.size()) + 1;
    m.sender = "campaigns@sender.test";
    m.recipient = recipient;
    m.data = data.empty() ? "Subject: test\r\n\r\nHello " + recipient + ".\r\n" : data;
    m.queued_at = kNow;
    m.domain = recipient.substr(recipient.rfind('@') + 1);
    queue_.push_back(m);
  }
  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint, int limit) override {
    std::vector<smtp::OutgoingMessage> out;
    while (!queue_.empty() && static_cast<int>(out.size()) < limit) {
      out.push_back(queue_.front());
      queue_.erase(queue_.begin());
    }
    return out;
  }
  void Record(const smtp::OutgoingMessage& m, const smtp::DeliveryOutcome& outcome, base::TimePoint,
              std::optional<base::TimePoint> retry_at) override {
    REQUIRE(recorded.count(m.recipient) == 0);
    recorded[m.recipient] = {outcome, retry_at};
  }
  void Release(std::span<const std::int64_t>, base::TimePoint) override {
    FAIL("nothing should be released");
  }
  std::optional<base::TimePoint> NextRetry() override { return std::nullopt; }

  std::map<std::string, Recorded> recorded;

 private:
  std::vector<smtp::OutgoingMessage> queue_;
};

smtp::DeliveryEngineOptions RelayTo(const ScriptedSmtpServer& server) {
  smtp::DeliveryEngineOptions options;
  options.relay = smtp::RouteOptions{};
  options.relay->hosts = {server.host() + ":" + std::to_string(server.port())};
  options.session.helo_name = "sender.test";
  options.session.tls = smtp::TlsPolicy::kNone;
  auto& t = options.session.timeouts;
  t.connect = t.greeting = t.command = t.data_start = t.data_block = t.data_end = 700ms;
  options.retry.jitter = 0;
  options.domain_limits.per_minute.reset();
  options.domain_limits.per_hour.reset();
  options.provider_limits.per_minute.reset();
  options.provider_limits.per_hour.reset();
  // One session at a time, so failures and recoveries happen in a known order.
  options.domain_limits.max_connections = 1;
  return options;
}

struct Expected {
  const char* local;
  DeliveryStatus status;
  int code;  // 0: no reply (network)
  C category;
};

MapOutbox::Recorded RunOne(smtp::DeliveryEngineOptions options, const std::string& rcpt,
                           std::string data = "") {
  MapOutbox outbox;
  outbox.Add(rcpt, std::move(data));
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);
  engine.Run(true);
  REQUIRE(outbox.recorded.count(rcpt) == 1);
  return outbox.recorded[rcpt];
}

}  // namespace

TEST_CASE(
    "every scripted failure ends in the right outcome, retry and suppression, with and "
    "without PIPELINING",
    "[smtp][matrix]") {
  bool pipelining = GENERATE(true, false);
  std::vector<std::string> args = {"--stall", "3"};
  if (!pipelining) args.push_back("--no-pipelining");
  ScriptedSmtpServer server(args);
  const Expected cases[] = {
      {"rcpt450", DeliveryStatus::kTemporary, 450, C::kUnclassified},
      {"rcpt451", DeliveryStatus::kTemporary, 451, C::kUnclassified},
      {"rcpt452", DeliveryStatus::kTemporary, 452, C::kUnclassified},
      {"rcpt550", DeliveryStatus::kPermanent, 550, C::kBadMailbox},
      {"rcpt421", DeliveryStatus::kTemporary, 421, C::kRateLimited},
      {"rcptratelimit", DeliveryStatus::kTemporary, 450, C::kRateLimited},
      {"rcpt552", DeliveryStatus::kTemporary, 552, C::kMailboxFull},
      {"data554", DeliveryStatus::kPermanent, 554, C::kPolicyOrSpamBlock},
      {"data451", DeliveryStatus::kTemporary, 451, C::kUnclassified},
      {"dropdata", DeliveryStatus::kTemporary, 0, C::kNetwork},
      {"dropdot", DeliveryStatus::kTemporary, 0, C::kNetwork},
      {"stallrcpt", DeliveryStatus::kTemporary, 0, C::kNetwork},
      {"stalldata", DeliveryStatus::kTemporary, 0, C::kNetwork},
  };
  MapOutbox outbox;
  // A good message after each failure: the session (or a fresh one) must go on.
  for (const auto& c : cases) {
    outbox.Add(std::string(c.local) + "@example.com");
    outbox.Add(std::string("after-") + c.local + "@example.com");
  }
  base::FixedClock clock(kNow);
  auto options = RelayTo(server);
  options.session.pipelining = true;  // used only when offered
  smtp::DeliveryEngine engine(options, outbox, clock);
  auto stats = engine.Run(true);
  CHECK(stats.attempted == 2 * static_cast<int>(std::size(cases)));

  for (const auto& c : cases) {
    INFO(c.local << (pipelining ? " (pipelining)" : " (no pipelining)"));
    const auto& r = outbox.recorded.at(std::string(c.local) + "@example.com");
    INFO(r.outcome.text);
    CHECK(r.outcome.status == c.status);
    CHECK(r.outcome.reply_code == c.code);
    if (c.category != C::kUnclassified) CHECK(r.outcome.category == c.category);
    // The first attempt of a temporary failure comes back in 5 minutes; a permanent
    // one never does.
    if (c.status == DeliveryStatus::kTemporary) {
      CHECK(r.retry_at == kNow + 5min);
    } else {
      CHECK_FALSE(r.retry_at.has_value());
    }
    // Only the unknown mailbox is the address's fault.
    CHECK(smtp::SuppressesAddress(r.outcome) == (std::string(c.local) == "rcpt550"));
    const auto& after = outbox.recorded.at(std::string("after-") + c.local + "@example.com");
    INFO(after.outcome.text);
    CHECK(after.outcome.status == DeliveryStatus::kDelivered);
  }
}

TEST_CASE("a 421 greeting defers, a stalled greeting times out, both as temporary",
          "[smtp][matrix]") {
  {
    ScriptedSmtpServer server({"--greeting", "421 4.3.2 Too busy, come back later"});
    auto r = RunOne(RelayTo(server), "someone@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.reply_code == 421);
    CHECK(r.outcome.category == C::kRateLimited);
    CHECK(r.retry_at == kNow + 5min);
  }
  {
    ScriptedSmtpServer server({"--stall-greeting", "3"});
    auto r = RunOne(RelayTo(server), "someone@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.category == C::kNetwork);
    CHECK(r.outcome.text.rfind("greeting: timed out after 700 ms", 0) == 0);
  }
}

TEST_CASE("STARTTLS with a self-signed certificate: used when offered, refused when verified",
          "[smtp][matrix]") {
  TempDir dir;
  auto cert = ScriptedSmtpServer::MakeTestCertificate(dir);
  std::string log = dir.File("smtp.log");
  ScriptedSmtpServer server({"--starttls", cert.cert, cert.key, "--require-tls", "--log", log});
  auto options = RelayTo(server);

  SECTION("opportunistic and require: delivered over TLS") {
    options.session.tls = GENERATE(smtp::TlsPolicy::kOpportunistic, smtp::TlsPolicy::kRequire);
    auto r = RunOne(options, "tls@example.com");
    INFO(r.outcome.text);
    CHECK(r.outcome.status == DeliveryStatus::kDelivered);
    auto events = server.ReadLogUntil([](const auto& events) {
      for (const auto& e : events)
        if (e.name == "DELIVERED") return true;
      return false;
    });
    bool tls = false;
    for (const auto& e : events) tls = tls || e.name == "STARTTLS";
    CHECK(tls);
  }
  SECTION("verify: the self-signed certificate fails the attempt, temporarily") {
    options.session.tls = smtp::TlsPolicy::kVerify;
    auto r = RunOne(options, "tls@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.category == C::kTlsFailure);
    CHECK(r.outcome.text.find("certificate verification failed") != std::string::npos);
    CHECK(r.retry_at == kNow + 5min);
  }
  SECTION("none, to a server that requires TLS: refused for our session, not the address") {
    options.session.tls = smtp::TlsPolicy::kNone;
    auto r = RunOne(options, "tls@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.reply_code == 530);
    CHECK(r.outcome.category == C::kTlsFailure);
    CHECK_FALSE(smtp::SuppressesAddress(r.outcome));
  }
}

TEST_CASE("require-TLS to a server without STARTTLS fails the attempt as tls-failure",
          "[smtp][matrix]") {
  ScriptedSmtpServer server;
  auto options = RelayTo(server);
  options.session.tls = smtp::TlsPolicy::kRequire;
  auto r = RunOne(options, "x@example.com");
  CHECK(r.outcome.status == DeliveryStatus::kTemporary);
  CHECK(r.outcome.category == C::kTlsFailure);
  CHECK(r.outcome.text.find("does not offer it") != std::string::npos);
}

TEST_CASE("AUTH: delivered with the right credentials, deferred without or with wrong ones",
          "[smtp][matrix]") {
  ScriptedSmtpServer server({"--auth", "mailer:s3cret"});
  auto options = RelayTo(server);
  SECTION("right credentials") {
    options.relay->auth_user = "mailer";
    options.relay->auth_password = "s3cret";
    auto r = RunOne(options, "a@example.com");
    INFO(r.outcome.text);
    CHECK(r.outcome.status == DeliveryStatus::kDelivered);
  }
  SECTION("wrong credentials") {
    options.relay->auth_user = "mailer";
    options.relay->auth_password = "wrong";
    auto r = RunOne(options, "a@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.reply_code == 535);
    CHECK(r.outcome.category == C::kAuthenticationRequired);
    CHECK(r.retry_at == kNow + 5min);
  }
  SECTION("no credentials") {
    auto r = RunOne(options, "a@example.com");
    CHECK(r.outcome.status == DeliveryStatus::kTemporary);
    CHECK(r.outcome.reply_code == 530);
    CHECK(r.outcome.category == C::kAuthenticationRequired);
    CHECK_FALSE(smtp::SuppressesAddress(r.outcome));
  }
}

TEST_CASE("a message over the server's SIZE limit is refused before it is sent", "[smtp][matrix]") {
  TempDir dir;
  std::string log = dir.File("smtp.log");
  ScriptedSmtpServer server({"--max-message-size", "2000", "--log", log});
  auto r = RunOne(RelayTo(server), "big@example.com",
                  "Subject: big\r\n\r\n" + std::string(5000, 'x') + "\r\n");
  CHECK(r.outcome.status == DeliveryStatus::kPermanent);
  CHECK(r.outcome.category == C::kMessageTooBig);
  CHECK(r.outcome.text.find("SIZE limit of 2000") != std::string::npos);
  for (const auto& e : server.ReadLog()) CHECK(e.name != "MAIL");
}
