// The `b2bmail` binary end to end: the demo's path (import samples, count, launch,
// deliver to the real sink) and the CLI's error contract.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "support/child_process.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "workspace.h"

namespace fs = std::filesystem;
using namespace b2bmail::testing;

namespace {

std::size_t CountFiles(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

// Starts the real sink on an ephemeral loopback port; returns host:port.
struct Sink {
  TempDir dir;
  std::unique_ptr<ChildProcess> process;
  std::string address;
  Sink() {
    auto ready = dir.File("ready");
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{B2BMAIL_BINARY, "sink", "--listen", "127.0.0.1:0", "--maildir",
                                 dir.File("maildir"), "--ready-file", ready});
    auto line = process->ReadLine(std::chrono::seconds(10));
    const std::string prefix = "b2bmail sink listening on ";
    REQUIRE(line.rfind(prefix, 0) == 0);
    address = line.substr(prefix.size(), line.find(',') - prefix.size());
    REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
    // The ready file (for scripts) appears right after the line and says the same.
    for (int i = 0; i < 200 && !fs::exists(ready); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(ReadFile(ready) == address);
  }
  fs::path New() const { return dir.path() / "maildir" / "new"; }
};

// [smtp] for a relay on loopback. The domain limits are lifted: these tests are about
// what is sent, not how fast (the shaping tests are in tests/smtp).
std::string RelayConfig(const std::string& address) {
  return "[smtp]\nrelay = \"" + address +
         "\"\n[smtp.limits.domain]\nper_minute = \"unlimited\"\nper_hour = \"unlimited\"\n";
}

// The samples imported, the demo campaign launched and delivered to `sink` (18 messages).
void SendDemoCampaign(const Workspace& ws, const Sink& sink) {
  ws.ImportSamples();
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address));
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);
}

}  // namespace

TEST_CASE("the demo campaign goes from CSV files to one clean message per mailable contact",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  auto count = ws.Run("segment count dach-buying-center --json");
  REQUIRE(count.exit_code == 0);
  // 22 DACH decision makers and buyers, minus 2 without consent, 1 unsubscribed in the
  // file and 1 who complained (events.csv), at 10 distinct accounts (counted
  // independently from the CSV files with Python's csv module).
  CHECK(count.output == "{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}\n");

  Sink sink;
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address));
  auto launch = ws.Run("campaign launch dach-webinar --json");
  INFO(launch.output);
  REQUIRE(launch.exit_code == 0);
  CHECK(launch.output ==
        "{\"campaign\":\"dach-webinar\",\"selected\":18,\"queued\":18,\"already_queued\":0}\n");
  auto again = ws.Run("campaign launch dach-webinar --json");
  CHECK(again.output ==
        "{\"campaign\":\"dach-webinar\",\"selected\":18,\"queued\":0,\"already_queued\":18}\n");

  auto deliver = ws.Run("deliver --until-idle --json");
  INFO(deliver.output);
  REQUIRE(deliver.exit_code == 0);
  CHECK(deliver.output.find("\"delivered\":18") != std::string::npos);
  REQUIRE(CountFiles(sink.New()) == 18);

  // Every message parses cleanly with Python's email package, to distinct addresses.
  std::string files;
  for (const auto& e : fs::directory_iterator(sink.New())) files += " " + ShellQuote(e.path());
  auto parsed =
      RunCommand("/usr/bin/python3 " + kSource + "/tests/support/parse_message.py" + files);
  REQUIRE(parsed.exit_code == 0);
  std::set<std::string> recipients;
  std::size_t lines = 0;
  for (std::size_t start = 0, nl; (nl = parsed.output.find('\n', start)) != std::string::npos;
       start = nl + 1) {
    std::string line = parsed.output.substr(start, nl - start);
    ++lines;
    INFO(line);
    CHECK(line.find("\"defects\": []") != std::string::npos);
    CHECK(line.find("\"content_type\": \"multipart/alternative\"") != std::string::npos);
    CHECK(line.find("\"bare_lf\": false") != std::string::npos);
    auto at = line.find("\"to_addr\": \"") + 12;
    recipients.insert(line.substr(at, line.find('"', at) - at));
    // Personalised from the store: the subject names the account, the unsubscribe
    // link carries an opaque token, never the address.
    CHECK(line.find("Procurement 4.0: a webinar for") != std::string::npos);
    CHECK(line.find("http://127.0.0.1:8080/u/") != std::string::npos);
  }
  CHECK(lines == 18);
  CHECK(recipients.size() == 18);
  CHECK(recipients.count("stefan.boehm@bergmann-antriebe.de") == 1);

  // Nothing left to send: a second deliver sends nothing.
  auto idle = ws.Run("deliver --until-idle --json");
  CHECK(idle.output.find("\"attempted\":0") != std::string::npos);
  CHECK(CountFiles(sink.New()) == 18);
}

TEST_CASE("an unreachable relay defers every message instead of losing it", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  // Port 1 on loopback: nothing listens there.
  ws.dir.Write("b2bmail.toml", "[smtp]\nrelay = \"127.0.0.1:1\"\n");
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);
  auto deliver = ws.Run("deliver --until-idle --json");
  INFO(deliver.output);
  CHECK(deliver.output.find("\"deferred\":18") != std::string::npos);
  CHECK(deliver.output.find("\"delivered\":0") != std::string::npos);

  // Later, with a working relay and time moved past the backoff, all 18 arrive.
  Sink sink;
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address));
  auto later =
      RunCommand(std::string(B2BMAIL_BINARY) + " --workspace " + ShellQuote(ws.dir.path()) +
                 " --now 2026-11-23T10:00:00Z deliver --until-idle --json 2>&1");
  INFO(later.output);
  CHECK(later.output.find("\"delivered\":18") != std::string::npos);
  CHECK(CountFiles(sink.New()) == 18);
}

