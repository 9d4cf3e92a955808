// The failure-matrix server other tests rely on (tests/support/scripted_smtp_server.py),
// driven with raw lines: each scripted recipient, each mode, the listeners and the log.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "support/line_client.h"
#include "support/run_command.h"
#include "support/scripted_smtp_server.h"
#include "support/temp_dir.h"

using namespace std::chrono_literals;
using b2bmail::testing::LineClient;
using b2bmail::testing::RunCommand;
using b2bmail::testing::ScriptedSmtpServer;
using b2bmail::testing::ShellQuote;
using b2bmail::testing::TempDir;
using Event = ScriptedSmtpServer::Event;

namespace {

// Reads the greeting and sends EHLO; returns the EHLO reply.
std::string Hello(LineClient& client) {
  CHECK(client.ReadReply().rfind("220 ", 0) == 0);
  client.Send("EHLO client.test\r\n");
  return client.ReadReply();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> Names(const std::vector<Event>& events, int conn) {
  std::vector<std::string> names;
  for (const auto& e : events) {
    if (e.conn == conn) names.push_back(e.name);
  }
  return names;
}

bool Closed(const std::vector<Event>& events, int connections) {
  int closes = 0;
  for (const auto& e : events) closes += e.name == "CLOSE";
  return closes >= connections;
}

// 22 bytes; the log counts the message as received, dot-unstuffed, without the final ".".
const std::string kMessage = "Subject: t\r\n\r\nHello.\r\n";
const std::string kMessageSize = std::to_string(kMessage.size());

const std::string kRateLimit =
    "450-4.7.28 [127.0.0.1] Our system has detected an unusual rate of\n"
    "450-4.7.28 unsolicited mail originating from your IP address. To protect our\n"
    "450-4.7.28 users from spam, mail sent from your IP address has been temporarily\n"
    "450-4.7.28 rate limited. For more information, go to\n"
    "450-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to\n"
    "450 4.7.28 review our Bulk Email Senders Guidelines. scripted - gsmtp";

}  // namespace

TEST_CASE(
    "the scripted server advertises PIPELINING, answers a pipelined group in order and "
    "logs each step",
    "[smtp][scripted]") {
  TempDir dir;
  ScriptedSmtpServer server({"--log", dir.File("events.log")});
  REQUIRE(server.listeners().size() == 1);
  CHECK(server.host() == "127.0.0.1");

  LineClient client(server.port());
  std::string ehlo = Hello(client);
  CHECK(Has(ehlo, "250-PIPELINING"));
  CHECK_FALSE(Has(ehlo, "AUTH"));
  CHECK_FALSE(Has(ehlo, "STARTTLS"));

  // One write: the envelope with every RCPT-stage failure, then DATA.
  client.Send(
      "MAIL FROM:<s@x.test>\r\nRCPT TO:<ok@x.test>\r\nRCPT TO:<rcpt450@x.test>\r\n"
      "RCPT TO:<rcpt451@x.test>\r\nRCPT TO:<rcpt452@x.test>\r\nRCPT TO:<rcpt550@x.test>\r\n"
      "RCPT TO:<rcptratelimit@x.test>\r\nRCPT TO:<two@x.test>\r\nDATA\r\n");
  CHECK(client.ReadReply() == "250 OK");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "450 4.2.1 Mailbox busy, try again later");
  CHECK(client.ReadReply() == "451 4.3.0 Temporary local problem");
  CHECK(client.ReadReply() == "452 4.5.3 Too many recipients");
  CHECK(client.ReadReply() == "550 5.1.1 No such user");
  CHECK(client.ReadReply() == kRateLimit);
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");

