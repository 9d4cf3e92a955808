// MailboxSource against real mailboxes: Maildir and mbox files, and a real Dovecot over
// IMAP(S) and POP3(S) (tests/support/dovecot_server.h). The rule under test: processed
// mail is marked or moved, unprocessed mail is never marked, moved or deleted.
#include "b2bmail/bounce/mailbox_source.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>

#include "b2bmail/base/error.h"
#include "support/dovecot_server.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using b2bmail::testing::DovecotServer;
using b2bmail::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string Message(const std::string& subject) {
  return "From: mailer-daemon@mx.example\nTo: bounces@lumetra.example\nSubject: " + subject +
         "\n\nBody of " + subject + "\n.a line that starts with a dot\n";
}

struct Visited {
  std::vector<std::string> ids;
  std::vector<std::string> raws;
};

bounce::MessageVisitor Collect(Visited& v) {
  return [&v](const std::string& id, const std::string& raw) {
    v.ids.push_back(id);
    v.raws.push_back(raw);
  };
}

// A fresh Dovecot, a folder for the POP3 seen lists, and options that log in.
struct MailServer {
  DovecotServer server;
  TempDir state;
  bounce::MailboxOptions options;
  MailServer() {
    options.password = DovecotServer::kPassword;
    options.state_dir = state.path() / ".b2bmail";
    options.timeout = std::chrono::seconds(20);
  }
  fs::path SeenFile() const {
    return options.state_dir /
           ("pop3-seen-127.0.0.1-" + std::to_string(server.pop3_port()) + "-bounces.txt");
  }
};

// A visitor whose second call fails, as a database that went away would.
bounce::MessageVisitor FailingOnSecond(int& calls) {
  return [&calls](const std::string&, const std::string&) {
    if (++calls == 2) throw std::runtime_error("the database went away");
  };
}

std::int64_t Read(const std::string& location, const bounce::MailboxOptions& options,
                  const bounce::MessageVisitor& visit) {
  return bounce::OpenMailboxSource(location, options)->Read(visit);
}

// The error `f` throws, as "kind: message"; "" when it throws none.
template <typename F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(ToString(e.kind())) + ": " + e.what();
  }
  return "";
}

std::size_t CountSeen(const std::vector<DovecotServer::Stored>& messages) {
  std::size_t n = 0;
  for (const auto& m : messages) n += m.seen() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a Maildir's unseen messages are visited once, then marked seen and kept", "[bounce]") {
  TempDir dir;
  dir.Write("box/new/1.eml", Message("one"));
  dir.Write("box/cur/2.eml:2,", Message("two"));
  dir.Write("box/cur/3.eml:2,S", Message("three"));
  Visited v;
  CHECK(Read(dir.File("box"), {}, Collect(v)) == 2);
  CHECK(v.ids == std::vector<std::string>{"2.eml:2,", "1.eml"});
  CHECK(fs::exists(dir.path() / "box/cur/1.eml:2,S"));
  CHECK(fs::exists(dir.path() / "box/cur/2.eml:2,S"));
  CHECK(fs::exists(dir.path() / "box/cur/3.eml:2,S"));
  Visited again;
  CHECK(Read(dir.File("box"), {}, Collect(again)) == 0);
}

TEST_CASE("an mbox file is split at its From lines and only read", "[bounce]") {
  TempDir dir;
  std::string mbox = "From a Mon Nov 23 10:00:00 2026\n" + Message("one") +
                     "From b Mon Nov 23 10:01:00 2026\n" + Message("two");
  auto path = dir.Write("box.mbox", mbox);
  Visited v;
  CHECK(Read(path, {}, Collect(v)) == 2);
  CHECK(v.ids == std::vector<std::string>{"box.mbox#1", "box.mbox#2"});
  CHECK(v.raws[1] == Message("two"));
  CHECK(testing::ReadFile(path) == mbox);
}

