// `b2bmail bounce ingest` reading IMAP(S) and POP3(S) mailboxes of a real Dovecot
// (tests/support/dovecot_server.h), issue 8: processed mail is marked or moved, mail that
// was not processed is never deleted, failures are one line and a non-zero exit.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "support/dovecot_server.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "workspace.h"

namespace fs = std::filesystem;
using namespace b2bmail::testing;

namespace {

const std::string kCorpus = kSource + "/../shared/corpus/bounces/maildir/bsd/";

// B2BMAIL_MAILBOX_PASSWORD for the commands of one test.
struct PasswordVariable {
  explicit PasswordVariable(const std::string& value) {
    ::setenv("B2BMAIL_MAILBOX_PASSWORD", value.c_str(), 1);
  }
  ~PasswordVariable() { ::unsetenv("B2BMAIL_MAILBOX_PASSWORD"); }
};

// Two DSNs, a complaint, an auto-reply and a message that is none of these.
void DeliverReturnedMail(const DovecotServer& server) {
  for (const char* name : {"rfc3464-01.eml", "rfc3464-03.eml", "arf-01.eml", "rfc3834-01.eml"})
    server.Deliver(name, ReadFile(kCorpus + name));
  server.Deliver("hello.eml",
                 "From: Anna <anna@example.com>\nTo: bounces@lumetra.example\n"
                 "Subject: Hello\nDate: Mon, 23 Nov 2026 10:00:00 +0100\n\nJust saying hello.\n");
}

const std::string kFive =
    "{\"messages\":5,\"dsn\":2,\"complaints\":1,\"auto_replies\":1,\"unrecognised\":0,"
    "\"other\":1,\"recipients\":3,";

// A workspace, a Dovecot whose INBOX holds the returned mail, and the password in the
// environment.
struct IngestFromDovecot {
  Workspace ws;
  DovecotServer server;
  PasswordVariable password{DovecotServer::kPassword};
  IngestFromDovecot() { DeliverReturnedMail(server); }
};

std::size_t Seen(const std::vector<DovecotServer::Stored>& messages) {
  std::size_t n = 0;
  for (const auto& m : messages) n += m.seen() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE_METHOD(
    IngestFromDovecot,
    "bounce ingest imap:// reads unseen mail, marks it \\Seen and deletes nothing (issue 8)",
    "[integration]") {
  auto url = server.Url("imap", "/INBOX");
  auto first = ws.Run("bounce ingest " + url + " --json", true);
  INFO(first.output << server.Log());
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.starts_with(kFive));
  auto after = server.Messages();
  CHECK(after.size() == 5);
  CHECK(Seen(after) == 5);
  auto again = ws.Run("bounce ingest " + url + " --json");
  CHECK(again.exit_code == 0);
  CHECK(again.output.starts_with("{\"messages\":0,"));
  CHECK(server.Messages().size() == 5);
}

TEST_CASE_METHOD(IngestFromDovecot,
                 "bounce ingest --move-to moves processed IMAP mail into a folder it creates",
                 "[integration]") {
  auto run =
      ws.Run("bounce ingest " + server.Url("imap", "/INBOX") + " --move-to Processed --json", true);
  INFO(run.output << server.Log());
  REQUIRE(run.exit_code == 0);
  CHECK(run.output.starts_with(kFive));
  CHECK(server.Messages().empty());
  auto moved = server.Messages("Processed");
  CHECK(moved.size() == 5);
  CHECK(Seen(moved) == 5);
}

TEST_CASE_METHOD(IngestFromDovecot,
                 "bounce ingest imaps:// trusts the server's certificate only with --ca-file",
                 "[integration]") {
  auto url = server.Url("imaps", "/INBOX");
  auto refused = ws.Run("bounce ingest " + url + " --json", true);
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.starts_with("b2bmail: error: " + url + ": certificate not trusted: "));
  CHECK(std::count(refused.output.begin(), refused.output.end(), '\n') == 1);
  CHECK(Seen(server.Messages()) == 0);
  auto trusted =
      ws.Run("bounce ingest " + url + " --ca-file " + server.ca_file() + " --json", true);
  INFO(trusted.output << server.Log());
  CHECK(trusted.exit_code == 0);
  CHECK(trusted.output.starts_with(kFive));
  CHECK(Seen(server.Messages()) == 5);
}

TEST_CASE_METHOD(
    IngestFromDovecot,
    "bounce ingest: a wrong or missing mailbox password is one clear line and a failure",
    "[integration]") {
  auto url = server.Url("imap", "/INBOX");
  {
    PasswordVariable wrong("wrong");
    auto denied = ws.Run("bounce ingest " + url, true);
    CHECK(denied.exit_code == 1);
    CHECK(denied.output == "b2bmail: error: " + url + ": login denied\n");
  }
  auto missing = ws.Run("bounce ingest " + url, true);
  CHECK(missing.exit_code == 2);
  CHECK(missing.output == "b2bmail: error: " + url +
                              ": no password, neither in the URL nor in the "
                              "B2BMAIL_MAILBOX_PASSWORD environment variable\n");
  CHECK(server.Messages().size() == 5);
  CHECK(Seen(server.Messages()) == 0);
}

TEST_CASE_METHOD(IngestFromDovecot,
                 "bounce ingest pop3://: a second run processes nothing; mail is deleted only with "
                 "--delete-processed and only once processed",
                 "[integration]") {
  auto url = server.Url("pop3");
  auto first = ws.Run("bounce ingest " + url + " --json", true);
  INFO(first.output << server.Log());
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.starts_with(kFive));
  CHECK(server.Messages().size() == 5);
  CHECK(fs::exists(ws.dir.path() / ".b2bmail" /
                   ("pop3-seen-127.0.0.1-" + std::to_string(server.pop3_port()) + "-bounces.txt")));
  auto second = ws.Run("bounce ingest " + url + " --json");
  CHECK(second.output.starts_with("{\"messages\":0,"));
  CHECK(server.Messages().size() == 5);
  // A new message arrives; with --delete-processed it is processed and then deleted
  // together with the five processed before, and nothing else is deleted.
  server.Deliver("late.eml", ReadFile(kCorpus + "rfc3464-07.eml"));
  auto third = ws.Run("bounce ingest " + url + " --delete-processed --json", true);
  CHECK(third.exit_code == 0);
  CHECK(third.output.starts_with("{\"messages\":1,\"dsn\":1,"));
  CHECK(server.Messages().empty());
}
