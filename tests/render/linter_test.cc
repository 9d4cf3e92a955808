// One snippet per rule that triggers it (rule, severity, line, column) and one that is
// clean. Snippets are fragments, so document rules (L2 container, L21 head, L26
// unsubscribe) also fire on them; each test looks only at its own rule.
#include <set>

#include "lint_test_support.h"

using namespace lint_test;
using b2bmail::render::LintRules;

TEST_CASE("L1: CSS width on div/p layout boxes", "[lint]") {
  RequireFinding(R"h(<div style="width:300px">x</div>)h", "L1", Severity::kError, 1, 13);
  // Multi-line start tag: the position is the property's, not libxml2's end-of-tag line.
  RequireFinding("<div\n  class=\"x\"\n  style=\"color:red; width:300px\">x</div>", "L1",
                 Severity::kError, 3, 21);
  RequireClean(
      R"h(<div style="width:100%">x</div><table><tr><td style="width:300px">x</td></tr></table>)h",
      "L1");
}

TEST_CASE("L2: one fixed-width container table", "[lint]") {
  RequireFinding(R"h(<table style="max-width:600px"><tr><td>x</td></tr></table>)h", "L2",
                 Severity::kError, 1, 15);
  RequireFinding(R"h(<table width="700"><tr><td>x</td></tr></table>)h", "L2", Severity::kWarning, 1,
                 8);
  RequireFinding(R"h(<table><tr><td>x</td></tr></table>)h", "L2", Severity::kWarning, 1, 1);
  RequireClean(
      R"h(<table width="100%"><tr><td><table width="600"><tr><td>x</td></tr></table></td></tr></table>)h",
      "L2");
  // The hybrid pattern: Outlook gets its width from an MSO ghost table.
  RequireClean(
      "<!--[if mso]><table width=\"600\"><tr><td><![endif]-->"
      "<div style=\"max-width:600px\">x</div><!--[if mso]></td></tr></table><![endif]-->",
      "L2");
}

TEST_CASE("L3: margins", "[lint]") {
  RequireFinding(R"h(<p style="margin:-10px 0">x</p>)h", "L3", Severity::kError, 1, 11);
  RequireFinding(R"h(<p style="margin:0 auto">x</p>)h", "L3", Severity::kWarning, 1, 11);
  RequireFinding(R"h(<p>a</p><span style="margin:4px">y</span>)h", "L3", Severity::kWarning, 1, 22);
  RequireFinding(R"h(<p style="margin:0 0 16px">x</p>)h", "L3", Severity::kWarning, 1, 11);
  RequireClean(R"h(<body style="margin:0"><p style="margin:0; margin-top:0px">x</p></body>)h",
               "L3");
}

TEST_CASE("L4: padding only on cells, equal vertical padding in a row", "[lint]") {
  RequireFinding(R"h(<a href="https://a.example" style="padding:10px">y</a>)h", "L4",
                 Severity::kWarning, 1, 36);
  RequireFinding(
      R"h(<table><tr><td style="padding:10px">d</td><td style="padding:5px">e</td></tr></table>)h",
      "L4", Severity::kWarning, 1, 8);
  RequireClean(
      R"h(<table><tr><td style="padding:10px 4px">a</td><td style="padding:10px 0 10px 8px">b</td></tr></table>)h",
      "L4");
}

