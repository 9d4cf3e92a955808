// Issue 7's shaping proof: 100 domains on loopback addresses, found by DNS MX, rolled up
// into two providers by their MX host names, sent by the engine with per-domain and
// per-provider limits. The scripted server's log timestamps must show every limit held.

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>

#include "b2bmail/smtp/delivery_engine.h"
#include "support/line_client.h"
#include "support/scripted_dns_server.h"
#include "support/scripted_smtp_server.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using b2bmail::testing::ScriptedSmtpServer;
using b2bmail::testing::TempDir;

namespace {

const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};
constexpr int kDomains = 100;
constexpr int kPerDomain = 3;
constexpr int kMicrosoftDomains = 60;  // the rest are behind Proofpoint

class ListOutbox final : public smtp::Outbox {
 public:
  explicit ListOutbox(std::vector<smtp::OutgoingMessage> messages) : queue_(std::move(messages)) {}
  std::vector<smtp::OutgoingMessage> ClaimDue(base::TimePoint, int limit) override {
    std::vector<smtp::OutgoingMessage> out;
    while (next_ < queue_.size() && static_cast<int>(out.size()) < limit)
      out.push_back(queue_[next_++]);
    return out;
  }
  void Record(const smtp::OutgoingMessage& m, const smtp::DeliveryOutcome& outcome, base::TimePoint,
              std::optional<base::TimePoint>) override {
    outcomes[m.recipient] = outcome;
  }
  void Release(std::span<const std::int64_t> ids, base::TimePoint) override {
    released += static_cast<int>(ids.size());
  }
  std::optional<base::TimePoint> NextRetry() override { return std::nullopt; }

  std::map<std::string, smtp::DeliveryOutcome> outcomes;
  int released = 0;

 private:
  std::vector<smtp::OutgoingMessage> queue_;
  std::size_t next_ = 0;
};

std::string Address(int domain) { return "127.0.0." + std::to_string(domain + 2); }

// The most starts any stretch of the sorted `times` holds beyond what `per_second` and
// `burst` allow: count(i..j) - burst - (t_j - t_i) * per_second. Positive means broken.
double WorstExcess(std::vector<double> times, double per_second, int burst) {
  std::sort(times.begin(), times.end());
  double worst = -1e9;
  for (std::size_t i = 0; i < times.size(); ++i)
    for (std::size_t j = i; j < times.size(); ++j)
      worst = std::max(worst,
                       static_cast<double>(j - i + 1) - burst - (times[j] - times[i]) * per_second);
  return worst;
}

// The most connections open at once, from CONNECT and CLOSE events.
int MostOpenAtOnce(const std::vector<ScriptedSmtpServer::Event>& events,
                   const std::function<bool(const ScriptedSmtpServer::Event&)>& counts) {
  int open = 0, most = 0;
  for (const auto& e : events) {
    if (!counts(e)) continue;
    if (e.name == "CONNECT") most = std::max(most, ++open);
    if (e.name == "CLOSE") --open;
  }
  return most;
}

}  // namespace