  // The end of one message and the next envelope in one write.
  client.Send(kMessage + ".\r\nMAIL FROM:<>\r\nRCPT TO:<rcpt552@x.test>\r\nDATA\r\n");
  CHECK(client.ReadReply() == "250 2.0.0 Ok");
  CHECK(client.ReadReply() == "250 OK");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
  client.Send("Hi.\r\n.\r\nRSET\r\nMAIL FROM:<s@x.test>\r\nRCPT TO:<data451@x.test>\r\nDATA\r\n");
  CHECK(client.ReadReply() == "552 5.2.2 Mailbox full");
  CHECK(client.ReadReply() == "250 OK");
  CHECK(client.ReadReply() == "250 OK");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
  client.Send("Hi.\r\n.\r\nQUIT\r\n");
  CHECK(client.ReadReply() == "451 4.3.0 Try again later");
  CHECK(client.ReadReply() == "221 Bye");
  CHECK(client.ClosedByPeer());

  auto events = server.ReadLogUntil([](const auto& e) { return Closed(e, 1); });
  CHECK(Names(events, 1) ==
        std::vector<std::string>{"CONNECT",   "GREETING", "MAIL", "RCPT", "RCPT", "RCPT",
                                 "RCPT",      "RCPT",     "RCPT", "RCPT", "DATA", "DELIVERED",
                                 "DELIVERED", "MAIL",     "RCPT", "DATA", "MAIL", "RCPT",
                                 "DATA",      "QUIT",     "CLOSE"});
  REQUIRE(events.size() == 21);
  for (const auto& e : events) {
    CHECK(e.client_ip == "127.0.0.1");
    CHECK(e.via == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(e.time > 1.6e9);
  }
  CHECK(events[2].args == std::vector<std::string>{"s@x.test"});
  CHECK(events[4].args == std::vector<std::string>{"rcpt450@x.test", "450"});
  CHECK(events[8].args == std::vector<std::string>{"rcptratelimit@x.test", "450"});
  CHECK(events[10].args == std::vector<std::string>{"250", kMessageSize});
  CHECK(events[11].args == std::vector<std::string>{"ok@x.test", kMessageSize});
  CHECK(events[12].args == std::vector<std::string>{"two@x.test", kMessageSize});
  CHECK(events[13].args == std::vector<std::string>{"<>"});
  CHECK(events[15].args == std::vector<std::string>{"552", "5"});
  CHECK(events[18].args == std::vector<std::string>{"451", "5"});
  for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i].time >= events[i - 1].time);
}

TEST_CASE(
    "the scripted server hangs up after 421 on RCPT and without a reply for dropdot, "
    "ignoring what the client pipelined after",
    "[smtp][scripted]") {
  TempDir dir;
  ScriptedSmtpServer server({"--log", dir.File("events.log")});
  {
    LineClient client(server.port());
    Hello(client);
    client.Send(
        "MAIL FROM:<s@x.test>\r\nRCPT TO:<rcpt421@x.test>\r\nRCPT TO:<ok@x.test>\r\nDATA\r\n");
    CHECK(client.ReadReply() == "250 OK");
    CHECK(client.ReadReply() == "421 4.7.0 Too many connections, try again later");
    CHECK(client.ClosedByPeer());
  }
  {
    LineClient client(server.port());
    Hello(client);
    client.Send("MAIL FROM:<s@x.test>\r\nRCPT TO:<dropdot@x.test>\r\nDATA\r\n");
    CHECK(client.ReadReply() == "250 OK");
    CHECK(client.ReadReply() == "250 2.1.5 Ok");
    CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
    client.Send(kMessage + ".\r\nQUIT\r\n");
    CHECK(client.ClosedByPeer());
  }
  auto events = server.ReadLogUntil([](const auto& e) { return Closed(e, 2); });
  CHECK(Names(events, 1) ==
        std::vector<std::string>{"CONNECT", "GREETING", "MAIL", "RCPT", "CLOSE"});
  CHECK(Names(events, 2) ==
        std::vector<std::string>{"CONNECT", "GREETING", "MAIL", "RCPT", "DATA", "CLOSE"});
  for (const auto& e : events) {
    if (e.name == "DATA") CHECK(e.args == std::vector<std::string>{"drop", kMessageSize});
  }
}