TEST_CASE(
    "queue status, pause, resume, retry and purge steer what deliver sends, and every attempt "
    "is a JSON line",
    "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  ws.dir.Write("b2bmail.toml", "[smtp]\nrelay = \"127.0.0.1:1\"\n");
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);  // all 18 deferred

  auto status = ws.Run("queue status --json");
  INFO(status.output);
  REQUIRE(status.exit_code == 0);
  CHECK(status.output.find("\"provider\":\"relay\"") != std::string::npos);
  CHECK(status.output.find("\"deferred\":18") != std::string::npos);  // the provider's total
  auto log = ReadFile(ws.dir.File(".b2bmail/delivery-log.jsonl"));
  CHECK(std::count(log.begin(), log.end(), '\n') == 18);
  CHECK(log.find("\"status\":\"deferred\",\"category\":\"network\"") != std::string::npos);

  // Retry now, but hold one domain: deliver sends everything else.
  auto domains =
      RunCommand("printf '%s' " + ShellQuote(status.output) +
                 " | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)[\"domains\"];"
                 " print(max(d, key=lambda r: r[\"deferred\"])[\"domain\"])' 2>&1");
  std::string held = domains.output.substr(0, domains.output.find('\n'));
  REQUIRE(!held.empty());
  CHECK(ws.Run("queue pause " + held).output == "paused domain " + held + "\n");
  CHECK(ws.Run("queue retry").output == "18 messages due now\n");
  Sink sink;
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address));
  auto deliver = ws.Run("deliver --until-idle --json");
  INFO(deliver.output);
  auto held_status = ws.Run("queue status --json");
  INFO(held_status.output);
  auto count_held = RunCommand(
      "printf '%s' " + ShellQuote(held_status.output) +
      " | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)[\"domains\"];"
      " r=[x for x in d if x[\"domain\"]==sys.argv[1]][0]; print(r[\"deferred\"]+r[\"queued\"],"
      " r[\"paused\"], sum(x[\"sent\"] for x in d))' " +
      ShellQuote(held) + " 2>&1");
  INFO(count_held.output);
  int waiting = std::stoi(count_held.output);
  CHECK(waiting >= 1);
  CHECK(count_held.output.find(" True ") != std::string::npos);
  CHECK(static_cast<int>(CountFiles(sink.New())) == 18 - waiting);

  // Purged while paused: the held messages are cancelled and never sent.
  CHECK(ws.Run("queue resume " + held).exit_code == 0);
  auto purge = ws.Run("queue purge dach-webinar");
  CHECK(purge.output ==
        "cancelled " + std::to_string(waiting) + " messages of campaign dach-webinar\n");
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);
  CHECK(static_cast<int>(CountFiles(sink.New())) == 18 - waiting);
  CHECK(ws.Run("queue bogus").exit_code == 2);
}

TEST_CASE("a misspelt or out-of-range [smtp] setting is refused with file:line:column",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  ws.dir.Write("b2bmail.toml",
               "[smtp]\nrelay = \"127.0.0.1:1\"\n[smtp.limits.domain]\nper_minuet = 5\n");
  auto typo = ws.Run("deliver --until-idle", true);
  CHECK(typo.exit_code == 2);
  CHECK(typo.output.find("b2bmail.toml:4:1: error: unknown key smtp.limits.domain.per_minuet") !=
        std::string::npos);
  ws.dir.Write("b2bmail.toml",
               "[smtp]\nrelay = \"127.0.0.1:1\"\ntls = \"maybe\"\n"
               "[smtp.domains.\"acme.example\"]\nmax_connections = 0\n");
  auto bad = ws.Run("deliver --until-idle", true);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("b2bmail.toml:3:7: error: smtp.tls must be") != std::string::npos);
}

