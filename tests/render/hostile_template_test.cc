// Hostile templates get diagnostics with positions, never crashes: unbalanced tags,
// unclosed sections, 10 MB of text, deeply nested tables, invalid UTF-8.
#include <catch2/catch.hpp>

#include "b2bmail/render/message_template.h"
#include "b2bmail/render/template_lint.h"

using namespace b2bmail;
using namespace b2bmail::render;

namespace {

TemplateSource Source(std::string html) {
  TemplateSource src;
  src.id = "h";
  src.subjects[""] = "s";
  src.html = std::move(html);
  src.html_file = "templates/h/html.mustache";
  return src;
}

struct Recipient {
  model::Contact contact;
  model::Campaign campaign;
  Recipient() { contact.email = "x@y.example"; }
};

}  // namespace

TEST_CASE("unbalanced HTML and unclosed sections are survived or reported", "[render][hostile]") {
  Recipient r;
  auto soup = Source(
      "<table><tr><td><p>x</td></table></div></span><a href=\"https://a.example\">"
      "<b>open</i>{{contact.email}}");
  base::Diagnostics d;
  auto t = MessageTemplate::Compile(soup, d);
  REQUIRE(t);  // HTML is forgiving: the parser closes what the author forgot
  auto m = t->Render({r.contact, nullptr, r.campaign, "https://u.example/u"});
  CHECK(m.html.find("x@y.example") != std::string::npos);
  CHECK(LintTemplate(soup).HasErrors());  // no unsubscribe link, among others

  base::Diagnostics d2;
  CHECK_FALSE(MessageTemplate::Compile(Source("<p>\n\n  {{#contact}}<b>{{^x}}</b></p>"), d2));
  REQUIRE(d2.HasErrors());
  CHECK(d2.items()[0].position.line >= 1);
  CHECK(d2.items()[0].file == "templates/h/html.mustache");
  base::Diagnostics d3;
  CHECK_FALSE(MessageTemplate::Compile(Source("<p>{{/never}}</p>"), d3));
  CHECK(d3.items().at(0).code == "mustache");
  base::Diagnostics d4;
  CHECK_FALSE(MessageTemplate::Compile(Source("<p>{{contact.email</p>"), d4));
  CHECK(d4.items().at(0).code == "mustache");
}

TEST_CASE("invalid UTF-8 anywhere is an encoding error naming the file", "[render][hostile]") {
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(Source("<p>ok \xc3\x28 not</p>"), d));
  CHECK(d.items().at(0).Format() ==
        "templates/h/html.mustache:1:1: error[encoding]: the template is not valid UTF-8");
  auto partial = Source("<p>{{> p}}</p>");
  partial.partials["p"] = "\xff";
  partial.partial_files["p"] = "templates/partials/p.mustache";
  base::Diagnostics d2;
  CHECK_FALSE(MessageTemplate::Compile(partial, d2));
  CHECK(d2.items().at(0).file == "templates/partials/p.mustache");
  auto subject = Source("<p>x</p>");
  subject.subjects["de"] = "\xfe";
  base::Diagnostics d3;
  CHECK_FALSE(MessageTemplate::Compile(subject, d3));
  CHECK(d3.items().at(0).code == "encoding");
}

TEST_CASE("10 MB of text is refused; 1 MB and 5,000 nested tables compile, render and lint",
          "[render][hostile]") {
  Recipient r;
  std::string big = "<p>";
  while (big.size() < 10 * 1024 * 1024) big += "Lorem ipsum dolor sit amet {{contact.email}} ";
  big += "</p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a>";
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(Source(big), d));
  REQUIRE(d.HasErrors());
  CHECK(d.items()[0].Format().find("templates/h/html.mustache:1:1: error[too-large]: the "
                                   "template is 10240 KB") == 0);
  auto lint = LintTemplate(Source(big));
  REQUIRE(lint.HasErrors());
  CHECK(lint.findings[0].rule == "too-large");

  // Under the limit but far beyond Gmail's: compiles, renders, and lint says it clips.
  std::string large = "<p>";
  while (large.size() < 1024 * 1024) large += "Lorem ipsum dolor sit amet {{contact.email}} ";
  large += "</p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a>";
  base::Diagnostics d1;
  auto t = MessageTemplate::Compile(Source(large), d1);
  REQUIRE(t);
  auto m = t->Render({r.contact, nullptr, r.campaign, "https://u.example/u"});
  CHECK(m.html.size() > 800 * 1024);
  CHECK(m.text.find("https://u.example/u") != std::string::npos);
  bool clipped = false;
  for (const auto& f : LintTemplate(Source(large)).findings) clipped = clipped || f.rule == "L23";
  CHECK(clipped);

  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += "<table><tr><td>";
  nested += "deep";
  for (int i = 0; i < 5000; ++i) nested += "</td></tr></table>";
  base::Diagnostics d2;
  auto deep = MessageTemplate::Compile(Source(nested), d2);
  if (deep) deep->Render({r.contact, nullptr, r.campaign, "https://u.example/u"});
  LintTemplate(Source(nested));  // findings or none, but an answer
  SUCCEED("no crash");
}