TEST_CASE("--no-pipelining and --max-message-size change EHLO, MAIL SIZE= and the final dot",
          "[smtp][scripted]") {
  ScriptedSmtpServer server({"--no-pipelining", "--max-message-size", "100"});
  LineClient client(server.port());
  std::string ehlo = Hello(client);
  CHECK_FALSE(Has(ehlo, "PIPELINING"));
  CHECK(Has(ehlo, "250-SIZE 100\n"));

  client.Send("MAIL FROM:<s@x.test> SIZE=101\r\n");
  CHECK(client.ReadReply() == "552 5.3.4 Message size exceeds fixed maximum message size");
  client.Send("MAIL FROM:<s@x.test> SIZE=100\r\n");
  CHECK(client.ReadReply() == "250 OK");
  client.Send("RCPT TO:<ok@x.test>\r\n");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  client.Send("DATA\r\n");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
  client.Send(std::string(150, 'x') + "\r\n.\r\n");
  CHECK(client.ReadReply() == "552 5.3.4 Message too big for system");
  // Still usable; a message of exactly 100 bytes on the wire passes.
  client.Send("MAIL FROM:<s@x.test>\r\n");
  CHECK(client.ReadReply() == "250 OK");
  client.Send("RCPT TO:<ok@x.test>\r\n");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  client.Send("DATA\r\n");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
  client.Send(std::string(98, 'x') + "\r\n.\r\n");
  CHECK(client.ReadReply() == "250 2.0.0 Ok");
}

TEST_CASE(
    "--auth refuses MAIL until AUTH PLAIN or LOGIN succeeds, and --stall-greeting delays "
    "the 220",
    "[smtp][scripted]") {
  TempDir dir;
  ScriptedSmtpServer server(
      {"--auth", "alice:s3cret", "--stall-greeting", "0.4", "--log", dir.File("events.log")});
  auto start = std::chrono::steady_clock::now();
  LineClient client(server.port());
  CHECK(client.ReadReply().rfind("220 ", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start >= 350ms);
  client.Send("EHLO client.test\r\n");
  CHECK(Has(client.ReadReply(), "250-AUTH LOGIN PLAIN\n"));

  client.Send("MAIL FROM:<s@x.test>\r\n");
  CHECK(client.ReadReply() == "530 5.7.0 Authentication required");
  client.Send("AUTH PLAIN AGFsaWNlAHdyb25n\r\n");  // \0alice\0wrong
  CHECK(client.ReadReply() == "535 5.7.8 Authentication credentials invalid");
  client.Send("AUTH LOGIN YWxpY2U=\r\n");  // alice
  CHECK(client.ReadReply() == "334 UGFzc3dvcmQA");
  client.Send("czNjcmV0\r\n");  // s3cret
  CHECK(client.ReadReply() == "235 2.7.0 Authentication successful");
  client.Send("MAIL FROM:<s@x.test>\r\n");
  CHECK(client.ReadReply() == "250 OK");

  auto events = server.ReadLogUntil([](const auto& e) { return e.size() >= 5; });
  REQUIRE(events.size() == 5);
  CHECK(events[1].name == "GREETING");
  CHECK(events[1].time - events[0].time >= 0.35);
  CHECK(events[2].name == "AUTH");
  CHECK(events[2].args == std::vector<std::string>{"alice", "failed"});
  CHECK(events[3].args == std::vector<std::string>{"alice", "ok"});
}

TEST_CASE(
    "--starttls with --require-tls refuses MAIL before STARTTLS, and a TLS client "
    "authenticates and delivers after it",
    "[smtp][scripted]") {
  TempDir dir;
  auto cert = ScriptedSmtpServer::MakeTestCertificate(dir);
  ScriptedSmtpServer server({"--starttls", cert.cert, cert.key, "--require-tls", "--auth",
                             "alice:s3cret", "--log", dir.File("events.log")});
  {
    LineClient client(server.port());
    std::string ehlo = Hello(client);
    CHECK(Has(ehlo, "250-STARTTLS\n"));
    client.Send("MAIL FROM:<s@x.test>\r\n");
    CHECK(client.ReadReply() == "530 5.7.0 Must issue a STARTTLS command first");
    client.Send("HELO client.test\r\n");
    CHECK(client.ReadReply() == "530 5.7.0 Must issue a STARTTLS command first");
    client.Send("QUIT\r\n");
    CHECK(client.ReadReply() == "221 Bye");
  }

  // Python's smtplib does the TLS part; it checks the certificate against cert.pem.
  std::string script = dir.Write("client.py", R"(import smtplib, ssl, sys
s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=5)
s.starttls(context=ssl.create_default_context(cafile=sys.argv[3]))
s.ehlo()
print("tls-ehlo", "starttls" in s.esmtp_features, "auth" in s.esmtp_features)
s.login("alice", "s3cret")
print("refused", s.sendmail("s@x.test", ["ok@x.test", "rcpt550@x.test"], "Subject: t\r\n\r\nHi.\r\n"))
s.quit()
)");
  auto result = RunCommand("/usr/bin/python3 " + ShellQuote(script) + " 127.0.0.1 " +
                           std::to_string(server.port()) + " " + ShellQuote(cert.cert));
  CHECK(result.exit_code == 0);
  CHECK(result.output ==
        "tls-ehlo False True\nrefused {'rcpt550@x.test': (550, b'5.1.1 No such user')}\n");

  auto events = server.ReadLogUntil([](const auto& e) { return Closed(e, 2); });
  auto names = Names(events, 2);
  CHECK(names == std::vector<std::string>{"CONNECT", "GREETING", "STARTTLS", "AUTH", "MAIL", "RCPT",
                                          "RCPT", "DATA", "DELIVERED", "QUIT", "CLOSE"});
  for (const auto& e : events) {
    if (e.name == "STARTTLS") CHECK(e.args.at(0).rfind("TLSv1.", 0) == 0);
  }
}

