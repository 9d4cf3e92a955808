#include "b2bmail/smtp/smtp_client.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

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

smtp::SmtpClientOptions ClientFor(int port) {
  smtp::SmtpClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.helo_name = "client.test";
  options.connect_timeout = 2s;
  options.command_timeout = 400ms;
  options.data_timeout = 400ms;
  return options;
}

constexpr const char* kMessage = "Subject: test\r\n\r\nHello.\r\n";

}  // namespace

TEST_CASE(
    "SmtpClient delivers several messages over one connection and the sink stores them "
    "byte for byte",
    "[smtp]") {
  TempDir dir;
  smtp::SinkOptions sink_options;
  sink_options.maildir = dir.File("Maildir");
  smtp::SinkServer sink(sink_options);
  sink.Start();
  smtp::SmtpClient client(ClientFor(sink.port()));

  const std::string dotted = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n";
  const std::string unterminated = "Subject: no final newline\r\n\r\nlast line";
  const std::string utf8 =
      "Subject: Grüße aus Köln — ünïcödé\r\nFrom: Zoë <zoe@sender.test>\r\n\r\n"
      "Straße, 東京, emoji 🚀\r\n";
  const std::string bare_lf = "Subject: unix\n\nline one\nline two\n";

  for (auto [rcpt, data] :
       {std::pair{"dots@example.com", dotted}, std::pair{"open@example.com", unterminated},
        std::pair{"utf8@example.com", utf8}, std::pair{"unix@example.com", bare_lf}}) {
    auto outcome = client.Send("sender@sender.test", rcpt, data);
    INFO(outcome.text);
    CHECK(outcome.status == DeliveryStatus::kDelivered);
    CHECK(outcome.reply_code == 250);
    CHECK(outcome.enhanced == "2.0.0");
  }
  CHECK(client.connected());
  CHECK(client.transactions_on_connection() == 4);
  client.Quit();
  CHECK_FALSE(client.connected());
  sink.Stop();

  CHECK(sink.connections_accepted() == 1);
  CHECK(sink.messages_received() == 4);
  auto files = testing::MaildirByRecipient(dir.path() / "Maildir");
  REQUIRE(files.size() == 4);
  auto stored = [&](const std::string& rcpt) {
    return "Return-Path: <sender@sender.test>\r\nDelivered-To: <" + rcpt + ">\r\n";
  };
  CHECK(files.find("<dots@example.com>")->second == stored("dots@example.com") + dotted);
  CHECK(files.find("<open@example.com>")->second ==
        stored("open@example.com") + unterminated + "\r\n");
  CHECK(files.find("<utf8@example.com>")->second == stored("utf8@example.com") + utf8);
  CHECK(files.find("<unix@example.com>")->second ==
        stored("unix@example.com") + "Subject: unix\r\n\r\nline one\r\nline two\r\n");
}

TEST_CASE("SmtpClient reopens a session the server closed while it was idle", "[smtp]") {
  TempDir dir;
  smtp::SinkOptions sink_options;
  sink_options.maildir = dir.File("Maildir");
  sink_options.idle_timeout = 150ms;
  smtp::SinkServer sink(sink_options);
  sink.Start();
  smtp::SmtpClient client(ClientFor(sink.port()));
  CHECK(client.Send("s@x.test", "one@example.com", kMessage).status == DeliveryStatus::kDelivered);
  std::this_thread::sleep_for(400ms);
  auto outcome = client.Send("s@x.test", "two@example.com", kMessage);
  INFO(outcome.text);
  CHECK(outcome.status == DeliveryStatus::kDelivered);
  CHECK(sink.connections_accepted() == 2);
  CHECK(sink.messages_received() == 2);
}

TEST_CASE(
    "SmtpClient reports 450 on RCPT as temporary and goes on after RSET on the same "
    "connection",
    "[smtp]") {
  ScriptedSmtpServer server;
  smtp::SmtpClient client(ClientFor(server.port()));
  auto outcome = client.Send("s@x.test", "rcpt450@example.com", kMessage);
  CHECK(outcome.status == DeliveryStatus::kTemporary);
  CHECK(outcome.reply_code == 450);
  CHECK(outcome.enhanced == "4.2.1");
  CHECK(outcome.text == "450 4.2.1 Mailbox busy, try again later");
  CHECK(client.connected());

  auto next = client.Send("s@x.test", "ok@example.com", kMessage);
  INFO(next.text);
  CHECK(next.status == DeliveryStatus::kDelivered);
  CHECK(client.transactions_on_connection() == 2);  // same session, no reconnect
}

TEST_CASE("SmtpClient reports 550 5.1.1 on RCPT as permanent", "[smtp]") {
  ScriptedSmtpServer server;
  smtp::SmtpClient client(ClientFor(server.port()));
  auto outcome = client.Send("s@x.test", "rcpt550@example.com", kMessage);
  CHECK(outcome.status == DeliveryStatus::kPermanent);
  CHECK(outcome.reply_code == 550);
  CHECK(outcome.enhanced == "5.1.1");
  CHECK(client.connected());
  CHECK(client.Send("s@x.test", "ok@example.com", kMessage).status == DeliveryStatus::kDelivered);
}