TEST_CASE(
    "mailbox locations: bad URLs, missing passwords and options that do not apply are "
    "usage errors",
    "[bounce]") {
  TempDir dir;
  bounce::MailboxOptions none;
  none.password_origin = "the TEST_PASSWORD variable";
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("imaps://mx.example/INBOX", none); }) ==
        "usage: imaps://mx.example/INBOX: no user (write imaps://USER@HOST/...)");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("imap://u@mx.example/INBOX", none); }) ==
        "usage: imap://u@mx.example/INBOX: no password, neither in the URL nor in the "
        "TEST_PASSWORD variable");
  // The password never appears in a name or a message.
  auto source = bounce::OpenMailboxSource("IMAPS://u%40x:p%3As@mx.example:1993/Bounces", none);
  CHECK(source->name() == "imaps://u%40x@mx.example:1993/Bounces");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("imap://u:secret@mx.example:99999/", none); }) ==
        "usage: imap://u@mx.example:99999/: bad port");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("imap://u:p@mx.example/INBOX;UID=3", none); }) ==
        "usage: imap://u@mx.example/INBOX;UID=3: only a mailbox may follow the host (no ;UID=, "
        "no ?search)");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("pop3://u:p@mx.example/INBOX", none); }) ==
        "usage: pop3://u@mx.example/INBOX: a POP3 URL names no mailbox (write "
        "pop3://USER@HOST[:PORT])");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("pop3://u:p@mx.example", none); }) ==
        "usage: pop3://u@mx.example: POP3 needs a state folder to remember processed messages");
  bounce::MailboxOptions move;
  move.move_to = "Processed";
  move.state_dir = dir.path();
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("pop3://u:p@mx.example", move); }) ==
        "usage: pop3://u@mx.example: POP3 has no folders to move messages to");
  dir.Write("box/new/1.eml", Message("one"));
  CHECK(ErrorOf([&] {
          bounce::OpenMailboxSource(dir.File("box"), move);
        }).starts_with("usage: " + dir.File("box") + ": a Maildir is marked"));
  bounce::MailboxOptions remove;
  remove.delete_processed = true;
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource("imap://u:p@mx.example", remove); }) ==
        "usage: imap://u@mx.example: deleting is for POP3; IMAP messages are marked or moved");
  CHECK(ErrorOf([&] { bounce::OpenMailboxSource(dir.File("nothing"), none); }) ==
        "io: cannot read " + dir.File("nothing"));
}

TEST_CASE_METHOD(MailServer,
                 "IMAP reads the unseen messages without marking them and marks each \\Seen only "
                 "after it was processed; nothing is deleted",
                 "[bounce]") {
  server.Deliver("1.eml", Message("one"));
  server.Deliver("2.eml", Message("two"));
  Visited v;
  std::vector<std::size_t> seen_while_visiting;
  auto source = bounce::OpenMailboxSource(server.Url("imap", "/INBOX"), options);
  auto count = source->Read([&](const std::string& id, const std::string& raw) {
    // Reading it marked nothing: the one being processed is not seen yet.
    seen_while_visiting.push_back(CountSeen(server.Messages()));
    Collect(v)(id, raw);
  });
  INFO(server.Log());
  CHECK(count == 2);
  CHECK(seen_while_visiting == std::vector<std::size_t>{0, 1});
  CHECK(v.ids == std::vector<std::string>{"INBOX;UID=1", "INBOX;UID=2"});
  REQUIRE(v.raws.size() == 2);
  CHECK(v.raws[0].find("Subject: one") != std::string::npos);
  CHECK(v.raws[0].find("\n.a line that starts with a dot") != std::string::npos);
  auto after = server.Messages();
  REQUIRE(after.size() == 2);
  CHECK(CountSeen(after) == 2);
  // Only new mail is read the next time.
  server.Deliver("3.eml", Message("three"));
  Visited again;
  CHECK(source->Read(Collect(again)) == 1);
  CHECK(again.ids == std::vector<std::string>{"INBOX;UID=3"});
  CHECK(server.Messages().size() == 3);
  CHECK(CountSeen(server.Messages()) == 3);
}