TEST_CASE("100 domains behind two providers: every domain and provider limit holds on the wire",
          "[smtp][shaping-wire]") {
  TempDir dir;
  int port = testing::UnusedLocalPort();
  std::vector<std::string> args = {"--port", std::to_string(port), "--log", dir.File("smtp.log")};
  std::vector<std::string> records;
  for (int d = 0; d < kDomains; ++d) {
    args.push_back("--host");
    args.push_back(Address(d));
    std::string domain = "d" + std::to_string(d) + ".test";
    std::string mx = d < kMicrosoftDomains
                         ? "d" + std::to_string(d) + "-test.mail.protection.outlook.com"
                         : "mx" + std::to_string(d) + ".pphosted.com";
    records.push_back(domain + " MX 10 " + mx);
    records.push_back(mx + " A " + Address(d));
  }
  ScriptedSmtpServer server(args);
  testing::ScriptedDnsServer dns(records);

  std::vector<smtp::OutgoingMessage> messages;
  for (int i = 0; i < kPerDomain; ++i) {
    for (int d = 0; d < kDomains; ++d) {
      smtp::OutgoingMessage m;
      m.id = static_cast<std::int64_t>(messages.size()) + 1;
      m.sender = "campaigns@sender.test";
      m.recipient = "c" + std::to_string(i) + "@d" + std::to_string(d) + ".test";
      m.domain = "d" + std::to_string(d) + ".test";
      m.data = "Subject: shaping\r\n\r\nHello.\r\n";
      m.queued_at = kNow;
      messages.push_back(m);
    }
  }
  ListOutbox outbox(messages);

  smtp::DeliveryEngineOptions options;
  options.session.helo_name = "sender.test";
  options.session.tls = smtp::TlsPolicy::kNone;
  options.dns.nameserver = dns.nameserver();
  options.mx_port = port;
  options.domain_limits.max_connections = 1;
  options.domain_limits.max_messages_per_connection = 2;
  options.domain_limits.per_minute = 60;  // one a second after a burst of 2
  options.domain_limits.burst = 2;
  options.domain_limits.per_hour.reset();
  smtp::ShapingLimits microsoft = options.domain_limits;
  microsoft.max_connections = 4;
  microsoft.per_minute = 1200;  // 20 a second after a burst of 5
  microsoft.burst = 5;
  smtp::ShapingLimits proofpoint = microsoft;
  proofpoint.max_connections = 3;
  proofpoint.per_minute = 900;  // 15 a second
  options.provider_overrides["microsoft"] = microsoft;
  options.provider_overrides["proofpoint"] = proofpoint;
  base::FixedClock clock(kNow);
  smtp::DeliveryEngine engine(options, outbox, clock);

  auto start = std::chrono::steady_clock::now();
  auto stats = engine.Run(true);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("run took " << seconds << " s");
  REQUIRE(stats.delivered == kDomains * kPerDomain);
  CHECK(outbox.released == 0);

  auto events = server.ReadLogUntil([](const auto& events) {
    int delivered = 0;
    for (const auto& e : events) delivered += e.name == "DELIVERED";
    return delivered == kDomains * kPerDomain;
  });

  // Which domain and provider each event belongs to: the address it came in on.
  auto domain_of = [&](const ScriptedSmtpServer::Event& e) {
    std::string address = e.via.substr(0, e.via.rfind(':'));
    return std::stoi(address.substr(address.rfind('.') + 1)) - 2;
  };
  std::map<int, std::vector<double>> by_domain;
  std::vector<double> microsoft_times, proofpoint_times;
  std::map<int, int> per_connection;
  for (const auto& e : events) {
    if (e.name != "DELIVERED") continue;
    int d = domain_of(e);
    by_domain[d].push_back(e.time);
    (d < kMicrosoftDomains ? microsoft_times : proofpoint_times).push_back(e.time);
    ++per_connection[e.conn];
  }
  REQUIRE(by_domain.size() == static_cast<std::size_t>(kDomains));

  // Rates, with 0.25 s of slack for the time between the engine's start and the
  // server's log line.
  const double kSlack = 0.25;
  double worst_domain = -1e9;
  for (auto& [d, times] : by_domain) {
    CHECK(times.size() == static_cast<std::size_t>(kPerDomain));
    worst_domain = std::max(worst_domain, WorstExcess(times, 1.0, 2) - kSlack * 1.0);
  }
  CHECK(worst_domain <= 0);
  CHECK(WorstExcess(microsoft_times, 20.0, 5) - kSlack * 20.0 <= 0);
  CHECK(WorstExcess(proofpoint_times, 15.0, 5) - kSlack * 15.0 <= 0);
  // The provider budget was the limit, not something else: 180 messages at 20/s.
  CHECK(seconds >= (kMicrosoftDomains * kPerDomain - 5) / 20.0 - 1.0);

  // Sessions: at most 2 messages each, 1 per domain at a time, 4 and 3 per provider.
  for (auto& [conn, n] : per_connection) CHECK(n <= 2);
  for (int d = 0; d < kDomains; ++d) {
    INFO("domain " << d);
    CHECK(MostOpenAtOnce(events, [&](const auto& e) { return domain_of(e) == d; }) <= 1);
  }
  CHECK(MostOpenAtOnce(events, [&](const auto& e) { return domain_of(e) < kMicrosoftDomains; }) <=
        4);
  CHECK(MostOpenAtOnce(events, [&](const auto& e) { return domain_of(e) >= kMicrosoftDomains; }) <=
        3);
}