TEST_CASE("--listen serves several loopback addresses from one process and logs which",
          "[smtp][scripted]") {
  TempDir dir;
  ScriptedSmtpServer server(
      {"--listen", "127.0.0.2:0,127.0.0.3:0", "--log", dir.File("events.log")});
  REQUIRE(server.listeners().size() == 2);
  CHECK(server.listeners()[0].host == "127.0.0.2");
  CHECK(server.listeners()[1].host == "127.0.0.3");
  CHECK(server.port() == server.listeners()[0].port);

  for (const auto& listener : server.listeners()) {
    LineClient client(listener.host, listener.port);
    Hello(client);
    client.Send("MAIL FROM:<s@x.test>\r\nRCPT TO:<ok@" + listener.host + ">\r\nDATA\r\n");
    CHECK(client.ReadReply() == "250 OK");
    CHECK(client.ReadReply() == "250 2.1.5 Ok");
    CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");
    client.Send("Hi.\r\n.\r\nQUIT\r\n");
    CHECK(client.ReadReply() == "250 2.0.0 Ok");
    CHECK(client.ReadReply() == "221 Bye");
  }
  auto events = server.ReadLogUntil([](const auto& e) { return Closed(e, 2); });
  std::vector<std::string> delivered;
  for (const auto& e : events) {
    if (e.name == "DELIVERED") delivered.push_back(e.args.at(0) + " via " + e.via);
  }
  CHECK(delivered ==
        std::vector<std::string>{
            "ok@127.0.0.2 via 127.0.0.2:" + std::to_string(server.listeners()[0].port),
            "ok@127.0.0.3 via 127.0.0.3:" + std::to_string(server.listeners()[1].port)});
}
