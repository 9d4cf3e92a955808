#include "b2bmail/smtp/sink_server.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "maildir_contents.h"
#include "support/line_client.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace std::chrono_literals;
using b2bmail::testing::LineClient;
using b2bmail::testing::TempDir;

namespace {

smtp::SinkOptions Options(const TempDir& dir) {
  smtp::SinkOptions options;
  options.maildir = dir.File("Maildir");
  options.hostname = "sink.test";
  return options;
}

}  // namespace

TEST_CASE("the sink answers a pipelined group in order and stores one copy per recipient",
          "[smtp]") {
  TempDir dir;
  smtp::SinkServer sink(Options(dir));
  sink.Start();
  LineClient client(sink.port());
  CHECK(client.ReadReply() == "220 sink.test ESMTP b2bmail sink ready");

  // RFC 2920: the whole group in one write; the replies must come back one per command.
  client.Send(
      "EHLO client.test\r\nMAIL FROM:<a@sender.test> BODY=8BITMIME SIZE=80\r\n"
      "RCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");
  std::string ehlo = client.ReadReply();
  CHECK(ehlo.rfind("250-sink.test\n", 0) == 0);
  for (const char* keyword : {"8BITMIME", "PIPELINING", "SIZE 52428800", "SMTPUTF8"}) {
    CHECK(ehlo.find(keyword) != std::string::npos);
  }
  CHECK(client.ReadReply() == "250 2.1.0 Ok");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "250 2.1.5 Ok");
  CHECK(client.ReadReply() == "354 End data with <CR><LF>.<CR><LF>");

  // A stuffed dot, a bare LF kept as received, and "." + LF that is not the end mark
  // (§4.5.2: its line, ending at the next CRLF, has more characters, so the dot goes).
  client.Send("Subject: hi\r\n\r\n..starts with a dot\r\nbare\nlf\r\n.\nx\r\n.\r\nQUIT\r\n");
  CHECK(client.ReadReply().rfind("250 2.0.0 Ok: queued as ", 0) == 0);
  CHECK(client.ReadReply() == "221 2.0.0 Bye");
  CHECK(client.ClosedByPeer());
  sink.Stop();

  const std::string body = "Subject: hi\r\n\r\n.starts with a dot\r\nbare\nlf\r\n\nx\r\n";
  auto files = testing::MaildirByRecipient(dir.path() / "Maildir");
  REQUIRE(files.size() == 2);
  CHECK(files.find("<b@example.com>")->second ==
        "Return-Path: <a@sender.test>\r\nDelivered-To: <b@example.com>\r\n" + body);
  CHECK(files.find("<c@example.com>")->second ==
        "Return-Path: <a@sender.test>\r\nDelivered-To: <c@example.com>\r\n" + body);
  CHECK(testing::CountFiles(dir.path() / "Maildir" / "tmp") == 0);
  CHECK(std::filesystem::is_directory(dir.path() / "Maildir" / "cur"));
  CHECK(sink.messages_received() == 1);
  CHECK(sink.connections_accepted() == 1);
}

TEST_CASE("the sink answers commands out of sequence with 503 and unknown ones with 500 or 502",
          "[smtp]") {
  TempDir dir;
  smtp::SinkServer sink(Options(dir));
  sink.Start();
  LineClient client(sink.port());
  client.ReadReply();
  auto ask = [&](const std::string& command) {
    client.Send(command + "\r\n");
    return client.ReadReply();
  };
  CHECK(ask("MAIL FROM:<a@x.test>") == "503 5.5.1 Send EHLO or HELO first");
  CHECK(ask("HELO") == "501 5.5.4 Syntax: HELO hostname");
  CHECK(ask("HELO client.test") == "250 sink.test");
  CHECK(ask("RCPT TO:<b@x.test>") == "503 5.5.1 Need MAIL command first");
  CHECK(ask("DATA") == "503 5.5.1 Need MAIL command first");
  CHECK(ask("MAIL FROM:a@x.test") == "501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
  CHECK(ask("MAIL FROM:<a@x.test> FOO=1") == "555 5.5.4 MAIL FROM parameter not recognized: FOO=1");
  CHECK(ask("mail from:<>") == "250 2.1.0 Ok");
  CHECK(ask("MAIL FROM:<a@x.test>") == "503 5.5.1 Nested MAIL command");
  CHECK(ask("DATA") == "503 5.5.1 Need RCPT command first");
  CHECK(ask("RSET") == "250 2.0.0 Ok");
  CHECK(ask("RCPT TO:<b@x.test>") == "503 5.5.1 Need MAIL command first");
  CHECK(ask("NOOP") == "250 2.0.0 Ok");
  CHECK(ask("VRFY someone") == "502 5.5.1 Command not implemented");
  CHECK(ask("STARTTLS") == "502 5.5.1 Command not implemented");
  CHECK(ask("FROB") == "500 5.5.2 Command unrecognized");
  CHECK(ask("QUIT") == "221 2.0.0 Bye");
  CHECK(sink.messages_received() == 0);
}

TEST_CASE("the sink refuses a message over max_message_bytes with 552 and stays usable", "[smtp]") {
  TempDir dir;
  auto options = Options(dir);
  options.max_message_bytes = 100;
  smtp::SinkServer sink(options);
  sink.Start();
  LineClient client(sink.port());
  client.ReadReply();
  auto ask = [&](const std::string& command) {
    client.Send(command + "\r\n");
    return client.ReadReply();
  };
  CHECK(ask("EHLO c.test").find("250-SIZE 100") != std::string::npos);
  CHECK(ask("MAIL FROM:<a@x.test> SIZE=101") ==
        "552 5.3.4 Message size exceeds fixed maximum message size");
  CHECK(ask("MAIL FROM:<a@x.test>") == "250 2.1.0 Ok");
  CHECK(ask("RCPT TO:<b@x.test>") == "250 2.1.5 Ok");
  CHECK(ask("DATA").rfind("354 ", 0) == 0);
  CHECK(ask(std::string(60, 'x') + "\r\n" + std::string(60, 'y') + "\r\n.") ==
        "552 5.3.4 Message size exceeds fixed maximum message size");
  // The transaction is over; a small message goes through on the same session.
  CHECK(ask("MAIL FROM:<a@x.test>") == "250 2.1.0 Ok");
  CHECK(ask("RCPT TO:<b@x.test>") == "250 2.1.5 Ok");
  CHECK(ask("DATA").rfind("354 ", 0) == 0);
  CHECK(ask("small\r\n.").rfind("250 2.0.0 ", 0) == 0);
  CHECK(sink.messages_received() == 1);
  CHECK(testing::CountFiles(dir.path() / "Maildir" / "new") == 1);
}

TEST_CASE("stopping the sink ends idle sessions promptly with 421", "[smtp]") {
  TempDir dir;
  smtp::SinkServer sink(Options(dir));
  sink.Start();
  LineClient client(sink.port());
  client.ReadReply();
  auto start = std::chrono::steady_clock::now();
  sink.Stop();
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  CHECK(client.ReadReply() == "421 4.3.2 Service shutting down");
  CHECK(client.ClosedByPeer());
  sink.Stop();  // idempotent
}
