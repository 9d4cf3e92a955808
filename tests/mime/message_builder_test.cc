#include "b2bmail/mime/message_builder.h"

#include <catch2/catch.hpp>
#include <cctype>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/address.h"
#include "b2bmail/mime/body_encoding.h"
#include "b2bmail/mime/header_encoding.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

std::string Python(const std::string& file) {
  auto r = testing::RunCommand("/usr/bin/python3 " B2BMAIL_SOURCE_DIR
                               "/tests/support/parse_message.py " +
                               testing::ShellQuote(file));
  REQUIRE(r.exit_code == 0);
  return r.output;
}

}  // namespace

TEST_CASE("ASCII header text stays as it is; other text becomes encoded words", "[mime]") {
  CHECK(EncodeUnstructured("Q4 webinar") == "Q4 webinar");
  CHECK(EncodeUnstructured("Zoë") == "=?UTF-8?Q?Zo=C3=AB?=");
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "Łódź ";
  auto encoded = EncodeUnstructured(long_text);
  std::size_t start = 0;
  while (start < encoded.size()) {
    auto end = encoded.find(' ', start);
    if (end == std::string::npos) end = encoded.size();
    CHECK(end - start <= 75);  // RFC 2047 §2
    start = end + 1;
  }
}

TEST_CASE("mailboxes quote specials and encode non-ASCII names", "[mime]") {
  CHECK(FormatMailbox("", "a@b.example") == "a@b.example");
  CHECK(FormatMailbox("Anna Berg", "a@b.example") == "Anna Berg <a@b.example>");
  CHECK(FormatMailbox("Berg, Anna \"AB\"", "a@b.example") ==
        "\"Berg, Anna \\\"AB\\\"\" <a@b.example>");
  CHECK(FormatMailbox("Jürgen", "j@b.example") == "=?UTF-8?Q?J=C3=BCrgen?= <j@b.example>");
}

TEST_CASE("quoted-printable keeps lines within 76 and encodes what it must", "[mime]") {
  CHECK(EncodeQuotedPrintable("a=b\n.dot \nend") == "a=3Db\r\n=2Edot=20\r\nend\r\n");
  auto qp = EncodeQuotedPrintable(std::string(200, 'x') + "ü");
  std::size_t start = 0;
  while (start < qp.size()) {
    auto end = qp.find("\r\n", start);
    CHECK(end - start <= 76);
    start = end + 2;
  }
  CHECK(qp.find("=C3=BC") != std::string::npos);
  // A line of exactly 76 characters needs no soft break; 77 does.
  CHECK(EncodeQuotedPrintable(std::string(76, 'a') + "\n") == std::string(76, 'a') + "\r\n");
  CHECK(EncodeQuotedPrintable(std::string(77, 'a')) == std::string(75, 'a') + "=\r\naa\r\n");
  CHECK(EncodeQuotedPrintable(std::string(75, 'a') + " \n") ==
        std::string(75, 'a') + "=\r\n=20\r\n");
  // A '.' that a soft break would put first on a line is encoded too.
  CHECK(EncodeQuotedPrintable(std::string(75, 'a') + ".b") ==
        std::string(75, 'a') + "=\r\n=2Eb\r\n");
}

TEST_CASE("a built message is byte-for-byte reproducible", "[mime]") {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(42);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"news@lumetra.example", "Lumetra"};
  spec.to = {"anna@acme.example", "Anna Berg"};
  spec.subject = "Hello";
  spec.text = "Hi\n";
  spec.html = "<p>Hi</p>";
  auto m = builder.Build(spec);
  base::SeededRandom random2(42);
  MessageBuilder builder2(clock, random2);
  CHECK(builder2.Build(spec).data == m.data);
  std::string boundary = m.data.substr(m.data.find("boundary=\"") + 10, 30);
  CHECK(m.data ==
        "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        "From: Lumetra <news@lumetra.example>\r\n"
        "To: Anna Berg <anna@acme.example>\r\n"
        "Subject: Hello\r\n"
        "Message-ID: <" +
            m.message_id +
            ">\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/alternative;\r\n boundary=\"" +
            boundary +
            "\"\r\n"
            "\r\n--" +
            boundary +
            "\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\nHi\r\n"
            "\r\n--" +
            boundary +
            "\r\n"
            "Content-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hi</p>\r\n"
            "\r\n--" +
            boundary + "--\r\n");
  CHECK(m.message_id.ends_with("@lumetra.example"));
}