TEST_CASE(
    "bounce ingest matches a DSN to its send by the VERP token, suppresses hard bounces and "
    "complainers, and marks Maildir messages seen",
    "[integration]") {
  Workspace ws;
  Sink sink;
  SendDemoCampaign(ws, sink);
  // Three delivered messages: their recipients and the bounce addresses they carried.
  std::vector<std::pair<std::string, std::string>> sent;  // recipient, Return-Path
  for (const auto& e : fs::directory_iterator(sink.New())) {
    auto text = ReadFile(e.path());
    auto field = [&](const std::string& name) {
      auto at = text.find(name + ": <") + name.size() + 3;
      return text.substr(at, text.find('>', at) - at);
    };
    sent.emplace_back(field("Delivered-To"), field("Return-Path"));
  }
  std::sort(sent.begin(), sent.end());
  REQUIRE(sent.size() == 18);
  auto before = ws.Run("segment count dach-buying-center --json").output;
  CHECK(before.find("\"contacts\":18") != std::string::npos);

  auto dsn = [](const std::string& to, const std::string& rcpt, const std::string& status,
                const std::string& date) {
    return "From: MAILER-DAEMON@mx.example (Mail Delivery System)\nTo: " + to + "\nDate: " + date +
           "\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
           "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"
           "Final-Recipient: rfc822; " +
           rcpt + "\nAction: failed\nStatus: " + status + "\nDiagnostic-Code: smtp; " +
           (status[0] == '5' ? "550 5.1.1 User unknown" : "452 4.2.2 Over quota") + "\n--B--\n";
  };
  auto maildir = ws.dir.path() / "bounces";
  fs::create_directories(maildir / "new");
  fs::create_directories(maildir / "cur");
  // A hard bounce to our VERP address, with the recipient in upper case.
  std::string upper = sent[0].first;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ws.dir.Write("bounces/new/1.eml",
               dsn(sent[0].second, upper, "5.1.1", "Mon, 23 Nov 2026 10:00:00 +0100"));
  // A soft bounce without a token: matched by address only.
  ws.dir.Write("bounces/new/2.eml", dsn("postmaster@lumetra.example", sent[1].first, "4.2.2",
                                        "Mon, 23 Nov 2026 10:01:00 +0100"));
  // A forged token names nothing: the address still matches, the campaign is unknown.
  ws.dir.Write("bounces/new/3.eml",
               "From: Anna <" + sent[2].first +
                   ">\nTo: news@lumetra.example\n"
                   "Subject: Out of office\nAuto-Submitted: auto-replied\n\nBack on Monday.\n");
  std::string mbox =
      "From MAILER-DAEMON Mon Nov 23 10:02:00 2026\n"
      "From: fbl@provider.example\nTo: fbl@lumetra.example\n"
      "Date: Mon, 23 Nov 2026 10:02:00 +0000\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=feedback-report; boundary=F\n\n"
      "--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
      "Original-Rcpt-To: " +
      sent[3].first + "\n--F--\n";
  auto mbox_path = ws.dir.Write("fbl.mbox", mbox);

  auto ingest = ws.Run("bounce ingest " + ShellQuote(maildir.string()) + " " +
                       ShellQuote(mbox_path) + " --json");
  INFO(ingest.output);
  REQUIRE(ingest.exit_code == 0);
  CHECK(ingest.output ==
        "{\"messages\":4,\"dsn\":2,\"complaints\":1,\"auto_replies\":1,\"unrecognised\":0,"
        "\"other\":0,\"recipients\":3,\"matched\":1,\"by_address\":2,\"unknown\":0,\"hard\":1,"
        "\"soft\":1,\"complained\":1}\n");
  // The hard bounce and the complainer are suppressed; the soft bounce is not.
  auto after = ws.Run("segment count dach-buying-center --json").output;
  CHECK(after.find("\"contacts\":16") != std::string::npos);
  // Processed Maildir messages are marked seen, not deleted; a second run reads none of
  // them, and the mbox's complaint is not recorded twice (same Date).
  CHECK(CountFiles(maildir / "new") == 0);
  CHECK(CountFiles(maildir / "cur") == 3);
  auto again = ws.Run("bounce ingest " + ShellQuote(maildir.string()) + " " +
                      ShellQuote(mbox_path) + " --json");
  CHECK(again.output.find("\"messages\":1,") != std::string::npos);
  CHECK(ws.Run("segment count dach-buying-center --json").output == after);
}

TEST_CASE("bounce ingest matches a bounce without our token by the Message-ID it quotes",
          "[integration]") {
  Workspace ws;
  Sink sink;
  SendDemoCampaign(ws, sink);
  auto first = fs::directory_iterator(sink.New())->path();
  auto text = ReadFile(first);
  auto field = [&](const std::string& name) {
    auto at = text.find("\n" + name + ": ") + name.size() + 3;
    return text.substr(at, text.find('\r', at) - at);
  };
  std::string message_id = field("Message-ID");
  REQUIRE(message_id.front() == '<');
  // A gateway's bounce to the From address (no VERP token), naming another address
  // (a forward), but quoting the headers of our message.
  std::string bounce =
      "From: MAILER-DAEMON@gw.example\nTo: news@lumetra.example\n"
      "Date: Mon, 23 Nov 2026 11:00:00 +0000\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
      "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; gw.example\n\n"
      "Final-Recipient: rfc822; forwarded-to@elsewhere.example\nAction: failed\n"
      "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
      "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: " +
      message_id + "\nSubject: x\n\n--B--\n";
  auto mbox = ws.dir.Write("gw.mbox", "From MAILER-DAEMON Mon Nov 23 11:00:00 2026\n" + bounce);
  auto ingest = ws.Run("bounce ingest " + ShellQuote(mbox) + " --json");
  INFO(ingest.output);
  REQUIRE(ingest.exit_code == 0);
  CHECK(ingest.output.find("\"matched\":1,\"by_address\":0,\"unknown\":0,\"hard\":1") !=
        std::string::npos);
  // The address we sent to is suppressed, not the forward's.
  CHECK(ws.Run("segment count dach-buying-center --json").output.find("\"contacts\":17") !=
        std::string::npos);
}

