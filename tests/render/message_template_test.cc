#include "b2bmail/render/message_template.h"

#include <catch2/catch.hpp>

#include "b2bmail/render/html_to_text.h"

using namespace b2bmail;
using namespace b2bmail::render;

namespace {

struct Fixture {
  model::Contact contact;
  model::Account account;
  model::Campaign campaign;
  Fixture() {
    contact.email = "zoe@acme.example";
    contact.first_name = "Zoë";
    contact.role = model::Role::kBuyer;
    contact.attrs = {{"preferred_channel", "email"}};
    account.id = "acc-acme";
    account.name = "Acme & Söhne";
    account.domains = {"acme.example"};
    account.tier = model::Tier::kChampion;
    campaign.id = "q4";
    campaign.name = "Q4 webinar";
  }
};

}  // namespace

TEST_CASE("a template sees contact, account, campaign and the unsubscribe URL", "[render]") {
  Fixture f;
  TemplateSource src;
  src.id = "t";
  src.subjects[""] = "{{contact.first_name}}, {{account.name}}";
  src.html =
      "<p>Hallo {{contact.first_name}} ({{contact.role}}, {{account.tier}}) at {{account.name}}"
      " via {{contact.attr.preferred_channel}}</p>{{> footer}}";
  src.partials["footer"] = "<a href=\"{{unsubscribe_url}}\">Abmelden</a>";
  src.text = "Hallo {{contact.first_name}} from {{account.name}}\n{{unsubscribe_url}}\n";
  base::Diagnostics d;
  auto t = MessageTemplate::Compile(src, d);
  REQUIRE(t);
  auto m = t->Render({f.contact, &f.account, f.campaign, "https://t.example/u/abc"});
  CHECK(m.subject == "Zoë, Acme & Söhne");  // no HTML escaping in headers
  CHECK(m.html.find("<body><p>Hallo Zoë (buyer, champion) at Acme &amp; Söhne via email</p>"
                    "<a href=\"https://t.example/u/abc\">Abmelden</a></body>") !=
        std::string::npos);
  CHECK(m.text == "Hallo Zoë from Acme & Söhne\nhttps://t.example/u/abc\n");
}

TEST_CASE("without a text template the text part is generated and keeps the unsubscribe link",
          "[render]") {
  Fixture f;
  TemplateSource src;
  src.subjects[""] = "s";
  src.html =
      "<html><head><style>p{color:red}</style></head><body><h1>Title</h1><p>First "
      "paragraph with a <a href=\"https://x.example/case\">case study</a>.</p><ul><li>one</li>"
      "<li>two</li></ul></body></html>";
  base::Diagnostics d;
  auto t = MessageTemplate::Compile(src, d);
  REQUIRE(t);
  auto m = t->Render({f.contact, nullptr, f.campaign, "https://t.example/u/abc"});
  CHECK(m.text ==
        "Title\n=====\n\nFirst paragraph with a case study [1].\n\n- one\n- two\n\nLinks:\n"
        "[1] https://x.example/case\n\n--\nUnsubscribe: https://t.example/u/abc\n");
}

TEST_CASE("broken Mustache is a diagnostic with line and column", "[render]") {
  TemplateSource src;
  src.subjects[""] = "ok";
  src.html = "<p>line one</p>\n<p>{{#contact}}never closed</p>";
  src.html_file = "templates/t/html.mustache";
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(src, d));
  REQUIRE(d.HasErrors());
  CHECK(d.items()[0].Format().find("templates/t/html.mustache:2:4: error[mustache]") == 0);

  TemplateSource bad_utf8;
  bad_utf8.subjects[""] = "s";
  bad_utf8.html = "\xff";
  base::Diagnostics d2;
  CHECK_FALSE(MessageTemplate::Compile(bad_utf8, d2));
  CHECK(d2.items()[0].code == "encoding");
}

TEST_CASE("long text wraps at 76 columns", "[render]") {
  std::string words;
  for (int i = 0; i < 40; ++i) words += "wort ";
  auto text = HtmlToText("<p>" + words + "</p>");
  for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos;
       start = nl + 1)
    CHECK(nl - start <= 76);
}
