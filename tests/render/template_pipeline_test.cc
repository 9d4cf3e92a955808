// The compiled template: layout and partials, languages, the legacy transform done
// once, links rewritten per recipient through markers, and golden outputs.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "b2bmail/render/message_template.h"
#include "golden_source.h"

using namespace b2bmail;
using namespace b2bmail::render;
namespace fs = std::filesystem;

namespace {

struct People {
  model::Contact contact;
  model::Account account;
  model::Campaign campaign;
  Sender sender{"Lumetra Industrial Software GmbH", "Speicherstraße 12, 20457 Hamburg",
                "https://www.lumetra.example"};
  People() {
    contact.email = "jan.kowalski@acme.example";
    contact.first_name = "Jan";
    contact.last_name = "Kowalski";
    contact.language = "pl";
    account.id = "acc";
    account.name = "Acme & Synowie";
    campaign.id = "c1";
    campaign.name = "Launch";
  }
};

std::unique_ptr<MessageTemplate> Compile(const TemplateSource& src) {
  base::Diagnostics d;
  auto t = MessageTemplate::Compile(src, d);
  for (const auto& x : d.items()) INFO(x.Format());
  REQUIRE(t);
  return t;
}

}  // namespace

TEST_CASE("the body sits in its layout and partials expand where they are named", "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html = "<p>Body {{contact.first_name}}</p>\n{{> sig}}";
  src.html_file = "templates/t/html.mustache";
  src.layout =
      "<html><body><table width=\"600\"><tr><td>{{> content}}</td></tr></table>{{> foot}}"
      "</body></html>";
  src.layout_file = "templates/layouts/l.mustache";
  src.partials = {{"sig", "<p>Sig</p>"}, {"foot", "<p>Foot {{> sig}}</p>"}};
  People p;
  auto m = Compile(src)->Render({p.contact, &p.account, p.campaign, "https://u.example/x"});
  CHECK(m.html.find("<td><p>Body Jan</p>\n<p>Sig</p></td>") != std::string::npos);
  CHECK(m.html.find("<p>Foot <p>Sig</p></p>") == std::string::npos);  // HTML parser closes <p>
  CHECK(m.html.find("Foot ") != std::string::npos);

  TemplateSource missing = src;
  missing.html = "<p>x</p>\n  {{> nope}}";
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(missing, d));
  CHECK(d.items().at(0).Format() ==
        "templates/t/html.mustache:2:3: error[partial]: no partial 'nope' "
        "(templates/partials/nope.mustache)");

  TemplateSource loop = src;
  loop.partials["sig"] = "{{> sig}}";
  base::Diagnostics d2;
  CHECK_FALSE(MessageTemplate::Compile(loop, d2));
  CHECK(d2.items().at(0).message == "partial 'sig' includes itself");

  TemplateSource no_slot = src;
  no_slot.layout = "<html><body></body></html>";
  base::Diagnostics d3;
  CHECK_FALSE(MessageTemplate::Compile(no_slot, d3));
  CHECK(d3.items().at(0).code == "layout");
}

TEST_CASE("a Mustache error in a partial points into the partial", "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html = "<p>a</p>\n{{> broken}}";
  src.html_file = "html.mustache";
  src.partials["broken"] = "<p>fine</p>\n<p>{{#open}}</p>";
  src.partial_files["broken"] = "templates/partials/broken.mustache";
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(src, d));
  REQUIRE(d.HasErrors());
  CHECK(d.items()[0].Format().find("templates/partials/broken.mustache:2:4: error[mustache]") == 0);
}