TEST_CASE("Python's email package reads back subject, names, text and HTML", "[mime]") {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(1);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"news@lumetra.example", "Lumetra Förderung, Team"};
  spec.to = {"lukasz@huta.example", "Łukasz Wiśniewski"};
  spec.reply_to = {"sales@lumetra.example", ""};
  std::string subject = "Einladung: Webinar für Einkäufer – jetzt anmelden, 日本語も大丈夫 ";
  for (int i = 0; i < 3; ++i) subject += "und noch mehr Text für eine lange Betreffzeile ";
  spec.subject = subject;
  spec.text = "Dzień dobry,\n\nLine with trailing space \n.starts with a dot\n" +
              std::string(300, 'z') + "\n";
  spec.html = "<p>Dzień dobry & welcome</p>\n<p>" + std::string(300, 'y') + "</p>\n";
  spec.extra_headers = {{"List-Unsubscribe", "<https://t.example/u/abc>"}};
  auto m = builder.Build(spec);

  testing::TempDir dir;
  auto path = dir.Write("m.eml", m.data);
  auto json = Python(path);
  auto expect_field = [&](const std::string& key, const std::string& value) {
    std::string needle = "\"" + key + "\": \"" + value + "\"";
    INFO(needle);
    INFO(json);
    CHECK(json.find(needle) != std::string::npos);
  };
  expect_field("subject", subject);
  expect_field("from_name", "Lumetra Förderung, Team");
  expect_field("to_name", "Łukasz Wiśniewski");
  expect_field("to_addr", "lukasz@huta.example");
  expect_field("text", "Dzień dobry,\\n\\nLine with trailing space \\n.starts with a dot\\n" +
                           std::string(300, 'z') + "\\n");
  expect_field("html", "<p>Dzień dobry & welcome</p>\\n<p>" + std::string(300, 'y') + "</p>\\n");
  CHECK(json.find("\"defects\": []") != std::string::npos);
  CHECK(json.find("\"bare_lf\": false") != std::string::npos);
  auto max_line = std::stoi(json.substr(json.find("\"max_line\": ") + 12));
  CHECK(max_line <= 78);
}

TEST_CASE("encoded words are Q for mostly Latin text and B for CJK or Cyrillic", "[mime]") {
  // The examples of deliverability.md §2, checked there with another encoder.
  CHECK(EncodeUnstructured("Einladung zum Webinar für Einkäufer") ==
        "=?UTF-8?Q?Einladung_zum_Webinar_f=C3=BCr_Eink=C3=A4ufer?=");
  // Dense Polish diacritics: Q would take 61 characters, B takes 44.
  CHECK(EncodeUnstructured("Zażółć gęślą jaźń") ==
        "=?UTF-8?B?WmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQ=?=");
  CHECK(EncodeUnstructured("季度报告：新产品发布") ==
        "=?UTF-8?B?5a2j5bqm5oql5ZGK77ya5paw5Lqn5ZOB5Y+R5biD?=");
  // Cyrillic: B, split into words of whole characters.
  auto cyrillic = EncodeUnstructured("Ежеквартальный отчёт");
  CHECK(cyrillic.starts_with("=?UTF-8?B?"));
  CHECK(cyrillic.find("?Q?") == std::string::npos);
  // Q words use only what RFC 2047 §5 (3) allows in a display name.
  auto q = EncodeUnstructured("Grüße aus dem Büro Nord (Vertrieb) und Marketing, Team");
  CHECK(q.starts_with("=?UTF-8?Q?"));
  // Every word's payload, between "?Q?" and "?=".
  for (std::size_t at = q.find("?Q?"); at != std::string::npos; at = q.find("?Q?", at + 1)) {
    std::string payload = q.substr(at + 3, q.find("?=", at + 3) - at - 3);
    INFO(payload);
    for (char c : payload)
      CHECK((std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view("!*+-/=_").find(c) != std::string_view::npos));
  }
}

