// Golden messages: the builder, the bulk headers and both DKIM signatures pinned byte
// for byte (fixed clock, seeded Random; RSA PKCS#1 v1.5 and Ed25519 signatures are
// deterministic). tests/mime/data/golden/<case>.eml; B2BMAIL_UPDATE_GOLDEN=1 rewrites
// them (review the diff). Each golden is also read back by Python's email package, and
// the signed one verified by python3-dkim, so the pinned bytes are known to be right.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/bulk_headers.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/message_builder.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::mime;
namespace fs = std::filesystem;

namespace {

MessageSpec Base() {
  MessageSpec s;
  s.from = {"events@lumetra.example", "Lumetra Events"};
  s.to = {"anna.berg@acme.example", "Anna Berg"};
  s.subject = "Procurement 4.0: a webinar for ACME";
  s.text = "Hello Anna,\n\nJoin us on 3 December.\n\n-- \nLumetra Events\n";
  s.html = "<p>Hello Anna,</p>\n<p>Join us on <b>3 December</b>.</p>\n";
  return s;
}

std::vector<std::pair<std::string, std::string>> Bulk() {
  BulkHeaders b;
  b.unsubscribe_url = "https://t.lumetra.example/u/k3y0000000000000000000000a.mac0000000000000";
  b.unsubscribe_mailto = "unsubscribe+k3y0000000000000000000000a.mac0000000000000@lumetra.example";
  b.feedback_id = {"dach-webinar", "dach-buying-center", "event", "lumetra01"};
  b.list_name = "Procurement 4.0 webinar, DACH";
  b.list_id = "dach-webinar";
  b.list_domain = "lumetra.example";
  return BulkHeaderFields(b);
}

std::string ReadKey(const std::string& name) {
  std::ifstream in(fs::path(B2BMAIL_TEST_DATA) / "keys" / name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::map<std::string, std::function<MessageSpec()>>& Cases() {
  static const std::map<std::string, std::function<MessageSpec()>> cases = {
      {"ascii-alternative", [] { return Base(); }},
      {"text-only",
       [] {
         auto s = Base();
         s.html.clear();
         s.reply_to = {"sales@lumetra.example", "Lumetra Sales"};
         return s;
       }},
      {"international",
       [] {
         auto s = Base();
         s.from = {"veranstaltungen@lümetra.example", "Lümetra Veranstaltungen"};
         s.to = {"lukasz@huta-stali.example", "Łukasz Wiśniewski"};
         s.subject = "Zaproszenie: webinar dla działu zakupów – Zażółć gęślą jaźń";
         s.text =
             "Dzień dobry Panie Łukaszu,\n\nzapraszamy na webinar.\nLine with trailing space \n";
         s.html = "<p>Dzień dobry Panie Łukaszu,</p>\n<p>zapraszamy na webinar.</p>\n";
         return s;
       }},
      {"cjk-base64",
       [] {
         auto s = Base();
         s.to = {"tanaka@acme.example", "田中 太郎"};
         s.subject = "季度报告：新产品发布";
         s.text.clear();
         for (int i = 0; i < 6; ++i) s.text += "季度报告：新产品发布，欢迎参加我们的网络研讨会。\n";
         s.html = "<p>" + s.text + "</p>\n";
         return s;
       }},
      {"inline-image",
       [] {
         auto s = Base();
         s.html = "<p><img src=\"cid:logo@lumetra.example\" alt=\"Lumetra\" width=\"120\"></p>\n";
         std::string gif(
             "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
             "\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
             43);
         s.inline_images = {{"logo@lumetra.example", "image/gif", "logo.gif", gif}};
         return s;
       }},
      {"eight-bit",
       [] {
         auto s = Base();
         s.text = "Grüße aus München\n";
         s.html = "<p>Grüße aus München</p>\n";
         s.allow_8bit = true;
         return s;
       }},
      {"signed-bulk",
       [] {
         auto s = Base();
         s.extra_headers = Bulk();
         return s;
       }},
  };
  return cases;
}

std::string Build(const std::string& name) {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(2026);
  MessageBuilder builder(clock, random);
  std::string data = builder.Build(Cases().at(name)()).data;
  if (name == "signed-bulk") {
    std::vector<DkimKey> keys;
    keys.push_back(DkimKey::FromPem("lumetra.example", "rsa2026", DkimAlgorithm::kRsaSha256,
                                    ReadKey("golden-rsa.pem"), "golden-rsa.pem"));
    keys.push_back(DkimKey::FromPem("lumetra.example", "ed2026", DkimAlgorithm::kEd25519Sha256,
                                    ReadKey("golden-ed25519.pem"), "golden-ed25519.pem"));
    data = DkimSigner(std::move(keys), DefaultSignedHeaders()).Sign(data, clock.Now());
  }
  return data;
}

}  // namespace

TEST_CASE("golden messages are reproduced byte for byte", "[mime][golden]") {
  fs::path dir = fs::path(B2BMAIL_TEST_DATA) / "golden";
  for (const auto& [name, spec] : Cases()) {
    INFO(name);
    fs::path file = dir / (name + ".eml");
    std::string data = Build(name);
    if (std::getenv("B2BMAIL_UPDATE_GOLDEN")) std::ofstream(file, std::ios::binary) << data;
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    std::string golden((std::istreambuf_iterator<char>(in)), {});
    CHECK(data == golden);
  }
  // Every golden file belongs to a case: none is left over from a removed one.
  int files = 0;
  for (const auto& f : fs::directory_iterator(dir)) files += f.path().extension() == ".eml";
  CHECK(files == static_cast<int>(Cases().size()));
}

TEST_CASE("golden messages parse back cleanly and the signed one verifies", "[mime][golden]") {
  fs::path dir = fs::path(B2BMAIL_TEST_DATA) / "golden";
  std::string files;
  std::vector<MessageSpec> specs;
  for (const auto& [name, spec] : Cases()) specs.push_back(spec());
  for (const auto& [name, spec] : Cases())
    files += " " + testing::ShellQuote((dir / (name + ".eml")).string());
  auto parsed = testing::RunCommand(
      "/usr/bin/python3 " B2BMAIL_SOURCE_DIR "/tests/support/parse_message.py" + files);
  REQUIRE(parsed.exit_code == 0);
  // One JSON line per file, none with a defect, a bare LF or a line over 78 columns,
  // except the URLs of List-Unsubscribe: folding inside <...> is allowed (RFC 2369 §2)
  // but receivers that do not strip the whitespace would break the link, so a long URL
  // stays on one line (at most 998 octets, RFC 5322 §2.1.1).
  std::size_t lines = 0, start = 0;
  while (start < parsed.output.size()) {
    auto end = parsed.output.find('\n', start);
    std::string line = parsed.output.substr(start, end - start);
    INFO(line);
    CHECK(line.find("\"defects\": []") != std::string::npos);
    CHECK(line.find("\"bare_lf\": false") != std::string::npos);
    auto max_line = std::stoi(line.substr(line.find("\"max_line\": ") + 12));
    CHECK(max_line <= (line.find("signed-bulk") != std::string::npos ? 998 : 78));
    // What a reader shows is what was given (files are listed in the order of Cases()).
    REQUIRE(lines < specs.size());
    CHECK(line.find("\"subject\": \"" + specs[lines].subject + "\"") != std::string::npos);
    CHECK(line.find("\"to_name\": \"" + specs[lines].to.display_name + "\"") != std::string::npos);
    ++lines;
    start = end + 1;
  }
  CHECK(lines == Cases().size());

  auto rsa = DkimKey::FromPem("lumetra.example", "rsa2026", DkimAlgorithm::kRsaSha256,
                              ReadKey("golden-rsa.pem"), "rsa");
  auto ed = DkimKey::FromPem("lumetra.example", "ed2026", DkimAlgorithm::kEd25519Sha256,
                             ReadKey("golden-ed25519.pem"), "ed");
  auto verified = testing::RunCommand(
      "/usr/bin/python3 " B2BMAIL_SOURCE_DIR "/tests/support/verify_dkim.py " +
      testing::ShellQuote((dir / "signed-bulk.eml").string()) + " " +
      testing::ShellQuote("rsa2026._domainkey.lumetra.example=" + rsa.DnsRecord()) + " " +
      testing::ShellQuote("ed2026._domainkey.lumetra.example=" + ed.DnsRecord()) + " 2>&1");
  INFO(verified.output);
  CHECK(verified.exit_code == 0);
}