TEST_CASE("importing a file with bad rows keeps the good ones and rejects the bad with lines",
          "[integration]") {
  Workspace ws;
  REQUIRE(ws.Run("import accounts " + kSource + "/samples/accounts.csv").exit_code == 0);
  auto file = ws.dir.Write("people.csv",
                           "email,first_name,account_id,role,seniority,consent\n"
                           "good.one@bergmann-antriebe.de,Good,acc-bergmann,buyer,manager,opt_in\n"
                           "not-an-email,Bad,acc-bergmann,buyer,manager,opt_in\n"
                           "cxo@bergmann-antriebe.de,Bad,acc-bergmann,buyer,cxo,opt_in\n"
                           "ghost@nowhere.example,Bad,acc-nope,buyer,manager,opt_in\n"
                           "\"broken@bergmann-antriebe.de,Bad,acc-bergmann,buyer,manager,opt_in\n"
                           "short@bergmann-antriebe.de,Bad\n"
                           "good.two@bergmann-antriebe.de,Good,,user,entry,legitimate_interest\n");
  auto r = ws.Run("import contacts " + ShellQuote(file) + " --json", true);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("\"inserted\":2") != std::string::npos);
  CHECK(r.output.find("\"rejected\":5") != std::string::npos);
  auto rejects = ReadFile(file + ".rejects.csv");
  INFO(rejects);
  for (const char* needle :
       {",3,", ",4,", ",5,", ",6,", ",7,", "seniority 'cxo' is not one of", "acc-nope"})
    CHECK(rejects.find(needle) != std::string::npos);
  // Re-import: nothing new.
  auto again = ws.Run("import contacts " + ShellQuote(file) + " --json");
  CHECK(again.output.find("\"inserted\":0") != std::string::npos);
}

TEST_CASE("the CLI exits 2 with one clear line for usage and input errors", "[integration]") {
  Workspace ws;
  auto unknown = ws.Run("frobnicate", true);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output == "b2bmail: error: unknown command 'frobnicate' (see b2bmail --help)\n");

  ws.dir.Write("segments/typo.seg", "where contact.role = buyer\n  and contact.senority = vp\n");
  auto check = ws.Run("segment check typo", true);
  CHECK(check.exit_code == 2);
  CHECK(check.output.find("segments/typo.seg:2:7: error[unknown-field]: unknown field "
                          "'contact.senority' (did you mean contact.seniority?)") !=
        std::string::npos);

  auto missing = ws.Run("import contacts /nonexistent/file.csv", true);
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("/nonexistent/file.csv") != std::string::npos);

  ws.dir.Write("b2bmail.toml", "[smtp\nrelay = 1\n");
  auto config = ws.Run("segment count dach-buying-center", true);
  CHECK(config.exit_code == 2);
  CHECK(config.output.find("b2bmail.toml:1:") != std::string::npos);

  auto bad_now = RunCommand(std::string(B2BMAIL_BINARY) + " --now yesterday segment count x 2>&1");
  CHECK(bad_now.exit_code == 2);
  CHECK(bad_now.output.find("--now 'yesterday'") != std::string::npos);

  for (const char* help : {"--help", "import --help", "segment --help", "campaign --help",
                           "deliver --help", "sink --help", "init --help"}) {
    auto h = ws.Run(help);
    INFO(help);
    CHECK(h.exit_code == 0);
    CHECK(h.output.find("usage") != std::string::npos);
  }
}

TEST_CASE("every shipped segment checks cleanly and counts on the samples", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  int n = 0;
  for (const auto& e : fs::directory_iterator(kSource + "/segments")) {
    std::string id = e.path().stem().string();
    INFO(id);
    CHECK(ws.Run("segment check " + id).exit_code == 0);
    auto c = ws.Run("segment count " + id + " --json");
    CHECK(c.exit_code == 0);
    CHECK(c.output.find("\"contacts\":0,") == std::string::npos);  // each selects someone
    ++n;
  }
  CHECK(n >= 4);
}

TEST_CASE("init writes a starter workspace that works as written", "[integration]") {
  TempDir dir;
  auto root = dir.path() / "acme";
  auto r = RunCommand(std::string(B2BMAIL_BINARY) + " init " + ShellQuote(root));
  REQUIRE(r.exit_code == 0);
  auto check = RunCommand(std::string(B2BMAIL_BINARY) + " --workspace " + ShellQuote(root) +
                          " segment check example 2>&1");
  INFO(check.output);
  CHECK(check.exit_code == 0);
  auto count = RunCommand(std::string(B2BMAIL_BINARY) + " --workspace " + ShellQuote(root) +
                          " segment count example --json");
  CHECK(count.output == "{\"segment\":\"example\",\"contacts\":0,\"accounts\":0}\n");
  auto lint = RunCommand(std::string(B2BMAIL_BINARY) + " --workspace " + ShellQuote(root) +
                         " template lint welcome");
  CHECK(lint.exit_code == 0);
  CHECK(lint.output.find("welcome: 0 errors, 0 warnings") != std::string::npos);
  auto again = RunCommand(std::string(B2BMAIL_BINARY) + " init " + ShellQuote(root));
  CHECK(again.output.find("kept") != std::string::npos);
}

