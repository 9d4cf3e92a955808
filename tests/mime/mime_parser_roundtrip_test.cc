// Messages built by MessageBuilder parse back to what was given: the parser reads what
// the builder writes (RFC 2047 words, quoted-printable, multipart/alternative).
#include <catch2/catch.hpp>
#include <chrono>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/mime/message_builder.h"
#include "b2bmail/mime/mime_parser.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

// The display name of a mailbox value as FormatMailbox writes it: `name <addr>`, a quoted
// string, or the bare address.
std::string DisplayName(std::string_view value) {
  auto angle = value.rfind(" <");
  if (angle == std::string_view::npos) return {};
  std::string_view name = value.substr(0, angle);
  if (name.size() < 2 || name.front() != '"' || name.back() != '"') return std::string(name);
  std::string out;
  for (std::size_t i = 1; i + 1 < name.size(); ++i) {
    if (name[i] == '\\' && i + 2 < name.size()) ++i;
    out += name[i];
  }
  return out;
}

std::string Address(std::string_view value) {
  auto angle = value.rfind('<');
  if (angle == std::string_view::npos) return std::string(value);
  return std::string(value.substr(angle + 1, value.size() - angle - 2));
}

// What the parser's text() gives for a body written by the builder: LF line ends, and the
// final line end the quoted-printable encoder always adds.
std::string ExpectedText(std::string_view given) {
  std::string out;
  for (std::size_t i = 0; i < given.size(); ++i)
    if (!(given[i] == '\r' && i + 1 < given.size() && given[i + 1] == '\n')) out += given[i];
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

void CheckRoundTrip(const MessageSpec& spec, const BuiltMessage& built) {
  auto m = ParseMessage(built.data);
  INFO(built.data);
  CHECK(m.HeaderValue("Subject") == spec.subject);
  CHECK(DisplayName(m.HeaderValue("From")) == spec.from.display_name);
  CHECK(Address(m.HeaderValue("From")) == spec.from.address);
  CHECK(DisplayName(m.HeaderValue("To")) == spec.to.display_name);
  if (!spec.reply_to.address.empty())
    CHECK(DisplayName(m.HeaderValue("Reply-To")) == spec.reply_to.display_name);
  CHECK(m.HeaderValue("Message-ID") == "<" + built.message_id + ">");
  if (spec.html.empty()) {
    CHECK(m.root().content_type().MimeType() == "text/plain");
    CHECK(m.root().text() == ExpectedText(spec.text));
  } else {
    CHECK(m.root().content_type().MimeType() == "multipart/alternative");
    const MimePart* text = m.FindFirst("text/plain");
    const MimePart* html = m.FindFirst("text/html");
    REQUIRE(text != nullptr);
    REQUIRE(html != nullptr);
    CHECK(text->text() == ExpectedText(spec.text));
    CHECK(html->text() == ExpectedText(spec.html));
  }
  CHECK(m.BestText() == ExpectedText(spec.text));
  for (const MimePart* p : m.root().Walk()) CHECK(p->defects().empty());
}

// A random string drawn from `pool` (UTF-8 pieces).
std::string Draw(base::Random& random, const std::vector<std::string>& pool, std::size_t max) {
  std::string out;
  std::size_t n = 1 + random.Next() % max;
  for (std::size_t i = 0; i < n; ++i) out += pool[random.Next() % pool.size()];
  return out;
}

}  // namespace

TEST_CASE("Built messages with non-ASCII subjects, names, text and HTML parse back as given",
          "[mime]") {
  base::FixedClock clock(base::TimePoint(std::chrono::seconds(1709546400)));
  base::SeededRandom random(7);
  MessageBuilder builder(clock, random);

  MessageSpec spec;
  spec.from = {"zoe@example.de", "Zoë Müller-Lüdenscheidt"};
  spec.to = {"taro@example.jp", "山田 太郎"};
  spec.reply_to = {"anna@example.org", "Berg, Anna \"AB\""};
  spec.subject =
      "Einladung: Q4-Webinar für Ärzte – jetzt anmelden! 🎉 Łódź, 東京, Москва, and a long tail "
      "so that the subject needs several encoded words and folded lines";
  spec.text = "Sehr geehrte Frau Berg,\r\n\r\n.dot at the start, trailing space \nprice = 10 €\n" +
              std::string(120, 'x') + "ü\n--=_b2b_ looks like a boundary\nend without newline";
  spec.html = "<p>Grüße aus <b>Köln</b> – 東京</p>\n<p style=\"a:b\">=3D is not an escape</p>";
  CheckRoundTrip(spec, builder.Build(spec));

  MessageSpec plain;
  plain.from = {"news@example.com", "Example News"};
  plain.to = {"reader@example.org", ""};
  plain.subject =
      "Plain ASCII subject with some words in it to make the line longer than "
      "seventy-eight characters";
  plain.text = "Only text, no HTML.\n";
  CheckRoundTrip(plain, builder.Build(plain));
}

TEST_CASE("Random non-ASCII messages survive building and parsing", "[mime]") {
  base::FixedClock clock(base::TimePoint(std::chrono::seconds(1709546400)));
  base::SeededRandom random(2024);
  MessageBuilder builder(clock, random);
  const std::vector<std::string> letters = {"a",  "Z", "é", "ß", "Ł",  "ё",  "東", "京", "🎉", "€",
                                            "ー", "ä", "ø", "ç", "語", "한", "9",  "-",  "'"};
  const std::vector<std::string> specials = {" ", ",", ".",  "\"", "(", ")", "<", ">", "@",
                                             ";", ":", "\\", "[",  "]", "=", "?", "_", "!"};
  std::vector<std::string> text_pool = letters;
  text_pool.insert(text_pool.end(), specials.begin(), specials.end());
  for (const char* piece : {"\n", "\r\n", "\n.", "\t", " \n", "=?utf-8?q?x?=", "--", "\n\n"})
    text_pool.push_back(piece);
  for (int i = 0; i < 200; ++i) {
    MessageSpec spec;
    // Names and subjects avoid leading, trailing and double spaces, which folding may change.
    auto words = [&](const std::vector<std::string>& pool, std::size_t max_words) {
      std::string out;
      std::size_t n = 1 + random.Next() % max_words;
      for (std::size_t w = 0; w < n; ++w) {
        if (w > 0) out += ' ';
        out += Draw(random, pool, 8);
      }
      return out;
    };
    std::vector<std::string> name_pool = letters;
    name_pool.insert(name_pool.end(), specials.begin() + 1, specials.end());
    spec.from = {"from" + std::to_string(i) + "@example.com", words(name_pool, 4)};
    spec.to = {"to@example.org", i % 3 == 0 ? "" : words(letters, 3)};
    if (i % 2 == 0) spec.reply_to = {"reply@example.org", words(name_pool, 2)};
    spec.subject = words(letters, 12);
    spec.text = Draw(random, text_pool, 400);
    if (i % 4 != 0) spec.html = "<p>" + Draw(random, text_pool, 200) + "</p>";
    CheckRoundTrip(spec, builder.Build(spec));
  }
}