TEST_CASE_METHOD(MailServer,
                 "IMAP: a message whose processing failed stays unseen and is read again",
                 "[bounce]") {
  for (const char* n : {"1", "2", "3"}) server.Deliver(std::string(n) + ".eml", Message(n));
  int calls = 0;
  CHECK_THROWS_WITH(Read(server.Url("imap"), options, FailingOnSecond(calls)),
                    "the database went away");
  auto after = server.Messages();
  REQUIRE(after.size() == 3);
  CHECK(after[0].seen());
  CHECK_FALSE(after[1].seen());
  CHECK_FALSE(after[2].seen());
  Visited v;
  CHECK(Read(server.Url("imap"), options, Collect(v)) == 2);
  CHECK(v.ids == std::vector<std::string>{"INBOX;UID=2", "INBOX;UID=3"});
}

TEST_CASE_METHOD(MailServer, "IMAP move_to moves processed mail, seen, into a folder it creates",
                 "[bounce]") {
  options.move_to = "Processed";
  server.Deliver("1.eml", Message("one"));
  server.Deliver("2.eml", Message("two"));
  Visited v;
  CHECK(Read(server.Url("imap", "/INBOX"), options, Collect(v)) == 2);
  INFO(server.Log());
  CHECK(server.Messages().empty());
  auto moved = server.Messages("Processed");
  CHECK(moved.size() == 2);
  CHECK(CountSeen(moved) == 2);
  // The folder exists now; a second run uses it.
  server.Deliver("3.eml", Message("three"));
  CHECK(Read(server.Url("imap", "/INBOX"), options, Collect(v)) == 1);
  CHECK(server.Messages("Processed").size() == 3);
}

TEST_CASE_METHOD(MailServer,
                 "IMAPS and POP3S verify the certificate: trusted with ca_file, refused without",
                 "[bounce]") {
  server.Deliver("1.eml", Message("one"));
  Visited v;
  auto untrusted = ErrorOf([&] { Read(server.Url("imaps", "/INBOX"), options, Collect(v)); });
  CHECK(untrusted.starts_with("network: " + server.Url("imaps", "/INBOX") +
                              ": certificate not trusted: "));
  CHECK(ErrorOf([&] {
          Read(server.Url("pop3s"), options, Collect(v));
        }).starts_with("network: " + server.Url("pop3s") + ": certificate not trusted: "));
  CHECK(v.ids.empty());
  CHECK(CountSeen(server.Messages()) == 0);
  auto trusted = options;
  trusted.ca_file = server.ca_file();
  CHECK(Read(server.Url("imaps", "/INBOX"), trusted, Collect(v)) == 1);
  CHECK(Read(server.Url("pop3s"), trusted, Collect(v)) == 1);
  server.Deliver("2.eml", Message("two"));
  auto insecure = options;
  insecure.verify_tls = false;
  CHECK(Read(server.Url("imaps", "/INBOX"), insecure, Collect(v)) == 1);
  auto missing = options;
  missing.ca_file = state.File("no-such-ca.pem");
  CHECK(ErrorOf([&] {
          Read(server.Url("imaps"), missing, Collect(v));
        }).starts_with("config: " + server.Url("imaps") + ": cannot use the CA file"));
}