TEST_CASE(
    "deliver killed with SIGKILL at random moments of a 5,000-message send resumes without "
    "loss, repeating at most one message per kill",
    "[integration]") {
  Workspace ws;
  std::string accounts = "id,name,domains,country\nacc-x,X GmbH,x.example,DE\n";
  std::string contacts = "email,first_name,account_id,role,consent\n";
  const int kContacts = 5000;
  for (int i = 0; i < kContacts; ++i)
    contacts +=
        "buyer" + std::to_string(i) + "@x.example,B" + std::to_string(i) + ",acc-x,buyer,opt_in\n";
  REQUIRE(ws.Run("import accounts " + ShellQuote(ws.dir.Write("a.csv", accounts))).exit_code == 0);
  REQUIRE(ws.Run("import contacts " + ShellQuote(ws.dir.Write("c.csv", contacts))).exit_code == 0);
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);

  Sink sink;
  // One session: a kill can then catch at most one message between its final "." and
  // the durable record of the reply (with N sessions, up to N).
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address) + "max_connections = 1\n");
  std::vector<std::string> deliver{B2BMAIL_BINARY, "--workspace", ws.dir.path().string(), "--now",
                                   kNow,           "deliver",     "--until-idle"};
  std::random_device device;
  const unsigned seed = device();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(20, 400);
  int kills = 0;
  for (int round = 0; round < 12 && CountFiles(sink.New()) < static_cast<std::size_t>(kContacts);
       ++round) {
    auto child = std::make_unique<ChildProcess>(deliver);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    if (::kill(child->pid(), SIGKILL) == 0) ++kills;
    child.reset();  // reaps the child
  }
  auto rest = ws.Run("deliver --until-idle --json");
  INFO(rest.output);
  REQUIRE(rest.exit_code == 0);

  std::map<std::string, int> received;
  for (const auto& e : fs::directory_iterator(sink.New())) {
    auto text = ReadFile(e.path());
    auto at = text.find("Delivered-To: <") + 15;
    ++received[text.substr(at, text.find('>', at) - at)];
  }
  CHECK(received.size() == static_cast<std::size_t>(kContacts));  // nothing lost
  int duplicates = 0;
  for (const auto& [who, n] : received) duplicates += n - 1;
  INFO("kills: " << kills << ", duplicates: " << duplicates);
  CHECK(duplicates <= kills);  // at most the message in flight at each kill
  CHECK(kills >= 3);
  // The outbox agrees: every message sent once, none left behind.
  CHECK(rest.output.find("\"sent\":5000") != std::string::npos);
}

TEST_CASE("segment export writes every selected contact as CSV or JSON lines", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  ws.dir.Write("segments/capped.seg",
               "where contact.role in (decision_maker, buyer) and account.country in (\"DE\", "
               "\"AT\", \"CH\")\ncap 1 per account order by contact.seniority desc\n");
  auto count = ws.Run("segment count capped --json");
  REQUIRE(count.exit_code == 0);
  CHECK(count.output == "{\"segment\":\"capped\",\"contacts\":10,\"accounts\":10}\n");

  // Python's csv and json modules read the files: an independent check of quoting.
  auto csv_file = ws.dir.File("out.csv");
  REQUIRE(ws.Run("segment export capped > " + ShellQuote(csv_file)).exit_code == 0);
  auto csv = RunCommand(
      "/usr/bin/python3 -c 'import csv,sys; rows=list(csv.DictReader(open(sys.argv[1], "
      "encoding=\"utf-8\"))); print(len(rows), len({r[\"account_id\"] for r in rows}), "
      "rows[0][\"email\"] < rows[-1][\"email\"], list(rows[0])[:3], all(r[\"role\"] in "
      "(\"decision_maker\",\"buyer\") for r in rows))' " +
      ShellQuote(csv_file));
  CHECK(csv.output == "10 10 True ['email', 'account_id', 'first_name'] True\n");

  auto jsonl_file = ws.dir.File("out.jsonl");
  REQUIRE(ws.Run("segment export capped --format jsonl > " + ShellQuote(jsonl_file)).exit_code ==
          0);
  auto jsonl = RunCommand(
      "/usr/bin/python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; "
      "print(len(rows), all(r[\"account_country\"] in (\"DE\",\"AT\",\"CH\") for r in rows), "
      "type(rows[0][\"contact_attrs\"]).__name__)' " +
      ShellQuote(jsonl_file));
  CHECK(jsonl.output == "10 True dict\n");
  CHECK(ws.Run("segment export capped --format xml", true).exit_code == 2);
}

TEST_CASE("segment explain shows what each clause keeps and removes", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  auto r = ws.Run("segment explain engaged-dach-manufacturing");
  REQUIRE(r.exit_code == 0);
  INFO(r.output);
  CHECK(r.output.find("segment engaged-dach-manufacturing: Engaged DACH manufacturing") == 0);
  CHECK(r.output.find("all contacts") != std::string::npos);
  CHECK(r.output.find("where account.country in (\"DE\", \"AT\", \"CH\")") != std::string::npos);
  CHECK(r.output.find("  and opened within 90d") != std::string::npos);
  CHECK(r.output.find("mailable (consent") != std::string::npos);
  CHECK(r.output.find("cap 2 per account order by contact.seniority desc") != std::string::npos);
  auto json = ws.Run("segment explain engaged-dach-manufacturing --json");
  CHECK(json.output.find("{\"segment\":\"engaged-dach-manufacturing\",\"kind\":\"all\",\"step\":"
                         "\"all contacts\",\"contacts\":202,\"accounts\":40,\"removed\":0}\n") ==
        0);
  CHECK(json.output.find("\"kind\":\"cap\",\"step\":\"cap 2 per account order by "
                         "contact.seniority desc\"") != std::string::npos);
  // The last line agrees with count.
  auto count = ws.Run("segment count engaged-dach-manufacturing");
  auto tail = count.output.substr(count.output.find(": ") + 2);
  CHECK(r.output.find("selected: " + tail) != std::string::npos);
}