TEST_CASE("SmtpClient reports 554 after DATA as permanent", "[smtp]") {
  ScriptedSmtpServer server;
  smtp::SmtpClient client(ClientFor(server.port()));
  auto outcome = client.Send("s@x.test", "data554@example.com", kMessage);
  CHECK(outcome.status == DeliveryStatus::kPermanent);
  CHECK(outcome.reply_code == 554);
  CHECK(outcome.enhanced == "5.7.1");
  CHECK(client.Send("s@x.test", "ok@example.com", kMessage).status == DeliveryStatus::kDelivered);
}

TEST_CASE(
    "SmtpClient reports a connection dropped during DATA as temporary and reconnects for "
    "the next message",
    "[smtp]") {
  ScriptedSmtpServer server;
  smtp::SmtpClient client(ClientFor(server.port()));
  auto outcome = client.Send("s@x.test", "dropdata@example.com", kMessage);
  INFO(outcome.text);
  CHECK(outcome.status == DeliveryStatus::kTemporary);
  CHECK(outcome.reply_code == 0);
  CHECK(outcome.enhanced.empty());
  CHECK((outcome.text.rfind("end of data: ", 0) == 0 ||
         outcome.text.rfind("message data: ", 0) == 0));
  CHECK_FALSE(client.connected());

  auto next = client.Send("s@x.test", "ok@example.com", kMessage);
  CHECK(next.status == DeliveryStatus::kDelivered);
  CHECK(client.transactions_on_connection() == 1);
}

TEST_CASE(
    "SmtpClient gives up on a server that stalls past the timeouts with a temporary "
    "outcome",
    "[smtp]") {
  ScriptedSmtpServer server({"--stall", "3"});
  smtp::SmtpClient client(ClientFor(server.port()));

  auto start = std::chrono::steady_clock::now();
  auto rcpt = client.Send("s@x.test", "stallrcpt@example.com", kMessage);
  CHECK(rcpt.status == DeliveryStatus::kTemporary);
  CHECK(rcpt.reply_code == 0);
  CHECK(rcpt.text ==
        "RCPT TO: timed out after 400 ms (127.0.0.1:" + std::to_string(server.port()) + ")");
  CHECK_FALSE(client.connected());

  auto data = client.Send("s@x.test", "stalldata@example.com", kMessage);
  CHECK(data.status == DeliveryStatus::kTemporary);
  CHECK(data.reply_code == 0);
  CHECK(data.text.rfind("end of data: timed out after 400 ms", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start < 2500ms);
}

TEST_CASE("SmtpClient reports a 421 greeting as temporary and a 554 greeting as permanent",
          "[smtp]") {
  {
    ScriptedSmtpServer server({"--greeting", "421 4.3.2 Too busy, come back later"});
    smtp::SmtpClient client(ClientFor(server.port()));
    auto outcome = client.Send("s@x.test", "ok@example.com", kMessage);
    CHECK(outcome.status == DeliveryStatus::kTemporary);
    CHECK(outcome.reply_code == 421);
    CHECK(outcome.enhanced == "4.3.2");
    CHECK_FALSE(client.connected());
  }
  {
    ScriptedSmtpServer server({"--greeting", "554 5.7.1 No SMTP service for you"});
    smtp::SmtpClient client(ClientFor(server.port()));
    auto outcome = client.Send("s@x.test", "ok@example.com", kMessage);
    CHECK(outcome.status == DeliveryStatus::kPermanent);
    CHECK(outcome.reply_code == 554);
    CHECK(outcome.enhanced == "5.7.1");
    CHECK_FALSE(client.connected());
  }
}

TEST_CASE("SmtpClient falls back to HELO when the server refuses EHLO", "[smtp]") {
  ScriptedSmtpServer server({"--no-ehlo"});
  smtp::SmtpClient client(ClientFor(server.port()));
  auto outcome = client.Send("s@x.test", "ok@example.com", kMessage);
  INFO(outcome.text);
  CHECK(outcome.status == DeliveryStatus::kDelivered);
  CHECK(outcome.reply_code == 250);
}

TEST_CASE("SmtpClient reports a refused connection as temporary", "[smtp]") {
  int port = testing::UnusedLocalPort();
  smtp::SmtpClient client(ClientFor(port));
  auto outcome = client.Send("s@x.test", "ok@example.com", kMessage);
  INFO(outcome.text);
  CHECK(outcome.status == DeliveryStatus::kTemporary);
  CHECK(outcome.reply_code == 0);
  CHECK(outcome.text.rfind("connect: ", 0) == 0);
  CHECK(outcome.text.find("refused") != std::string::npos);
  CHECK_FALSE(client.connected());
}

TEST_CASE("SmtpClient refuses envelope addresses that could inject commands without connecting",
          "[smtp]") {
  int port = testing::UnusedLocalPort();
  smtp::SmtpClient client(ClientFor(port));
  for (const char* rcpt : {"a@x.test>\r\nRCPT TO:<b@x.test", "a@x.test\n", ""}) {
    auto outcome = client.Send("s@x.test", rcpt, kMessage);
    CHECK(outcome.status == DeliveryStatus::kPermanent);
    CHECK(outcome.reply_code == 0);
    CHECK(outcome.text.rfind("invalid envelope recipient address", 0) == 0);
  }
  CHECK_FALSE(client.connected());
}