TEST_CASE("ASCII words too long to fold and look-alike encoded words are encoded", "[mime]") {
  std::string url = "https://lumetra.example/" + std::string(200, 'a');
  auto encoded = EncodeUnstructured("See " + url);
  CHECK(encoded.starts_with("=?UTF-8?Q?See_"));
  auto folded = FoldHeader("Subject", encoded);
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find("\r\n", start);
    CHECK(end - start <= 78);
    start = end + 2;
  }
  // Literal "=?...?=" would be decoded by readers: it is encoded so it shows as written.
  CHECK(EncodeUnstructured("Price =?utf-8?q?free?=").starts_with("=?UTF-8?"));
  // A word of 76 characters still stays as it is.
  CHECK(EncodeUnstructured(std::string(76, 'x')) == std::string(76, 'x'));
}

TEST_CASE("a header line that cannot be folded under 998 octets is refused", "[mime]") {
  CHECK_THROWS_WITH(
      FoldHeader("List-Unsubscribe", "<https://t.example/" + std::string(990, 'u') + ">"),
      Catch::Contains("998"));
  CHECK_NOTHROW(FoldHeader("X", std::string(990, 'u')));
}

TEST_CASE("internationalised domains go out as A-labels, local parts unchanged", "[mime]") {
  CHECK(ToAsciiDomain("bücher.example") == "xn--bcher-kva.example");
  CHECK(ToAsciiDomain("lumetra.example") == "lumetra.example");
  // NFC first: a decomposed ü gives the same label.
  CHECK(ToAsciiDomain("bu\xCC\x88"
                      "cher.example") == "xn--bcher-kva.example");
  CHECK(ToWireAddress("anna@bücher.example") == "anna@xn--bcher-kva.example");
  CHECK_THROWS_AS(ToAsciiDomain("bad\xFF.example"), Error);
  CHECK_THROWS_AS(ToWireAddress("no-at-sign"), Error);
  CHECK_FALSE(NeedsSmtpUtf8("anna@bücher.example"));
  CHECK(NeedsSmtpUtf8("jürgen@b.example"));

  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(3);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"news@lümetra.example", "Lümetra"};
  spec.to = {"anna@bücher.example", ""};
  spec.subject = "Hi";
  spec.text = "Hi";
  auto m = builder.Build(spec);
  CHECK(m.data.find("From: =?UTF-8?Q?L=C3=BCmetra?= <news@xn--lmetra-3ya.example>\r\n") !=
        std::string::npos);
  CHECK(m.data.find("To: anna@xn--bcher-kva.example\r\n") != std::string::npos);
  CHECK(m.message_id.ends_with("@xn--lmetra-3ya.example"));
  CHECK_FALSE(m.needs_smtputf8);
}