TEST_CASE("subject, preheader and strings follow the contact's language with fallback",
          "[render]") {
  TemplateSource src;
  src.subjects = {{"", "Hello {{contact.first_name}}"},
                  {"de", "Hallo {{contact.first_name}}"},
                  {"pl", "Dzień dobry"},
                  {"fr-ca", "Bonjour (CA)"}};
  src.preheaders = {{"", "Preview"}, {"de", "Vorschau"}};
  src.strings["cta"] = {{"", "Read more"}, {"de", "Weiterlesen"}, {"pl", "Czytaj dalej"}};
  src.html = "<p>{{t.cta}} {{t.missing}}</p>";
  People p;
  auto t = Compile(src);
  auto render = [&](const std::string& lang) {
    p.contact.language = lang;
    return t->Render({p.contact, &p.account, p.campaign, "https://u.example/x"});
  };
  auto pl = render("pl");
  CHECK(pl.subject == "Dzień dobry");
  CHECK(pl.html.find("<p>Czytaj dalej </p>") != std::string::npos);
  CHECK(pl.html.find("mso-hide:all\">Preview</div>") != std::string::npos);  // no pl preheader
  CHECK(pl.language == "pl");
  auto de_at = render("de-AT");
  CHECK(de_at.subject == "Hallo Jan");
  CHECK(de_at.html.find(">Vorschau</div>") != std::string::npos);
  CHECK(de_at.html.find("Weiterlesen") != std::string::npos);
  CHECK(render("fr-CA").subject == "Bonjour (CA)");
  CHECK(render("fr").subject == "Hello Jan");
  CHECK(render("").subject == "Hello Jan");
  CHECK(render("ja").language == "");
  // The preheader is hidden in the body and left out of the text part.
  CHECK(render("de").text.find("Vorschau") == std::string::npos);
}

TEST_CASE("every link is rewritten once per message, in document order, HTML and text",
          "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html_file = "templates/t/html.mustache";
  src.html =
      "<html><body>\n<p><a href=\"https://a.example/x?u={{contact.email}}&amp;k=1\">First "
      "link</a></p>\n<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>";
  People p;
  auto t = Compile(src);
  REQUIRE(t->links().size() == 2);
  CHECK(t->links()[0].href == "https://a.example/x?u={{contact.email}}&k=1");
  CHECK(t->links()[0].text == "First link");
  CHECK(t->links()[0].file == "templates/t/html.mustache");
  CHECK(t->links()[0].position.line == 2);
  CHECK(t->links()[1].href == "{{unsubscribe_url}}");

  std::vector<std::string> seen;
  LinkRewriter rewrite = [&](const LinkInfo& link, const std::string& url) {
    seen.push_back(std::to_string(link.index) + " " + url);
    if (link.href == "{{unsubscribe_url}}") return url;  // unsubscribe links stay direct
    return "https://t.example/c/" + std::to_string(link.index) + "?to=" + url;
  };
  auto m = t->Render(
      {p.contact, &p.account, p.campaign, "https://u.example/u/tok", nullptr, "", "", &rewrite});
  // HTML part (decoded URLs in, escaped URLs out), then the text part's references.
  CHECK(seen == std::vector<std::string>{"0 https://a.example/x?u=jan.kowalski@acme.example&k=1",
                                         "1 https://u.example/u/tok",
                                         "0 https://a.example/x?u=jan.kowalski@acme.example&k=1",
                                         "1 https://u.example/u/tok"});
  CHECK(m.html.find("href=\"https://t.example/c/0?to=https://a.example/"
                    "x?u=jan.kowalski@acme.example&amp;k=1\"") != std::string::npos);
  CHECK(m.text.find(
            "[1] https://t.example/c/0?to=https://a.example/x?u=jan.kowalski@acme.example&k=1") !=
        std::string::npos);
  CHECK(m.html.find('\x1e') == std::string::npos);
  CHECK(m.text.find('\x1e') == std::string::npos);

  // A value cannot forge a link marker.
  p.contact.first_name =
      "\x1e"
      "0\x1fhttps://evil.example\x1e";
  TemplateSource greet = src;
  greet.html = "<p>Hi {{contact.first_name}}</p><a href=\"https://ok.example\">x</a>";
  auto g = Compile(greet)->Render({p.contact, &p.account, p.campaign, "https://u.example/u/t"});
  CHECK(g.html.find("evil") != std::string::npos);  // shown as text, not as a link
  CHECK(g.html.find("href=\"https://evil") == std::string::npos);
}