TEST_CASE("segment list counts every segment; references and cycles are checked", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  auto list = ws.Run("segment list --json");
  CHECK(list.exit_code == 0);
  std::size_t shipped = static_cast<std::size_t>(
      std::distance(fs::directory_iterator(kSource + "/segments"), fs::directory_iterator{}));
  CHECK(static_cast<std::size_t>(std::count(list.output.begin(), list.output.end(), '\n')) ==
        shipped);
  CHECK(list.output.find("{\"segment\":\"dach-buying-center\",\"contacts\":18,\"accounts\":10}") !=
        std::string::npos);

  ws.dir.Write("segments/loop-a.seg", "where contact.role = buyer\nexclude loop-b\n");
  ws.dir.Write("segments/loop-b.seg", "where in segment loop-a\n");
  auto cycle = ws.Run("segment check loop-a", true);
  CHECK(cycle.exit_code == 2);
  CHECK(cycle.output.find("segments/loop-b.seg:1:18: error[cycle]: segment cycle: loop-a -> "
                          "loop-b -> loop-a") != std::string::npos);
  auto json = ws.Run("segment check loop-b --json");
  CHECK(json.exit_code == 2);
  CHECK(json.output.find("\"code\":\"cycle\"") != std::string::npos);
  auto listed = ws.Run("segment list", true);
  CHECK(listed.exit_code == 2);
  CHECK(listed.output.find("loop-a: has errors") != std::string::npos);
  CHECK(listed.output.find("dach-buying-center (DACH decision makers and buyers): 18 contacts at "
                           "10 accounts") != std::string::npos);
}

TEST_CASE("template lint reports by file:line:col and exits 2 on errors", "[integration]") {
  Workspace ws;
  auto ok = ws.Run("template lint webinar-invite", true);
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("webinar-invite: 0 errors") != std::string::npos);

  ws.dir.Write(
      "templates/broken/html.mustache",
      "<p>Hello {{contact.frist_name}}</p>\n<p><img src=\"data:image/png;base64,AAAA\"></p>"
      "\n{{> footer}}");
  ws.dir.Write("templates/broken/template.toml", "subject = \"Hi\"\n");
  auto bad = ws.Run("template lint broken", true);
  INFO(bad.output);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("templates/broken/html.mustache:2:4: error[L5] (all): ") !=
        std::string::npos);
  CHECK(bad.output.find("templates/broken/html.mustache:1:10: warning[V1]") != std::string::npos);
  auto json = ws.Run("template lint broken --json");
  CHECK(json.output.find("{\"template\":\"broken\",\"rule\":\"L6\"") != std::string::npos);

  ws.dir.Write("templates/toml-error/html.mustache", "<p>x</p>");
  ws.dir.Write("templates/toml-error/template.toml", "[subject\n");
  auto toml = ws.Run("template lint toml-error", true);
  CHECK(toml.exit_code == 2);
  CHECK(toml.output.find("template.toml:1:") != std::string::npos);
}

TEST_CASE("template render previews one contact's message as html, text and eml", "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  auto out = ws.dir.File("preview");
  auto r = ws.Run("template render webinar-invite --contact d.richter@hk-kuehllogistik.de --out " +
                      ShellQuote(out),
                  true);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  for (const char* f : {"message.html", "message.txt", "message.eml"})
    CHECK(fs::exists(fs::path(out) / f));
  // Python's email package reads the message: a clean multipart/alternative.
  auto parsed =
      RunCommand("/usr/bin/python3 " + ShellQuote(kSource + "/tests/support/parse_message.py") +
                 " " + ShellQuote(out + "/message.eml"));
  INFO(parsed.output);
  CHECK(parsed.output.find("\"defects\": []") != std::string::npos);
  CHECK(parsed.output.find("Dominik") != std::string::npos);
  // --screenshot needs Chromium: a PNG when it is there, a clear hint when it is not.
  auto shot = ws.Run(
      "template render webinar-invite --contact d.richter@hk-kuehllogistik.de "
      "--screenshot --out " +
          ShellQuote(out),
      true);
  bool chromium = RunCommand("command -v chromium >/dev/null && echo yes").output == "yes\n";
  if (chromium) {
    CHECK(shot.exit_code == 0);
    CHECK(fs::exists(fs::path(out) / "message.png"));
  } else {
    CHECK(shot.exit_code == 1);
    CHECK(shot.output.find("--screenshot needs Chromium (apt-get install chromium)") !=
          std::string::npos);
  }
  CHECK(ws.Run("template render webinar-invite --contact nobody@x.example --out " + ShellQuote(out))
            .exit_code == 2);
}