namespace {

std::vector<std::string> Lines(const std::string& data) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < data.size()) {
    auto end = data.find("\r\n", start);
    if (end == std::string::npos) end = data.size();
    out.push_back(data.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

}  // namespace

TEST_CASE("text parts are quoted-printable, base64 when shorter, 8bit only when allowed",
          "[mime]") {
  CHECK(EncodeTextBody("Dzień dobry\n", false).transfer_encoding == "quoted-printable");
  std::string cjk;
  for (int i = 0; i < 50; ++i) cjk += "季度报告新产品发布\n";
  auto b = EncodeTextBody(cjk, false);
  CHECK(b.transfer_encoding == "base64");
  CHECK(b.data.size() < EncodeQuotedPrintable(cjk).size());
  for (const auto& line : Lines(b.data)) CHECK(line.size() <= 76);

  auto eight = EncodeTextBody("Dzień dobry\n", true);
  CHECK(eight.transfer_encoding == "8bit");
  CHECK(eight.eight_bit);
  CHECK(eight.data == "Dzień dobry\r\n");
  auto seven = EncodeTextBody("Hello\nworld", true);
  CHECK(seven.transfer_encoding == "7bit");
  CHECK_FALSE(seven.eight_bit);
  CHECK(seven.data == "Hello\r\nworld\r\n");
  // Lines that 8bit cannot carry fall back even when the server offers 8BITMIME.
  CHECK(EncodeTextBody(std::string(999, 'x'), true).transfer_encoding == "quoted-printable");
  CHECK(EncodeTextBody("a line\rwith a bare CR", true).transfer_encoding == "quoted-printable");
  CHECK(EncodeTextBody(std::string("a line\0with NUL", 15), true).transfer_encoding ==
        "quoted-printable");
}

TEST_CASE("images embedded by Content-ID go in a multipart/related with the HTML", "[mime]") {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(5);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"news@lumetra.example", "Lumetra"};
  spec.to = {"anna@acme.example", "Anna"};
  spec.subject = "Logo";
  spec.text = "Hello\n";
  spec.html = "<p><img src=\"cid:logo.png@lumetra.example\" alt=\"Lumetra\"></p>\n";
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  for (int i = 0; i < 200; ++i) png += static_cast<char>(i);
  spec.inline_images = {{"logo.png@lumetra.example", "image/png", "logo.png", png},
                        {"chart@lumetra.example", "image/gif", "Übersicht 2026.gif", "GIF89a"}};
  auto m = builder.Build(spec);
  for (const auto& line : Lines(m.data)) CHECK(line.size() <= 78);

  testing::TempDir dir;
  auto path = dir.Write("m.eml", m.data);
  auto r = testing::RunCommand("/usr/bin/python3 -c " + testing::ShellQuote(R"(
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
print(' > '.join(p.get_content_type() for p in m.walk()))
for p in m.walk():
    if p.get_content_maintype() == 'image':
        print(p['Content-ID'], p.get_filename(), p.get_content_disposition(), p.get_payload(decode=True).hex())
    for d in p.defects: print('defect', type(d).__name__)
)") + " " + testing::ShellQuote(path));
  REQUIRE(r.exit_code == 0);
  CHECK(
      r.output.starts_with("multipart/alternative > text/plain > multipart/related > "
                           "text/html > image/png > image/gif\n"));
  std::string hex;
  for (unsigned char c : png) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 0xF];
  }
  CHECK(r.output.find("<logo.png@lumetra.example> logo.png inline " + hex + "\n") !=
        std::string::npos);
  CHECK(r.output.find("<chart@lumetra.example> Übersicht 2026.gif inline 474946383961\n") !=
        std::string::npos);
  CHECK(r.output.find("defect") == std::string::npos);
}

TEST_CASE("an 8bit message is marked so the sender asks for BODY=8BITMIME", "[mime]") {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T09:00:00Z"));
  base::SeededRandom random(6);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"news@lumetra.example", ""};
  spec.to = {"anna@acme.example", ""};
  spec.subject = "S";
  spec.text = "Grüße\n";
  spec.html = "<p>Grüße</p>";
  spec.allow_8bit = true;
  auto m = builder.Build(spec);
  CHECK(m.eight_bit);
  CHECK(m.data.find("Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n") != std::string::npos);
  spec.allow_8bit = false;
  CHECK_FALSE(builder.Build(spec).eight_bit);
}
