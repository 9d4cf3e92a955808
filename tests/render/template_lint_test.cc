// template lint: compile errors, rules still broken after the legacy transform, unknown
// variables, all at their place in the authored files.
#include "b2bmail/render/template_lint.h"

#include <catch2/catch.hpp>

using namespace b2bmail;
using namespace b2bmail::render;

namespace {

TemplateSource Source(std::string html) {
  TemplateSource src;
  src.id = "t";
  src.subjects[""] = "Hello {{contact.first_name}}";
  src.html = std::move(html);
  src.html_file = "templates/t/html.mustache";
  src.layout =
      "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:"
      "office\"><head></head><body>\n<table width=\"600\"><tr><td width=\"600\">{{> content}}"
      "</td></tr></table>\n{{> footer}}</body></html>";
  src.layout_file = "templates/layouts/standard.mustache";
  src.partials["footer"] =
      "<table width=\"600\"><tr><td width=\"600\" style=\"font-family: Arial, sans-serif\">\n"
      "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a></td></tr></table>";
  src.partial_files["footer"] = "templates/partials/footer.mustache";
  return src;
}

std::vector<std::string> Lines(const TemplateLintReport& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.Format());
  return out;
}

bool Has(const TemplateLintReport& r, const std::string& text) {
  for (const auto& f : r.findings)
    if (f.Format().find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a clean template has no findings; the transform's fixes are not reported",
          "[render][lint]") {
  // No border/cellpadding on the tables, no MSO head: the transform adds them.
  auto r =
      LintTemplate(Source("<p style=\"font-family: Arial, sans-serif\">Hello "
                          "{{contact.first_name}}</p>"));
  INFO(Catch::Detail::stringify(Lines(r)));
  CHECK(r.findings.empty());
  CHECK_FALSE(r.HasErrors());
  CHECK(r.rendered_size > 500);
}

TEST_CASE("findings point into the file that was written", "[render][lint]") {
  auto src = Source("<p>one</p>\n<p><img src=\"http://img.example/a.png\" width=\"100%\"></p>");
  auto r = LintTemplate(src);
  INFO(Catch::Detail::stringify(Lines(r)));
  CHECK(Has(r, "templates/t/html.mustache:2:4: error[L5] (all): "));
  CHECK(Has(r, "templates/t/html.mustache:2:"));
  CHECK(r.HasErrors());

  src.partials["footer"] = "<p>No way out</p>";
  auto no_unsubscribe = LintTemplate(src);
  CHECK(Has(no_unsubscribe, "error[L26]"));

  src = Source("<p>ok</p>");
  src.partials["footer"] =
      "<table width=\"600\"><tr><td width=\"600\">\n\n  <a href=\"{{unsubscribe_url}}\" "
      "style=\"display: flex\">Unsubscribe</a></td></tr></table>";
  auto in_partial = LintTemplate(src);
  INFO(Catch::Detail::stringify(Lines(in_partial)));
  CHECK(Has(in_partial, "templates/partials/footer.mustache:3:"));
  CHECK(Has(in_partial, "error[L9]"));
}

TEST_CASE("names the data does not have are warnings with the nearest name", "[render][lint]") {
  auto r =
      LintTemplate(Source("<p>Hi {{contact.frist_name}} {{contact.attr.anything}}\n"
                          "{{#account.name}}at {{account.name}}{{/account.name}}\n"
                          "{{#offers}}{{title}}{{/offers}} {{t.nope}}</p>"));
  INFO(Catch::Detail::stringify(Lines(r)));
  CHECK(Has(r,
            "templates/t/html.mustache:1:7: warning[V1] (all): 'contact.frist_name' is not in "
            "the template data and renders empty; did you mean contact.first_name?"));
  CHECK(Has(r, "'offers' is not in the template data"));
  CHECK_FALSE(Has(r, "'title'"));  // inside a section over unknown data: not checked
  CHECK(Has(r, "'t.nope'"));
  CHECK_FALSE(Has(r, "contact.attr.anything"));
  CHECK_FALSE(r.HasErrors());
}

TEST_CASE("compile errors are findings too", "[render][lint]") {
  auto r = LintTemplate(Source("<p>\n{{#contact}}open</p>"));
  REQUIRE(r.HasErrors());
  CHECK(r.findings[0].rule == "mustache");
  CHECK(r.findings[0].file == "templates/t/html.mustache");
}