TEST_CASE("L5: image attributes", "[lint]") {
  auto all = Lint(
      "<p>x</p>\n  <img src=\"https://a.example/x.png\" width=\"1\" height=\"1\" "
      "border=\"0\">");
  INFO(Describe(all));
  auto l5 = OfRule(all, "L5");
  REQUIRE(l5.size() == 1);
  CHECK(l5[0].severity == Severity::kError);
  CHECK(l5[0].line == 2);
  CHECK(l5[0].column == 3);
  CHECK(l5[0].message.find("missing alt text") == 0);
  CHECK(l5[0].clients == "all");
  RequireFinding(
      "<p>x</p>\n  <img src=\"https://a.example/x.png\" width=\"50%\" height=\"1\" border=\"0\" "
      "alt=\"\">",
      "L5", Severity::kError, 2, 38);
  RequireFinding(R"h(<img alt="" src="https://a.example/x.png" height="1" border="0">)h", "L5",
                 Severity::kError, 1, 1);  // no width
  RequireFinding(
      R"h(<img alt="" src="https://a.example/x.png" width="600px" height="1" border="0">)h", "L5",
      Severity::kWarning, 1, 43);
  RequireFinding(R"h(<img alt="" src="https://a.example/x.png" width="6" height="1">)h", "L5",
                 Severity::kWarning, 1, 1);  // no border="0"
  RequireClean(
      R"h(<img src="https://a.example/x.png" width="600" height="{{h}}" border="0" alt="Logo" style="display:block">)h",
      "L5");
}

TEST_CASE("L6: image sources", "[lint]") {
  const std::string attrs = R"h( width="1" height="1" border="0" alt="")h";
  RequireFinding("<img src=\"img/x.png\"" + attrs + ">", "L6", Severity::kError, 1, 6);
  RequireFinding("<img" + attrs + " src=\"data:image/png;base64,AAAA\">", "L6", Severity::kError, 1,
                 45);
  RequireFinding("<img src=\"http://a.example/x.png\"" + attrs + ">", "L6", Severity::kWarning, 1,
                 6);
  RequireFinding("<img src=\"\"" + attrs + ">", "L6", Severity::kError, 1, 6);
  RequireClean("<img src=\"https://a.example/x.png\"" + attrs + "><img src=\"{{cdn}}/x.png\"" +
                   attrs + "><img src=\" https://{{host}}/x.png\"" + attrs + ">",
               "L6");
  auto data = OfRule(Lint("<img src=\"data:image/gif;base64,R0lG\"" + attrs + ">"), "L6");
  REQUIRE(data.size() == 1);
  CHECK(data[0].clients == "outlook-word,gmail");
}