TEST_CASE("every shipped template lints without errors and renders in its languages",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  int n = 0;
  std::vector<std::string> rendered;
  for (const auto& e : fs::directory_iterator(kSource + "/templates")) {
    if (!fs::exists(e.path() / "html.mustache")) continue;  // layouts/, partials/
    std::string id = e.path().filename().string();
    INFO(id);
    auto lint = ws.Run("template lint " + id, true);
    INFO(lint.output);
    CHECK(lint.exit_code == 0);
    CHECK(lint.output.find(id + ": 0 errors") != std::string::npos);
    auto out = ws.dir.File("caniemail-" + id);
    auto r = ws.Run("template render " + id +
                        " --contact stefan.boehm@bergmann-antriebe.de --out " + ShellQuote(out),
                    true);
    INFO(r.output);
    CHECK(r.exit_code == 0);
    rendered.push_back(out + "/message.html");
    ++n;
  }
  CHECK(n >= 5);
  // An independent opinion: caniemail.com's data for Outlook on Windows, through
  // @jsx-email/doiuse-email (tools/caniemail; `make test` installs it with npm ci).
  std::string files;
  for (const auto& f : rendered) files += " " + ShellQuote(f);
  auto check =
      RunCommand("node " + ShellQuote(kSource + "/tools/caniemail/check.js") + files + " 2>&1");
  INFO(check.output);
  CHECK(check.exit_code == 0);
  CHECK(static_cast<int>(std::count(check.output.begin(), check.output.end(), '\n')) == n);

  // One template in German, French and Polish, chosen by each contact's language.
  std::map<std::string, std::string> subjects;
  for (const char* email :
       {"stefan.boehm@bergmann-antriebe.de", "amelie.martin@vercors-emballages.fr",
        "joanna.wozniak@bergmann-antriebe.de"}) {
    auto out = ws.dir.File(std::string("preview-") + email);
    auto r = ws.Run("template render webinar-invitation --contact " + std::string(email) +
                        " --out " + ShellQuote(out),
                    true);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto parsed =
        RunCommand("/usr/bin/python3 " + ShellQuote(kSource + "/tests/support/parse_message.py") +
                   " " + ShellQuote(out + "/message.eml"));
    INFO(parsed.output);
    CHECK(parsed.output.find("\"defects\": []") != std::string::npos);
    auto language = r.output.substr(r.output.find("language '") + 10, 2);
    subjects[language] = parsed.output.substr(parsed.output.find("\"subject\""), 60);
  }
  CHECK(subjects.size() == 3);
  CHECK(subjects.count("de"));
  CHECK(subjects.count("fr"));
  CHECK(subjects.count("pl"));
  std::set<std::string> distinct;
  for (const auto& [lang, subject] : subjects) distinct.insert(subject);
  CHECK(distinct.size() == 3);  // each in its own language
}

TEST_CASE("dkim keygen keys sign previews and campaigns; a broken key stops a launch first",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  std::vector<std::string> records;
  for (const char* algorithm : {"rsa", "ed25519"}) {
    auto r = ws.Run(std::string("dkim keygen --domain lumetra.example --selector ") + algorithm +
                        "2026 --algorithm " + algorithm,
                    true);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto quote = r.output.find("TXT  \"");
    REQUIRE(quote != std::string::npos);
    auto value = r.output.substr(quote + 6, r.output.find('"', quote + 6) - quote - 6);
    records.push_back(std::string(algorithm) + "2026._domainkey.lumetra.example=" + value);
    auto key = ws.dir.path() / "dkim" / (std::string(algorithm) + "2026.lumetra.example.pem");
    CHECK((fs::status(key).permissions() & fs::perms::group_read) == fs::perms::none);
    CHECK(
        ws.Run(std::string("dkim keygen --domain lumetra.example --selector ") + algorithm + "2026")
            .exit_code == 2);  // never overwritten
  }
  ws.dir.Write("b2bmail.toml",
               "[[dkim]]\ndomain = \"lumetra.example\"\nselector = \"rsa2026\"\nalgorithm = "
               "\"rsa\"\nprivate_key = \"dkim/rsa2026.lumetra.example.pem\"\n"
               "[[dkim]]\ndomain = \"lumetra.example\"\nselector = \"ed255192026\"\nalgorithm = "
               "\"ed25519\"\nprivate_key = \"dkim/ed255192026.lumetra.example.pem\"\n");
  auto out = ws.dir.File("signed");
  auto render = ws.Run(
      "template render webinar-invitation --contact "
      "stefan.boehm@bergmann-antriebe.de --out " +
          ShellQuote(out),
      true);
  INFO(render.output);
  REQUIRE(render.exit_code == 0);
  auto verify =
      RunCommand("/usr/bin/python3 " + ShellQuote(kSource + "/tests/support/verify_dkim.py") + " " +
                 ShellQuote(out + "/message.eml") + " " + ShellQuote(records[0]) + " " +
                 ShellQuote(records[1]) + " 2>&1");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
  CHECK(verify.output == "0 rsa-sha256 ok\n1 ed25519-sha256 ok\n");

  // A launched campaign's messages are signed too: deliver them to the sink and verify one.
  Sink sink;
  ws.dir.Write("b2bmail.toml", ReadFile(ws.dir.File("b2bmail.toml")) + RelayConfig(sink.address));
  REQUIRE(ws.Run("campaign launch dach-webinar").exit_code == 0);
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);
  auto delivered = sink.New();
  REQUIRE(CountFiles(delivered) == 18);
  auto first = fs::directory_iterator(delivered)->path().string();
  auto sent = RunCommand(
      "/usr/bin/python3 " + ShellQuote(kSource + "/tests/support/verify_dkim.py") + " " +
      ShellQuote(first) + " " + ShellQuote(records[0]) + " " + ShellQuote(records[1]) + " 2>&1");
  CHECK(sent.output == "0 rsa-sha256 ok\n1 ed25519-sha256 ok\n");

  // A key file that is gone: the launch stops with the file's name and queues nothing.
  fs::remove(ws.dir.path() / "dkim" / "rsa2026.lumetra.example.pem");
  auto launch = ws.Run("campaign launch dach-webinar", true);
  CHECK(launch.exit_code == 2);
  CHECK(launch.output.find("cannot read DKIM key") != std::string::npos);
  CHECK(launch.output.find("queued") == std::string::npos);
}