TEST_CASE_METHOD(MailServer,
                 "a refused login, a closed port and a missing mailbox are one-line network errors",
                 "[bounce]") {
  Visited v;
  auto wrong = options;
  wrong.password = "not the password";
  CHECK(ErrorOf([&] { Read(server.Url("imap", "/INBOX"), wrong, Collect(v)); }) ==
        "network: " + server.Url("imap", "/INBOX") + ": login denied");
  CHECK(ErrorOf([&] { Read(server.Url("pop3"), wrong, Collect(v)); }) ==
        "network: " + server.Url("pop3") + ": login denied");
  // The password in the URL, %-encoded, wins over the options'.
  std::string url = "imap://" + std::string(DovecotServer::kUser) +
                    ":Bounce%40pass%207@127.0.0.1:" + std::to_string(server.imap_port()) + "/INBOX";
  CHECK(Read(url, wrong, Collect(v)) == 0);
  CHECK(ErrorOf([&] { Read(server.Url("imap", "/Nowhere"), options, Collect(v)); })
            .starts_with("network: " + server.Url("imap", "/Nowhere") +
                         ": SELECT Nowhere refused: NO"));
  std::string closed;
  {
    DovecotServer gone;
    closed = gone.Url("imap", "/INBOX");
  }
  CHECK(ErrorOf([&] {
          Read(closed, options, Collect(v));
        }).starts_with("network: " + closed + ": cannot connect: "));
}

TEST_CASE_METHOD(MailServer,
                 "POP3 remembers processed messages by UIDL and deletes nothing unless asked",
                 "[bounce]") {
  server.Deliver("1.eml", Message("one"));
  server.Deliver("2.eml", Message("two"));
  Visited v;
  CHECK(Read(server.Url("pop3"), options, Collect(v)) == 2);
  INFO(server.Log());
  REQUIRE(v.raws.size() == 2);
  CHECK(v.raws[0].find("Subject: one\r\n") != std::string::npos);
  // Dot-stuffing is undone.
  CHECK(v.raws[0].find("\r\n.a line that starts with a dot\r\n") != std::string::npos);
  auto seen_file = state.path() / ".b2bmail" /
                   ("pop3-seen-127.0.0.1-" + std::to_string(server.pop3_port()) + "-bounces.txt");
  CHECK(testing::ReadFile(seen_file) == v.ids[0] + "\n" + v.ids[1] + "\n");
  CHECK(server.Messages().size() == 2);
  Visited again;
  CHECK(Read(server.Url("pop3"), options, Collect(again)) == 0);
  CHECK(server.Messages().size() == 2);
}

TEST_CASE_METHOD(MailServer, "POP3 delete_processed deletes only messages that were processed",
                 "[bounce]") {
  options.delete_processed = true;
  for (const char* n : {"1", "2", "3"}) server.Deliver(std::string(n) + ".eml", Message(n));
  int calls = 0;
  CHECK_THROWS_WITH(Read(server.Url("pop3"), options, FailingOnSecond(calls)),
                    "the database went away");
  INFO(server.Log());
  auto left = server.Messages();
  REQUIRE(left.size() == 2);
  CHECK(left[0].name == "2.eml");
  CHECK(left[1].name == "3.eml");
  Visited v;
  CHECK(Read(server.Url("pop3"), options, Collect(v)) == 2);
  CHECK(server.Messages().empty());
}

TEST_CASE_METHOD(MailServer, "POP3: a seen list torn by a crash loses only its torn last line",
                 "[bounce]") {
  server.Deliver("1.eml", Message("one"));
  server.Deliver("2.eml", Message("two"));
  Visited first;
  REQUIRE(Read(server.Url("pop3"), options, Collect(first)) == 2);
  auto seen_file = state.path() / ".b2bmail" /
                   ("pop3-seen-127.0.0.1-" + std::to_string(server.pop3_port()) + "-bounces.txt");
  // The second UIDL was being written when the machine stopped.
  std::string torn = first.ids[0] + "\n" + first.ids[1].substr(0, 3);
  state.Write(".b2bmail/" + seen_file.filename().string(), torn);
  Visited v;
  CHECK(Read(server.Url("pop3"), options, Collect(v)) == 1);
  CHECK(v.ids == std::vector<std::string>{first.ids[1]});
  CHECK(testing::ReadFile(seen_file) == first.ids[0] + "\n" + first.ids[1] + "\n");
}
