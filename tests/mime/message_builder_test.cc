#include "b2bmail/mime/message_builder.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/time_format.h"
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
  CHECK(EncodeUnstructured("Zoë") == "=?UTF-8?B?Wm/Dqw==?=");
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
  CHECK(FormatMailbox("Jürgen", "j@b.example") == "=?UTF-8?B?SsO8cmdlbg==?= <j@b.example>");
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