TEST_CASE(
    "launched messages carry one-click unsubscribe, Feedback-ID, List-Id and a VERP "
    "bounce address",
    "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  Sink sink;
  // http first: the launch warns (and still queues); then https for the real run.
  ws.dir.Write("b2bmail.toml", RelayConfig(sink.address));
  auto warned = ws.Run("campaign launch dach-webinar", true);
  CHECK(warned.exit_code == 0);
  CHECK(warned.output.find("warning: the unsubscribe URL http://127.0.0.1:8080/u/... is not "
                           "https") != std::string::npos);
  // The token secret was made on first use, readable by its owner only.
  auto secret = ws.dir.path() / ".b2bmail" / "token.secret";
  REQUIRE(fs::exists(secret));
  CHECK(fs::file_size(secret) == 32);
  CHECK((fs::status(secret).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
        fs::perms::none);
  REQUIRE(ws.Run("deliver --until-idle").exit_code == 0);
  REQUIRE(CountFiles(sink.New()) == 18);

  Workspace https;
  https.ImportSamples();
  Sink sink2;
  https.dir.Write("b2bmail.toml",
                  RelayConfig(sink2.address) +
                      "[track]\nbase_url = \"https://t.lumetra.example/\"\n"
                      "[compliance]\nunsubscribe_mailto = "
                      "\"unsubscribe@lumetra.example\"\nfeedback_sender = "
                      "\"lumetra01\"\n[bounces]\ndomain = \"bounces.lumetra.example\"\n");
  auto launch = https.Run("campaign launch dach-webinar", true);
  CHECK(launch.output.find("warning") == std::string::npos);
  REQUIRE(https.Run("deliver --until-idle").exit_code == 0);
  REQUIRE(CountFiles(sink2.New()) == 18);
  std::set<std::string> message_ids, return_paths;
  for (const auto& f : fs::directory_iterator(sink2.New())) {
    std::string m = ReadFile(f.path().string());
    std::string head = m.substr(0, m.find("\r\n\r\n"));
    INFO(head);
    auto field = [&](const std::string& name) {
      auto at = head.find("\r\n" + name + ": ");
      if (at == std::string::npos) return std::string();
      at += name.size() + 4;
      std::string v;
      // Unfold: continuation lines start with whitespace.
      for (auto end = head.find("\r\n", at);; end = head.find("\r\n", at)) {
        v += head.substr(at, end - at);
        if (end == std::string::npos || end + 2 >= head.size() ||
            (head[end + 2] != ' ' && head[end + 2] != '\t'))
          break;
        at = end + 2;
      }
      return v;
    };
    std::string return_path = head.substr(14, head.find("\r\n") - 14);  // "Return-Path: <"
    CHECK(return_path.starts_with("bounces+"));
    CHECK(return_path.ends_with("@bounces.lumetra.example>"));
    return_paths.insert(return_path);
    message_ids.insert(field("Message-ID"));
    auto unsubscribe = field("List-Unsubscribe");
    CHECK(unsubscribe.starts_with("<https://t.lumetra.example/u/"));
    CHECK(unsubscribe.find(">, <mailto:unsubscribe+") != std::string::npos);
    CHECK(field("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
    CHECK(field("Feedback-ID") == "dach-webinar:dach-buying-center:marketing:lumetra01");
    CHECK(field("List-Id") == "\"Procurement 4.0 webinar, DACH\" <dach-webinar.lumetra.example>");
    // Neither the unsubscribe link nor the bounce address carries the address.
    std::string to = field("To");
    std::string local = to.substr(to.find('<') + 1, to.find('@') - to.find('<') - 1);
    CHECK(unsubscribe.find(local) == std::string::npos);
    CHECK(return_path.find(local) == std::string::npos);
  }
  CHECK(message_ids.size() == 18);
  CHECK(return_paths.size() == 18);
}

TEST_CASE("an image in the template's images folder named by cid: is embedded in the message",
          "[integration]") {
  Workspace ws;
  ws.ImportSamples();
  fs::create_directories(ws.dir.path() / "templates" / "logo-mail" / "images");
  ws.dir.Write("templates/logo-mail/html.mustache",
               "<html><body><table width=\"600\"><tr><td><img src=\"cid:logo.png\" alt=\"Lumetra\" "
               "width=\"120\" height=\"40\"></td></tr></table><p>Hello {{contact.first_name}}</p>"
               "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a></body></html>");
  ws.dir.Write("templates/logo-mail/template.toml", "subject = \"Logo\"\n");
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string(100, '\x07');
  ws.dir.Write("templates/logo-mail/images/logo.png", png);
  ws.dir.Write("templates/logo-mail/images/unused.gif", "GIF89a");
  auto out = ws.dir.File("preview");
  auto r = ws.Run("template render logo-mail --contact stefan.boehm@bergmann-antriebe.de --out " +
                      ShellQuote(out),
                  true);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto parsed = RunCommand("/usr/bin/python3 -c " + ShellQuote(R"(
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
print(' > '.join(p.get_content_type() for p in m.walk()))
for p in m.walk():
    if p.get_content_type() == 'image/png':
        print(p['Content-ID'], len(p.get_payload(decode=True)))
    if p.get_content_type() == 'text/html':
        print('html-ref' if 'src="cid:logo.png@b2bmail.invalid"' in p.get_content() else 'no-ref')
)") + " " + ShellQuote(out + "/message.eml"));
  INFO(parsed.output);
  REQUIRE(parsed.exit_code == 0);
  CHECK(parsed.output ==
        "multipart/alternative > text/plain > multipart/related > text/html > image/png\n"
        "html-ref\n<logo.png@b2bmail.invalid> 108\n");
}