TEST_CASE("the legacy transform runs once: inlined CSS, Word attributes, MSO head", "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.preheaders[""] = "Three things to know";
  src.html =
      "<html><head><style>td.cell { padding: 8px; background-color: #ffffff }"
      " a { color: #1d4ed8 } @media (max-width: 600px) { td.cell { padding: 4px } }</style>"
      "</head><body><table style=\"width: 600px\"><tr><td class=\"cell\">"
      "<img src=\"https://img.example/a.png\" style=\"width: 120px; height: 40px\" alt=\"Logo\">"
      "<a href=\"{{view_online_url}}\">View online</a></td></tr></table></body></html>";
  People p;
  auto t = Compile(src);
  const std::string& html = t->compiled_html();
  CHECK(html.find("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"") == 0);
  CHECK(html.find("xmlns:v=\"urn:schemas-microsoft-com:vml\"") != std::string::npos);
  CHECK(html.find("<o:PixelsPerInch>96</o:PixelsPerInch>") != std::string::npos);
  CHECK(html.find("@media (max-width: 600px)") != std::string::npos);  // kept in <head>
  CHECK(html.find("bgcolor=\"#ffffff\"") != std::string::npos);
  CHECK(html.find("width=\"600\"") != std::string::npos);
  CHECK(html.find("role=\"presentation\"") != std::string::npos);
  CHECK(html.find("width=\"120\" height=\"40\"") != std::string::npos);
  CHECK(html.find("border=\"0\"") != std::string::npos);
  CHECK(html.find("href=\"{{view_online_url}}\"") != std::string::npos);  // not %7B%7B
  CHECK(html.find("style=\"color: #1d4ed8\"") != std::string::npos);
  auto m = t->Render({p.contact, &p.account, p.campaign, "https://u.example/u", nullptr, "",
                      "https://v.example/view"});
  CHECK(m.html.find("href=\"https://v.example/view\"") != std::string::npos);
  CHECK(m.html.find("mso-hide:all\">Three things to know</div>") != std::string::npos);
}

// tests/render/data/golden/<case>/: html.mustache (and optional layout.mustache,
// partial-*.mustache, subject.txt) with the expected message.html and message.txt,
// byte for byte. B2BMAIL_UPDATE_GOLDEN=1 rewrites the expectations (review the diff).
TEST_CASE("golden templates render byte-exact HTML and text", "[render][golden]") {
  fs::path root = fs::path(B2BMAIL_TEST_DATA) / "golden";
  int cases = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    INFO(dir.path().string());
    TemplateSource src = testing::GoldenSource(dir.path());
    People p;
    auto m = Compile(src)->Render(
        {p.contact, &p.account, p.campaign, "https://t.lumetra.example/u/TOKEN", &p.sender,
         "https://t.lumetra.example/p/TOKEN", "https://t.lumetra.example/v/TOKEN"});
    if (std::getenv("B2BMAIL_UPDATE_GOLDEN")) {
      std::ofstream(dir.path() / "message.html", std::ios::binary) << m.html;
      std::ofstream(dir.path() / "message.txt", std::ios::binary) << m.text;
    }
    CHECK(m.html == testing::ReadGolden(dir.path() / "message.html"));
    CHECK(m.text == testing::ReadGolden(dir.path() / "message.txt"));
    ++cases;
  }
  CHECK(cases >= 2);
}

TEST_CASE("a link marked as a button gets a VML roundrect for Outlook with the same link",
          "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html =
      "<html><body><table width=\"600\"><tr><td bgcolor=\"#0a4f8f\" style=\"padding: 12px 24px\">"
      "<a class=\"button\" href=\"https://x.example/go?c={{campaign.id}}\" style=\"color: #ffffff; "
      "font-size: 16px\">Register now</a></td></tr></table>"
      "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a></body></html>";
  People p;
  auto t = Compile(src);
  const std::string& html = t->compiled_html();
  CHECK(html.find("<!--[if mso]><v:roundrect xmlns:v=\"urn:schemas-microsoft-com:vml\" "
                  "xmlns:w=\"urn:schemas-microsoft-com:office:word\" "
                  "href=\"https://x.example/go?c={{campaign.id}}\" "
                  "style=\"height:48px;v-text-anchor:middle;width:163px;\" arcsize=\"8%\" "
                  "stroke=\"f\" fillcolor=\"#0a4f8f\"><w:anchorlock/><center "
                  "style=\"color:#ffffff;font-family:Arial, sans-serif;font-size:16px;\">Register "
                  "now</center></v:roundrect><![endif]--><!--[if !mso]><!--><a ") !=
        std::string::npos);
  CHECK(html.find("</a><!--<![endif]-->") != std::string::npos);
  REQUIRE(t->links().size() == 2);  // the VML copy is the same link, not a third one

  int calls = 0;
  LinkRewriter rewrite = [&](const LinkInfo&, const std::string& url) {
    ++calls;
    return url + "&t=1";
  };
  auto m = t->Render(
      {p.contact, &p.account, p.campaign, "https://u.example/u", nullptr, "", "", &rewrite});
  CHECK(calls == 4);  // two links, HTML part and text part: the button's copies share one call
  std::size_t first = m.html.find("https://x.example/go?c=c1&amp;t=1");
  REQUIRE(first != std::string::npos);
  CHECK(m.html.find("https://x.example/go?c=c1&amp;t=1", first + 1) != std::string::npos);
}

TEST_CASE("templates FastTemplate declines render through kainjow with the same data", "[render]") {
  TemplateSource src;
  src.subjects[""] = "{{contact.first_name}}";
  src.strings["hi"] = {{"", "Hi {{contact.first_name}}"}};
  // FastTemplate stops at 64 nested sections; kainjow renders deeper ones.
  std::string open, close;
  for (int i = 0; i < 70; ++i) {
    open += "{{#contact}}";
    close += "{{/contact}}";
  }
  src.html = "<p>" + open + "{{t.hi}} at {{account.name}}" + close +
             "</p><a href=\"{{unsubscribe_url}}\">u</a>";
  People p;
  auto m = Compile(src)->Render({p.contact, &p.account, p.campaign, "https://u.example/u"});
  CHECK(m.html.find("<p>Hi Jan at Acme &amp; Synowie</p>") != std::string::npos);
  CHECK(m.html.find("href=\"https://u.example/u\"") != std::string::npos);
  CHECK(m.subject == "Jan");
}

TEST_CASE("set-delimiter tags are refused: the legacy transform needs {{ }} tags", "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html_file = "t.mustache";
  src.html = "<p>a</p>\n<p>{{=<% %>=}}<% contact.first_name %></p>";
  base::Diagnostics d;
  CHECK_FALSE(MessageTemplate::Compile(src, d));
  REQUIRE(d.HasErrors());
  CHECK(d.items()[0].Format() ==
        "t.mustache:2:4: error[mustache]: set-delimiter tags ({{=...=}}) are not supported; "
        "templates use {{ }}");
}

TEST_CASE("a fluid container capped by max-width gets a ghost table for Outlook", "[render]") {
  TemplateSource src;
  src.subjects[""] = "s";
  src.html =
      "<html><head><style>.wrap { max-width: 600px; margin: 0 auto }</style></head><body>"
      "<div class=\"wrap\"><p>Hello</p></div><a href=\"{{unsubscribe_url}}\">u</a></body></html>";
  auto t = Compile(src);
  CHECK(t->compiled_html().find(
            "<!--[if mso]><table role=\"presentation\" width=\"600\" align=\"center\" border=\"0\" "
            "cellpadding=\"0\" cellspacing=\"0\"><tr><td><![endif]--><div class=\"wrap\" "
            "style=\"max-width: 600px; margin: 0 auto\"><p>Hello</p></div><!--[if mso]></td></tr>"
            "</table><![endif]-->") != std::string::npos);
  TemplateSource fixed = src;
  fixed.html =
      "<html><body><table width=\"600\" style=\"max-width: 600px\"><tr><td>x</td></tr>"
      "</table></body></html>";
  CHECK(Compile(fixed)->compiled_html().find("[if mso]><table") == std::string::npos);
}
