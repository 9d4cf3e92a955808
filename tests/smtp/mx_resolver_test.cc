// MxResolver against a real DNS server on loopback (tests/support/dns_server.py) through
// the system resolver library; the server's query log tells cache hits from lookups.
#include "b2bmail/smtp/mx_resolver.h"

#include <arpa/nameser.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "b2bmail/base/error.h"
#include "support/scripted_dns_server.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using smtp::MxAnswer;
using smtp::MxResolver;
using smtp::MxResolverOptions;
using testing::ScriptedDnsServer;
using Outcome = MxAnswer::Outcome;
using Queries = std::vector<std::string>;

namespace {

const base::TimePoint kNow{std::chrono::seconds{1'700'000'000}};

MxResolverOptions OptionsFor(const ScriptedDnsServer& server) {
  MxResolverOptions options;
  options.nameserver = server.nameserver();
  options.timeout_seconds = 2;
  options.attempts = 2;
  return options;
}

// "name preference address address; ..." so that a failed CHECK shows the hosts.
std::string Hosts(const MxAnswer& answer) {
  std::string out;
  for (const smtp::MxHost& host : answer.hosts) {
    if (!out.empty()) out += "; ";
    out += host.name + " " + std::to_string(host.preference);
    for (const std::string& address : host.addresses) out += " " + address;
  }
  return out;
}

}  // namespace

TEST_CASE("MX hosts come sorted by preference with addresses from the additional section",
          "[smtp][mx]") {
  ScriptedDnsServer server({"lumetra.test MX 20 mx2.lumetra.test",
                            "lumetra.test MX 10 mx1.lumetra.test", "mx1.lumetra.test A 127.0.0.2",
                            "mx1.lumetra.test A 127.0.0.3", "mx1.lumetra.test AAAA ::2",
                            "mx2.lumetra.test AAAA ::4", "mx2.lumetra.test A 127.0.0.4"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);

  MxAnswer answer = resolver.Resolve("lumetra.test");
  REQUIRE(answer.outcome == Outcome::kFound);
  CHECK_FALSE(answer.implicit_mx);
  CHECK(answer.detail.empty());
  // IPv4 first even where the AAAA record came first.
  CHECK(Hosts(answer) ==
        "mx1.lumetra.test 10 127.0.0.2 127.0.0.3 ::2; mx2.lumetra.test 20 127.0.0.4 ::4");
  // Everything came with the MX answer: one query.
  CHECK(server.Queries() == Queries{"lumetra.test MX"});
}

TEST_CASE("MX host addresses missing from the additional section are queried", "[smtp][mx]") {
  SECTION("no additional section at all") {
    ScriptedDnsServer server({"lumetra.test MX 20 mx2.lumetra.test",
                              "lumetra.test MX 10 mx1.lumetra.test", "mx1.lumetra.test A 127.0.0.2",
                              "mx1.lumetra.test AAAA ::2", "mx2.lumetra.test A 127.0.0.4"},
                             {"--no-additional"});
    base::FixedClock clock(kNow);
    MxResolver resolver(OptionsFor(server), clock);
    MxAnswer answer = resolver.Resolve("lumetra.test");
    REQUIRE(answer.outcome == Outcome::kFound);
    CHECK(Hosts(answer) == "mx1.lumetra.test 10 127.0.0.2 ::2; mx2.lumetra.test 20 127.0.0.4");
    CHECK(server.Queries() == Queries{"lumetra.test MX", "mx1.lumetra.test A",
                                      "mx1.lumetra.test AAAA", "mx2.lumetra.test A",
                                      "mx2.lumetra.test AAAA"});
  }
  SECTION("only the hosts and families the additional section lacks") {
    // mx1 has no AAAA record, mx2 lives in another zone the server does not glue.
    ScriptedDnsServer server({"lumetra.test MX 10 mx1.lumetra.test",
                              "lumetra.test MX 20 relay.partner.test",
                              "mx1.lumetra.test A 127.0.0.2"});
    base::FixedClock clock(kNow);
    MxResolver resolver(OptionsFor(server), clock);
    MxAnswer answer = resolver.Resolve("lumetra.test");
    REQUIRE(answer.outcome == Outcome::kFound);
    // relay.partner.test does not exist: it is dropped, the other host stays.
    CHECK(Hosts(answer) == "mx1.lumetra.test 10 127.0.0.2");
    CHECK(server.Queries() == Queries{"lumetra.test MX", "mx1.lumetra.test AAAA",
                                      "relay.partner.test A", "relay.partner.test AAAA"});
  }
}

TEST_CASE("equal preferences keep the server's order and a host listed twice counts once",
          "[smtp][mx]") {
  ScriptedDnsServer server({"lumetra.test MX 10 b.lumetra.test", "lumetra.test MX 5 c.lumetra.test",
                            "lumetra.test MX 10 a.lumetra.test",
                            "lumetra.test MX 30 c.lumetra.test", "a.lumetra.test A 127.0.0.1",
                            "b.lumetra.test A 127.0.0.2", "c.lumetra.test A 127.0.0.3"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);
  CHECK(Hosts(resolver.Resolve("lumetra.test")) ==
        "c.lumetra.test 5 127.0.0.3; b.lumetra.test 10 127.0.0.2; a.lumetra.test 10 127.0.0.1");
}

TEST_CASE("an answer too large for UDP is fetched again over TCP", "[smtp][mx]") {
  std::vector<std::string> records;
  std::string expected;
  for (int i = 10; i < 40; ++i) {
    std::string host = "mail-exchanger-" + std::to_string(i) + ".lumetra.test";
    records.push_back("lumetra.test MX " + std::to_string(i) + " " + host);
    records.push_back(host + " A 127.0.1." + std::to_string(i));
    if (!expected.empty()) expected += "; ";
    expected += host + " " + std::to_string(i) + " 127.0.1." + std::to_string(i);
  }
  ScriptedDnsServer server(records);
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);
  MxAnswer answer = resolver.Resolve("lumetra.test");
  REQUIRE(answer.outcome == Outcome::kFound);
  CHECK(Hosts(answer) == expected);
  // Truncated over UDP, asked again over TCP, where the additional section fits: only
  // the AAAA records (there are none) were queried one by one.
  Queries queries = server.Queries();
  REQUIRE(queries.size() == 2 + 30);
  CHECK(queries[0] == "lumetra.test MX");
  CHECK(queries[1] == "lumetra.test MX");
  CHECK(queries[2] == "mail-exchanger-10.lumetra.test AAAA");
}

TEST_CASE("a domain without MX records is its own mail host (implicit MX)", "[smtp][mx]") {
  ScriptedDnsServer server(
      {"plain.test A 127.0.0.5", "plain.test AAAA ::5", "txt-only.test TXT v=spf1 -all"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);

  MxAnswer answer = resolver.Resolve("plain.test");
  REQUIRE(answer.outcome == Outcome::kFound);
  CHECK(answer.implicit_mx);
  CHECK(Hosts(answer) == "plain.test 0 127.0.0.5 ::5");
  CHECK(server.Queries() == Queries{"plain.test MX", "plain.test A", "plain.test AAAA"});

  MxAnswer nothing = resolver.Resolve("txt-only.test");
  CHECK(nothing.outcome == Outcome::kNoMailHosts);
  CHECK_FALSE(smtp::IsPermanent(nothing.outcome));
  CHECK(nothing.hosts.empty());
  CHECK(nothing.detail == "txt-only.test has no MX record and no A/AAAA address");
  CHECK(nothing.expires == kNow + 5min);
}

TEST_CASE("a null MX means the domain takes no mail", "[smtp][mx]") {
  ScriptedDnsServer server({"nomail.test MX 0 .", "mixed.test MX 0 .",
                            "mixed.test MX 10 mx.mixed.test", "mx.mixed.test A 127.0.0.9",
                            "dotonly.test MX 10 ."});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);

  MxAnswer answer = resolver.Resolve("nomail.test");
  CHECK(answer.outcome == Outcome::kNullMx);
  CHECK(smtp::IsPermanent(answer.outcome));
  CHECK(answer.hosts.empty());
  CHECK(answer.detail == "nomail.test accepts no mail (null MX, RFC 7505)");
  CHECK(answer.expires == kNow + 5min);
  // Against RFC 7505 §3 but seen: a null MX next to real ones is skipped.
  CHECK(Hosts(resolver.Resolve("mixed.test")) == "mx.mixed.test 10 127.0.0.9");
  // A root target of another preference is no null MX, just a host without address.
  MxAnswer dot = resolver.Resolve("dotonly.test");
  CHECK(dot.outcome == Outcome::kNoMailHosts);
  CHECK(dot.detail == "no MX host of dotonly.test has an address (.)");
}

TEST_CASE("NXDOMAIN is permanent and cached for the negative TTL", "[smtp][mx]") {
  ScriptedDnsServer server({"lumetra.test MX 10 mx.lumetra.test"});
  base::FixedClock clock(kNow);
  MxResolverOptions options = OptionsFor(server);
  options.negative_ttl = 10min;
  MxResolver resolver(options, clock);

  MxAnswer answer = resolver.Resolve("missing.test");
  CHECK(answer.outcome == Outcome::kNoSuchDomain);
  CHECK(smtp::IsPermanent(answer.outcome));
  CHECK(answer.detail == "no DNS name missing.test (NXDOMAIN)");
  CHECK(answer.expires == kNow + 10min);
  clock.Advance(10min - 1s);
  CHECK(resolver.Resolve("missing.test").outcome == Outcome::kNoSuchDomain);
  CHECK(server.Queries() == Queries{"missing.test MX"});
  clock.Advance(1s);
  CHECK(resolver.Resolve("missing.test").outcome == Outcome::kNoSuchDomain);
  CHECK(server.Queries() == Queries{"missing.test MX", "missing.test MX"});
}

TEST_CASE("MX hosts without any address: kNoMailHosts, cached for the negative TTL", "[smtp][mx]") {
  ScriptedDnsServer server({"lumetra.test MX 10 mx1.lumetra.test",
                            "lumetra.test MX 20 mx2.nowhere.test",
                            "mx1.lumetra.test TXT not an address"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);
  MxAnswer answer = resolver.Resolve("lumetra.test");
  CHECK(answer.outcome == Outcome::kNoMailHosts);
  CHECK(answer.detail ==
        "no MX host of lumetra.test has an address (mx1.lumetra.test, mx2.nowhere.test)");
  CHECK(answer.expires == kNow + 5min);
  std::size_t queries = server.Queries().size();
  clock.Advance(4min);
  CHECK(resolver.Resolve("lumetra.test").outcome == Outcome::kNoMailHosts);
  CHECK(server.Queries().size() == queries);
}

TEST_CASE("SERVFAIL and timeouts are temporary and never cached", "[smtp][mx]") {
  ScriptedDnsServer server(
      {"broken.test MX 10 servfail.broken.test", "partial.test MX 10 servfail.partial.test",
       "partial.test MX 20 backup.partial.test", "backup.partial.test 3600 A 127.0.0.6"});
  base::FixedClock clock(kNow);
  MxResolverOptions options = OptionsFor(server);
  options.timeout_seconds = 1;
  options.attempts = 1;
  MxResolver resolver(options, clock);

  MxAnswer answer = resolver.Resolve("servfail.test");
  CHECK(answer.outcome == Outcome::kTemporaryFailure);
  CHECK_FALSE(smtp::IsPermanent(answer.outcome));
  CHECK(answer.detail == "DNS lookup of MX servfail.test failed (timeout or SERVFAIL)");
  CHECK(answer.expires == kNow);
  CHECK(resolver.Resolve("servfail.test").outcome == Outcome::kTemporaryFailure);
  CHECK(server.Queries() == Queries{"servfail.test MX", "servfail.test MX"});

  MxAnswer silent = resolver.Resolve("timeout.test");
  CHECK(silent.outcome == Outcome::kTemporaryFailure);
  CHECK(silent.detail == "DNS lookup of MX timeout.test failed (timeout or SERVFAIL)");

  // The only MX host cannot be resolved now: temporary, not "no mail hosts".
  MxAnswer broken = resolver.Resolve("broken.test");
  CHECK(broken.outcome == Outcome::kTemporaryFailure);
  CHECK(broken.detail == "DNS lookup of A servfail.broken.test failed (timeout or SERVFAIL)");

  // The preferred host cannot be resolved now, the backup can: deliver to the backup,
  // but look again after min_ttl rather than the backup's hour.
  MxAnswer partial = resolver.Resolve("partial.test");
  REQUIRE(partial.outcome == Outcome::kFound);
  CHECK(Hosts(partial) == "backup.partial.test 20 127.0.0.6");
  CHECK(partial.expires == kNow + 60s);
}

TEST_CASE("answers are cached for the smallest TTL used until the clock passes it", "[smtp][mx]") {
  ScriptedDnsServer server(
      {"lumetra.test 600 MX 10 mx1.lumetra.test", "lumetra.test 600 MX 20 mx2.lumetra.test",
       "mx1.lumetra.test 900 A 127.0.0.2", "mx1.lumetra.test 900 AAAA ::2",
       "mx2.lumetra.test 120 A 127.0.0.3"},
      {"--no-additional"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);

  MxAnswer first = resolver.Resolve("lumetra.test");
  REQUIRE(first.outcome == Outcome::kFound);
  CHECK(first.expires == kNow + 120s);
  std::size_t queries = server.Queries().size();
  CHECK(queries == 5);

  // Case and a trailing dot name the same cache entry.
  clock.Advance(119s);
  MxAnswer cached = resolver.Resolve("LUMETRA.Test.");
  CHECK(Hosts(cached) == Hosts(first));
  CHECK(cached.expires == first.expires);
  CHECK(server.Queries().size() == queries);

  clock.Advance(1s);
  MxAnswer again = resolver.Resolve("lumetra.test");
  CHECK(Hosts(again) == Hosts(first));
  CHECK(again.expires == kNow + 240s);
  CHECK(server.Queries().size() == 2 * queries);
}

TEST_CASE("cache times are clamped to [min_ttl, max_ttl]", "[smtp][mx]") {
  ScriptedDnsServer server({"short.test 5 MX 10 mx.short.test", "mx.short.test 5 A 127.0.0.2",
                            "long.test 2000000 MX 10 mx.long.test",
                            "mx.long.test 2000000 A 127.0.0.3", "zero.test 0 A 127.0.0.4"});
  base::FixedClock clock(kNow);
  MxResolverOptions options = OptionsFor(server);
  options.min_ttl = 90s;
  options.max_ttl = 12h;
  MxResolver resolver(options, clock);
  CHECK(resolver.Resolve("short.test").expires == kNow + 90s);
  CHECK(resolver.Resolve("long.test").expires == kNow + 12h);
  MxAnswer zero = resolver.Resolve("zero.test");
  CHECK(zero.implicit_mx);
  CHECK(zero.expires == kNow + 90s);
  std::size_t queries = server.Queries().size();
  clock.Advance(89s);
  resolver.Resolve("short.test");
  resolver.Resolve("zero.test");
  CHECK(server.Queries().size() == queries);
}

TEST_CASE("an MX target that is an IPv4 literal is its own address", "[smtp][mx]") {
  ScriptedDnsServer server({"literal.test MX 10 192.0.2.7"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);
  MxAnswer answer = resolver.Resolve("literal.test");
  REQUIRE(answer.outcome == Outcome::kFound);
  CHECK(Hosts(answer) == "192.0.2.7 10 192.0.2.7");
  CHECK(server.Queries() == Queries{"literal.test MX"});
}

TEST_CASE("MxResolver may be called from several threads", "[smtp][mx]") {
  ScriptedDnsServer server({"a.test MX 10 mx.a.test", "mx.a.test A 127.0.0.2",
                            "b.test MX 10 mx.b.test", "mx.b.test A 127.0.0.3"});
  base::FixedClock clock(kNow);
  MxResolver resolver(OptionsFor(server), clock);
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < 4; ++i) {
    results.push_back(std::async(std::launch::async, [&resolver, i] {
      std::string out;
      for (int round = 0; round < 3; ++round) {
        out += Hosts(resolver.Resolve(i % 2 ? "a.test" : "b.test")) + ";";
      }
      return out;
    }));
  }
  for (int i = 0; i < 4; ++i) {
    CHECK(results[static_cast<std::size_t>(i)].get() ==
          (i % 2 ? "mx.a.test 10 127.0.0.2;mx.a.test 10 127.0.0.2;mx.a.test 10 127.0.0.2;"
                 : "mx.b.test 10 127.0.0.3;mx.b.test 10 127.0.0.3;mx.b.test 10 127.0.0.3;"));
  }
}

TEST_CASE("MxResolver rejects a name server that is not IPv4:port; empty domains fail",
          "[smtp][mx]") {
  base::FixedClock clock(kNow);
  MxResolverOptions options;
  options.nameserver = "localhost";
  CHECK_THROWS_AS(MxResolver(options, clock), Error);
  options.nameserver = "127.0.0.1:";
  CHECK_THROWS_AS(MxResolver(options, clock), Error);
  options.nameserver = "127.0.0.1:53";
  MxResolver resolver(options, clock);
  MxAnswer empty = resolver.Resolve(".");
  CHECK(empty.outcome == Outcome::kNoSuchDomain);
  CHECK(empty.detail == "empty domain name");
}

namespace {

// A DNS response message written by hand (RFC 1035 §4.1), for ParseMxResponse.
class MessageWriter {
 public:
  MessageWriter(int answers, int additional) {
    Put16(0x1234);  // id
    Put16(0x8180);  // QR, RD, RA, NOERROR
    Put16(1);
    Put16(static_cast<std::uint16_t>(answers));
    Put16(0);
    Put16(static_cast<std::uint16_t>(additional));
    Name("Lumetra.Test.");
    Put16(ns_t_mx);
    Put16(ns_c_in);
  }
  void Put16(std::uint16_t v) {
    bytes_ += static_cast<char>(v >> 8);
    bytes_ += static_cast<char>(v & 0xff);
  }
  void Put32(std::uint32_t v) {
    Put16(static_cast<std::uint16_t>(v >> 16));
    Put16(static_cast<std::uint16_t>(v & 0xffff));
  }
  void Name(const std::string& dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
      std::size_t dot = dotted.find('.', start);
      if (dot == std::string::npos) dot = dotted.size();
      bytes_ += static_cast<char>(dot - start);
      bytes_ += dotted.substr(start, dot - start);
      start = dot + 1;
    }
    bytes_ += '\0';
  }
  // A record whose owner is the question name (a pointer to offset 12).
  void Record(std::uint16_t type, std::uint32_t ttl, const std::string& rdata) {
    Put16(0xC00C);
    Put16(type);
    Put16(ns_c_in);
    Put32(ttl);
    Put16(static_cast<std::uint16_t>(rdata.size()));
    bytes_ += rdata;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace

TEST_CASE("ParseMxResponse reads MX, A and AAAA records and expands compressed names",
          "[smtp][mx]") {
  MessageWriter message(3, 1);
  // MX 10 "mx1" + pointer to the question name: mx1.lumetra.test.
  message.Record(ns_t_mx, 300, std::string("\0\x0a\x03MX1\xc0\x0c", 8));
  message.Record(ns_t_mx, 0, std::string("\0\0\0", 3));  // null MX
  message.Record(ns_t_a, 60, std::string("\xc0\x00\x02\x01", 4));
  message.Record(ns_t_aaaa, 70,
                 std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + "\x01");
  auto parsed = smtp::ParseMxResponse(message.bytes());
  REQUIRE(parsed.has_value());
  CHECK(parsed->mx == std::vector<smtp::DnsMxRecord>{{10, "mx1.lumetra.test", 300}, {0, ".", 0}});
  CHECK(parsed->addresses ==
        std::vector<smtp::DnsAddressRecord>{{"lumetra.test", "192.0.2.1", false, 60}});
  CHECK(parsed->additional ==
        std::vector<smtp::DnsAddressRecord>{{"lumetra.test", "2001:db8::1", true, 70}});

  CHECK_FALSE(smtp::ParseMxResponse("not a DNS message").has_value());
  // Counts promise more records than the message holds.
  CHECK_FALSE(smtp::ParseMxResponse(MessageWriter(1, 0).bytes()).has_value());
  MessageWriter short_a(1, 0);
  short_a.Record(ns_t_a, 60, "\x01\x02");
  CHECK_FALSE(smtp::ParseMxResponse(short_a.bytes()).has_value());
  MessageWriter bad_pointer(1, 0);
  bad_pointer.Record(ns_t_mx, 60, std::string("\0\x0a\xc0\xff", 4));
  CHECK_FALSE(smtp::ParseMxResponse(bad_pointer.bytes()).has_value());
}