TEST_CASE("L7: background images", "[lint]") {
  RequireFinding(
      R"h(<table><tr><td style="background-image:url(https://a.example/b.png)">a</td></tr></table>)h",
      "L7", Severity::kError, 1, 23);
  RequireFinding(
      R"h(<table><tr><td style="background:#ffffff url(https://a.example/b.png)">a</td></tr></table>)h",
      "L7", Severity::kWarning, 1, 23);
  RequireFinding(R"h(<table background="https://a.example/b.png"><tr><td>a</td></tr></table>)h",
                 "L7", Severity::kError, 1, 8);
  RequireClean(
      R"h(<table bgcolor="#ffffff"><tr><td style="background-color:#ffffff; background-image:none">a</td></tr></table>)h",
      "L7");
}

TEST_CASE("L8: decoration Outlook ignores", "[lint]") {
  RequireFinding(R"h(<table><tr><td style="border-radius:4px">a</td></tr></table>)h", "L8",
                 Severity::kWarning, 1, 23);
  RequireFinding(R"h(<p style="color:#000; background-image:linear-gradient(red, blue)">a</p>)h",
                 "L8", Severity::kWarning, 1, 23);
  RequireClean(
      R"h(<table><tr><td style="border-radius:0; box-shadow:none; opacity:1">a</td></tr></table>)h",
      "L8");
  // Inside <!--[if !mso]><!--> Outlook never sees it.
  RequireClean(R"h(<!--[if !mso]><!--><p style="border-radius:4px">a</p><!--<![endif]-->)h", "L8");
}

TEST_CASE("L9: flex, grid, float, position", "[lint]") {
  RequireFinding(R"h(<div style="display:flex">x</div>)h", "L9", Severity::kError, 1, 13);
  RequireFinding(R"h(<p>a</p><img style="float:left" src="https://a.example/x.png" alt="">)h", "L9",
                 Severity::kError, 1, 21);
  RequireClean(R"h(<div style="display:block; float:none; position:static">x</div>)h", "L9");
}

TEST_CASE("L10: desktop layout in @media (min-width)", "[lint]") {
  RequireFinding(
      "<style>\n.a{color:red}\n@media screen and (min-width:600px){.a{width:600px}}\n"
      "</style>",
      "L10", Severity::kWarning, 3, 1);
  RequireClean("<style>@media only screen and (max-width:620px){.a{width:100% !important}}</style>",
               "L10");
}

TEST_CASE("L11: <style> placement and Gmail's 16 KB cap", "[lint]") {
  RequireFinding("<p>x</p>\n<style>p{color:red}</style>", "L11", Severity::kWarning, 2, 1);
  std::string big = "<html><head><style>a{color:red}</style>\n<style>";
  for (int i = 0; i < 1500; ++i) big += ".c{color:red}";
  big += "</style></head><body><p>x</p></body></html>";
  RequireFinding(big, "L11", Severity::kError, 2, 1);
  RequireClean("<html><head><style>p{color:red}</style></head><body><p>x</p></body></html>", "L11");
}

TEST_CASE("L12: font stacks and @font-face", "[lint]") {
  RequireFinding(R"h(<p style="font-family:'Brand Sans', Roboto">x</p>)h", "L12",
                 Severity::kWarning, 1, 11);
  RequireFinding("<style>@font-face{font-family:X;src:url(https://a.example/x.woff)}</style>",
                 "L12", Severity::kWarning, 1, 8);
  RequireClean(
      R"h(<p style="font-family:'Brand Sans', Arial, sans-serif">x</p>)h"
      "<!--[if !mso]><!--><style>@font-face{font-family:X;src:url(https://a.example/x.woff)}"
      "</style><!--<![endif]-->"
      "<style>@font-face{font-family:Y;mso-font-alt:Arial;src:url(https://a.example/y.woff)}"
      "</style><p style=\"font-family:{{font}}\">y</p>",
      "L12");
}

TEST_CASE("L13: shorthands, thick borders, !important", "[lint]") {
  RequireFinding(R"h(<table><tr><td style="background:#fff no-repeat">a</td></tr></table>)h", "L13",
                 Severity::kWarning, 1, 23);
  RequireFinding(R"h(<table><tr><td style="border:10px solid #000">a</td></tr></table>)h", "L13",
                 Severity::kWarning, 1, 23);
  RequireFinding(R"h(<p style="color:red !important">a</p>)h", "L13", Severity::kWarning, 1, 11);
  RequireFinding("<style>@media (max-width:600px){.a{width:100%!important}}</style>", "L13",
                 Severity::kWarning, 1, 36);
  RequireClean(
      R"h(<table><tr><td style="background:#ffffff; border:1px solid #cccccc">a</td></tr></table>)h"
      "<style>@media (max-width:600px){.a{width:100% !important}}</style>",
      "L13");
}

TEST_CASE("L14: line-height needs mso-line-height-rule", "[lint]") {
  RequireFinding(R"h(<p style="font-size:16px; line-height:24px">a</p>)h", "L14",
                 Severity::kWarning, 1, 27);
  RequireClean(R"h(<p style="line-height:24px; mso-line-height-rule:exactly">a</p>)h", "L14");
}

TEST_CASE("L15: selectors Outlook does not understand", "[lint]") {
  RequireFinding("<style>\n  a:hover{color:red}</style>", "L15", Severity::kWarning, 2, 3);
  RequireFinding("<style>td > p{color:red}</style>", "L15", Severity::kWarning, 1, 8);
  RequireClean(
      "<style>.a, #b, td, p.c{color:red} a[x-apple-data-detectors]{color:inherit}"
      "@media (max-width:600px){.a:hover{color:red}}</style>",
      "L15");
}

TEST_CASE("L16: units and functions", "[lint]") {
  RequireFinding(R"h(<p style="font-size:1.2rem">a</p>)h", "L16", Severity::kWarning, 1, 11);
  RequireFinding(R"h(<table style="width:calc(100% - 20px)"><tr><td>a</td></tr></table>)h", "L16",
                 Severity::kWarning, 1, 15);
  RequireClean(
      R"h(<table style="max-width:600px; min-width:320px; width:600px"><tr><td style="font-size:16px">a</td></tr></table>)h",
      "L16");
}

TEST_CASE("L17: elements and attributes mail clients drop", "[lint]") {
  RequireFinding("<p>x</p>\n<script>alert(1)</script>", "L17", Severity::kError, 2, 1);
  RequireFinding("<p>x</p><form action=\"https://a.example\"><input name=\"q\"></form>", "L17",
                 Severity::kError, 1, 9);
  RequireFinding(R"h(<p onclick="x()">z</p>)h", "L17", Severity::kError, 1, 4);
  RequireFinding(
      R"h(<img srcset="https://a.example/x2.png 2x" src="https://a.example/x.png" alt="">)h", "L17",
      Severity::kWarning, 1, 6);
  RequireClean(
      "<html><head><script type=\"application/ld+json\">{}</script></head>"
      "<body><p>x</p></body></html>",
      "L17");
}

TEST_CASE("L18: display:none for Outlook", "[lint]") {
  RequireFinding(R"h(<img style="display:none" src="https://a.example/x.png" alt="">)h", "L18",
                 Severity::kError, 1, 13);
  RequireFinding(R"h(<div style="display:none">pre</div>)h", "L18", Severity::kWarning, 1, 13);
  RequireFinding(R"h(<div style="display:none"><table><tr><td>t</td></tr></table></div>)h", "L18",
                 Severity::kError, 1, 13);
  RequireClean(
      R"h(<div style="display:none; mso-hide:all"><table><tr><td>t</td></tr></table></div>)h",
      "L18");
}

TEST_CASE("L19: colspan and cell widths", "[lint]") {
  std::string table =
      "<table width=\"600\"><tr><td colspan=\"2\">a</td></tr>\n"
      "<tr><td width=\"300\">b</td><td>c</td></tr></table>";
  RequireFinding(table, "L19", Severity::kWarning, 1, 28);
  RequireFinding(table, "L19", Severity::kWarning, 2, 27);
  RequireClean(
      "<table width=\"600\"><tr><td>single cell</td></tr>"
      "<tr><td width=\"300\">b</td><td style=\"width:300px\">c</td></tr></table>"
      "<table><tr><td>unsized</td><td>table</td></tr></table>",
      "L19");
}

TEST_CASE("L20: links", "[lint]") {
  RequireFinding(R"h(<p><a href="/pricing">x</a></p>)h", "L20", Severity::kError, 1, 7);
  RequireFinding(R"h(<p><a href="http://a.example">x</a></p>)h", "L20", Severity::kWarning, 1, 7);
  RequireFinding(R"h(<p><a href="#agenda">x</a></p>)h", "L20", Severity::kWarning, 1, 7);
  RequireFinding(R"h(<p><a href="#">x</a></p>)h", "L20", Severity::kError, 1, 7);
  RequireFinding(R"h(<p><a href="javascript:void(0)">x</a></p>)h", "L20", Severity::kError, 1, 7);
  RequireClean(
      R"h(<a href="https://a.example/x?y=1">a</a><a href="mailto:a@b.example">b</a>)h"
      R"h(<a href="tel:+491234">c</a><a href="{{unsubscribe_url}}">d</a>)h"
      R"h(<a href="{{{preferences_url}}}">e</a><a href="{{ view_online_url }}">f</a>)h"
      R"h(<a href="{{#x}}https://a.example{{/x}}">g</a><a href="{{link}}">h</a><a name="top">i</a>)h",
      "L20");
}

TEST_CASE("L21: Outlook namespaces and the 96 DPI block", "[lint]") {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>t</title></head>"
      "<body><p>x</p></body></html>";
  RequireFinding(html, "L21", Severity::kWarning, 2, 1);  // namespaces, at <html>
  RequireFinding(html, "L21", Severity::kWarning, 3, 1);  // PixelsPerInch, at <head>
  RequireClean(ReadGoodEmail(), "L21");
}

TEST_CASE("L22: MSO conditional comments", "[lint]") {
  std::string html =
      "<!--[if !mso]><!--><p>y</p>\n"
      "<!--[if mso]><p>z<!-- c --></p><![endif]-->\n"
      "<![endif]-->";
  RequireFinding(html, "L22", Severity::kError, 1, 1);  // never closed by <!--<![endif]-->
  RequireFinding(html, "L22", Severity::kError, 2, 1);  // ended early by the nested comment
  RequireFinding(html, "L22", Severity::kError, 3, 1);  // stray <![endif]-->
  RequireFinding("<p>a</p>\n  <!--[if mso]><table><tr><td>", "L22", Severity::kError, 2, 3);
  RequireClean(
      "<!--[if mso]><table><tr><td><![endif]--><p>x</p><!--[if mso]></td></tr></table>"
      "<![endif]--><!--[if !mso]><!--><p>y</p><!--<![endif]--><!-- plain -->",
      "L22");
}

TEST_CASE("L23: Gmail clipping", "[lint]") {
  LintOptions over, near, fine;
  over.rendered_size = 110 * 1024;
  near.rendered_size = 95 * 1024;
  fine.rendered_size = 50 * 1024;
  RequireFinding("<p>x</p>", "L23", Severity::kError, 0, 0, over);
  RequireFinding("<p>x</p>", "L23", Severity::kWarning, 0, 0, near);
  RequireClean("<p>x</p>", "L23", fine);
  RequireClean("<p>x</p>", "L23");  // size unknown
}

TEST_CASE("L25: lists", "[lint]") {
  RequireFinding("<p>x</p><ul><li>a</li></ul>", "L25", Severity::kWarning, 1, 9);
  RequireClean("<table><tr><td>&bull; a</td></tr></table>", "L25");
}

TEST_CASE("L26: visible unsubscribe link", "[lint]") {
  RequireFinding("<body>\n<p>x</p></body>", "L26", Severity::kError, 1, 1);
  RequireFinding(
      "<p>Hi</p>\n<div style=\"display:none\"><a href=\"{{unsubscribe_url}}\">"
      "Unsubscribe</a></div>",
      "L26", Severity::kError, 2, 27);
  RequireFinding(R"h(<p>Hi <a href="{{unsubscribe_url}}" style="font-size:0">Unsubscribe</a></p>)h",
                 "L26", Severity::kError, 1, 7);
  RequireFinding(R"h(<p>Hi <a href="{{unsubscribe_url}}"></a></p>)h", "L26", Severity::kError, 1,
                 7);
  RequireClean(R"h(<p>Hi <a href="{{unsubscribe_url}}">Unsubscribe</a></p>)h", "L26");
  RequireClean(R"h(<p>Hi <a href="https://acme.example/prefs?u=1">Abmelden</a></p>)h", "L26");
  RequireClean(R"h(<p>Hi <a href="https://acme.example/unsubscribe?u={{token}}">here</a></p>)h",
               "L26");
}

TEST_CASE("L26: hidden text besides the preheader", "[lint]") {
  std::string html =
      "<div style=\"display:none; mso-hide:all\">preheader</div>\n"
      "<p>Visible <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n"
      "<div style=\"display:none; mso-hide:all\">later</div>\n"
      "<p>x <span style=\"font-size:0px\">zero</span></p>\n"
      "<table><tr><td bgcolor=\"#FFF\"><span style=\"color:white\">ghost</span></td></tr></table>";
  RequireFinding(html, "L26", Severity::kWarning, 3, 13);
  RequireFinding(html, "L26", Severity::kWarning, 4, 19);
  RequireFinding(html, "L26", Severity::kWarning, 5, 31);
  auto findings = OfRule(Lint(html), "L26");
  INFO(Describe(findings));
  CHECK(findings.size() == 3);  // the preheader is not one of them
  // Mobile-only blocks that @media shows are not hidden text.
  RequireClean(
      "<style>@media (max-width:600px){.mobile{display:block !important}}</style>"
      "<p>Visible <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>"
      "<div class=\"mobile\" style=\"display:none; mso-hide:all\">mobile</div>"
      "<table><tr><td style=\"font-size:0\"><div style=\"font-size:14px\">col</div></td>"
      "</tr></table>",
      "L26");
}

TEST_CASE("L27: link text showing another host", "[lint]") {
  RequireFinding("<p>\n  <a href=\"https://evil.example/x\">www.acme.com</a></p>", "L27",
                 Severity::kError, 2, 3);
  RequireFinding(
      R"h(<p><a href="https://t.example/c?u=1">Visit https://acme.com/offer today</a></p>)h", "L27",
      Severity::kError, 1, 4);
  RequireClean(R"h(<a href="https://www.acme.com/a">https://acme.com/b</a>)h"
               R"h(<a href="https://go.acme.com/x">www.acme.com</a>)h"
               R"h(<a href="https://shop.acme.co.uk">acme.co.uk</a>)h"
               R"h(<a href="https://nodejs.org">Node.js</a>)h"
               R"h(<a href="{{unsubscribe_url}}">www.acme.com</a>)h"
               R"h(<a href="mailto:info@acme.com">info@acme.com</a>)h"
               R"h(<a href="https://{{host}}/x">www.acme.com</a>)h",
               "L27");
}

TEST_CASE("L28: a hand-written text part is a note", "[lint]") {
  LintOptions text;
  text.has_text_template = true;
  RequireFinding("<p>x</p>", "L28", Severity::kNote, 0, 0, text);
  RequireClean("<p>x</p>", "L28");
}

TEST_CASE("the catalogue lists every rule once, and findings use its ids", "[lint]") {
  std::set<std::string> ids;
  for (const auto& rule : LintRules()) {
    CHECK(ids.insert(rule.id).second);
    CHECK(std::string(rule.summary).size() > 10);
    CHECK(!std::string(rule.clients).empty());
  }
  CHECK(ids.size() == 28);
  LintOptions options;
  options.rendered_size = 200 * 1024;
  options.has_text_template = true;
  std::string bad =
      "<div style=\"width:300px; display:flex; margin:-1px; border-radius:3px\">"
      "<img src=\"x.png\"><a href=\"/x\">www.a.com</a><ul><li>x</li></ul><script></script>"
      "</div><style>a:hover{font-family:X}</style><!--[if mso]>";
  for (const auto& f : Lint(bad, options)) CHECK(ids.count(f.rule) == 1);
}

TEST_CASE("columns count code points; findings come sorted by position", "[lint]") {
  RequireFinding(R"h(<p>Zoë ünd 日本</p><div style="width:300px">x</div>)h", "L1", Severity::kError,
                 1, 30);
  auto all = Lint("<p style=\"margin:-1px\">a</p>\n<div style=\"width:9px\">b</div><ul></ul>");
  for (std::size_t i = 1; i < all.size(); ++i) {
    bool ordered = all[i - 1].line < all[i].line ||
                   (all[i - 1].line == all[i].line && all[i - 1].column <= all[i].column);
    CHECK(ordered);
  }
}

TEST_CASE("each rule reports at most 100 findings plus a summary", "[lint]") {
  std::string html = "<table width=\"600\"><tr><td>";
  for (int i = 0; i < 150; ++i) html += "<ul></ul>";
  html += "</td></tr></table>";
  auto l25 = OfRule(Lint(html), "L25");
  REQUIRE(l25.size() == 101);
  CHECK(l25.back().line == 0);
  CHECK(l25.back().message == "50 more L25 findings not shown");
}
