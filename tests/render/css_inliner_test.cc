// The inliner's headers are private to engine/render and the test target does not see
// libxml2, so the tests go through the string-level entry (same passes, same serializer).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "css_inline_support.h"

using namespace b2bmail;
using namespace b2bmail::render;
using b2bmail::render::test_support::InlineCssInHtml;

namespace {

// CSS inlining only, no Word attributes, no diagnostics expected.
std::string Inline(const std::string& html) {
  base::Diagnostics d;
  std::string out = InlineCssInHtml(html, "t.html", d, false);
  for (const auto& item : d.items()) UNSCOPED_INFO(item.Format());
  CHECK(d.empty());
  return out;
}

std::string Word(const std::string& html) {
  base::Diagnostics d;
  return InlineCssInHtml(html, "t.html", d, true);
}

}  // namespace

TEST_CASE("id beats class beats type; on equal specificity the later rule wins", "[css]") {
  CHECK(Inline("<style>#x{color:red} .c{color:green} td{color:blue}</style>"
               "<table><tr><td id=\"x\" class=\"c\">a</td><td class=\"c\">b</td><td>c</td></tr>"
               "</table>") ==
        "<table><tr><td id=\"x\" class=\"c\" style=\"color: red\">a</td>"
        "<td class=\"c\" style=\"color: green\">b</td><td style=\"color: blue\">c</td></tr>"
        "</table>");
  CHECK(Inline("<style>p{color:red}\np{color:blue; margin:0}</style><p>x</p>") ==
        "<p style=\"color: blue; margin: 0\">x</p>");
  // Compounds add up: two classes beat one, tag plus class beats class.
  CHECK(Inline("<style>.a.b{color:red} .a{color:blue} p.a{padding:1px} .a{padding:2px}</style>"
               "<p class=\"b a\">x</p>") ==
        "<p class=\"b a\" style=\"color: red; padding: 1px\">x</p>");
}

TEST_CASE("!important wins over specificity, and a style attribute over the stylesheet", "[css]") {
  CHECK(Inline("<style>p{color:red !important} #x{color:blue}</style><p id=\"x\">a</p>") ==
        "<p id=\"x\" style=\"color: red\">a</p>");
  CHECK(Inline("<style>p{color:red ! IMPORTANT} #x{color:blue!important}</style>"
               "<p id=\"x\">a</p>") == "<p id=\"x\" style=\"color: blue\">a</p>");
  // Existing inline declarations beat normal stylesheet ones, come first, and keep order.
  CHECK(Inline("<style>#x{color:blue; font-size:12px; padding:0}</style>"
               "<p id=\"x\" style=\"padding: 4px;color:green\">a</p>") ==
        "<p id=\"x\" style=\"padding: 4px; color: green; font-size: 12px\">a</p>");
  // Stylesheet !important beats a normal inline declaration; inline !important beats all.
  CHECK(Inline("<style>p{color:blue!important; margin:0 !important}</style>"
               "<p style=\"color:green; margin: 1px !important\">a</p>") ==
        "<p style=\"color: blue; margin: 1px\">a</p>");
}

TEST_CASE("a longhand that wins stays after its shorthand", "[css]") {
  // `.x` wins padding-left over `td` padding, although `td` comes later in the source.
  CHECK(Inline("<style>.x{padding-left:5px} td{padding:0}</style>"
               "<table><tr><td class=\"x\">a</td></tr></table>") ==
        "<table><tr><td class=\"x\" style=\"padding: 0; padding-left: 5px\">a</td></tr>"
        "</table>");
  // The inline shorthand beats the stylesheet longhand, so it goes last.
  CHECK(Inline("<style>td{border-top-width:2px; color:red}</style>"
               "<table><tr><td style=\"border-width:1px\">a</td></tr></table>") ==
        "<table><tr><td style=\"border-top-width: 2px; border-width: 1px; color: red\">a</td></tr>"
        "</table>");
}

TEST_CASE("descendant and child selectors, selector lists", "[css]") {
  std::string html =
      "<style>table .c{color:red} tr > .c{padding:1px} table > .c{margin:0}"
      " .outer td.c span{font-weight:bold} h1, .c, #nope{font-size:9px}</style>"
      "<table class=\"outer\"><tr><td class=\"c\"><span>s</span></td></tr></table>"
      "<h1>h</h1>";
  CHECK(Inline(html) ==
        "<table class=\"outer\"><tr><td class=\"c\" style=\"color: red; padding: 1px;"
        " font-size: 9px\"><span style=\"font-weight: bold\">s</span></td></tr></table>"
        "<h1 style=\"font-size: 9px\">h</h1>");
  // `a > b c` needs backtracking: the nearest `b` ancestor is not a child of `a`.
  CHECK(Inline("<style>.a > .b .c{color:red}</style>"
               "<div class=\"a\"><div class=\"b\"><div class=\"b\"><p class=\"c\">x</p></div>"
               "</div></div>") ==
        "<div class=\"a\"><div class=\"b\"><div class=\"b\"><p class=\"c\" style=\"color: red\">"
        "x</p></div></div></div>");
  CHECK(Inline("<style>.a > .c{color:red}</style><div class=\"a\"><div><p class=\"c\">x</p>"
               "</div></div>") == "<div class=\"a\"><div><p class=\"c\">x</p></div></div>");
}

TEST_CASE("classes are tokens and case-sensitive, tags are not", "[css]") {
  CHECK(Inline("<style>.btn{color:red} .Btn{color:blue} TD{padding:0} #Id{margin:0}</style>"
               "<table><tr><td class=\" btn-x\tbtn \">a</td><td id=\"id\" class=\"btnx\">b</td>"
               "</tr></table>") ==
        "<table><tr><td class=\" btn-x\tbtn \" style=\"color: red; padding: 0\">a</td>"
        "<td id=\"id\" class=\"btnx\" style=\"padding: 0\">b</td></tr></table>");
}

TEST_CASE("at-rules stay in one <style> in <head>, in order", "[css]") {
  std::string html =
      "<html><body><style>@import url(\"x.css\");\n"
      "p{color:red}\n@media (max-width:600px){ p{color:blue} .x{y:z} }\n"
      "@font-face{font-family:X; src:url(x.woff)}</style><p>a</p>"
      "<style>@supports (display:grid){p{display:grid}}</style></body></html>";
  CHECK(Inline(html) ==
        "<html><head><style>@import url(\"x.css\");\n"
        "@media (max-width:600px){ p{color:blue} .x{y:z} }\n"
        "@font-face{font-family:X; src:url(x.woff)}\n"
        "@supports (display:grid){p{display:grid}}</style></head>"
        "<body><p style=\"color: red\">a</p></body></html>\n");
  // An existing head <style> takes the kept CSS and keeps its attributes.
  CHECK(Inline("<html><head><title>t</title><style type=\"text/css\">p{color:red}</style>"
               "<style>@media print{p{color:black}}</style></head><body><p>a</p></body></html>") ==
        "<html><head><title>t</title>"
        "<style type=\"text/css\">@media print{p{color:black}}</style></head>"
        "<body><p style=\"color: red\">a</p></body></html>\n");
}

TEST_CASE("selectors the inliner cannot apply stay in <head> with a warning", "[css]") {
  base::Diagnostics d;
  std::string out = InlineCssInHtml(
      "<html><head>\n<style>\na:hover, a{color:red}\n[data-x]{margin:0} p+p{x:y}</style></head>"
      "<body><a href=\"https://x.example\">l</a></body></html>",
      "t.html", d, false);
  CHECK(out ==
        "<html><head>\n<style>a:hover {color:red}\n[data-x] {margin:0}\np+p {x:y}</style></head>"
        "<body><a href=\"https://x.example\" style=\"color: red\">l</a></body></html>\n");
  REQUIRE(d.items().size() == 3);
  CHECK(d.items()[0].Format() ==
        "t.html:2:1: warning[css-not-inlined]: selector 'a:hover' not inlined (pseudo-class);"
        " kept in <style>");
  CHECK(d.items()[1].message.find("'[data-x]' not inlined (attribute selector)") !=
        std::string::npos);
  CHECK(d.items()[2].message.find("'p+p' not inlined (sibling combinator)") != std::string::npos);
  CHECK_FALSE(d.HasErrors());
}

TEST_CASE("Mustache tags survive in CSS values, text and attributes", "[css]") {
  std::string html =
      "<style>td{color:{{brand_color}}; font-family:{{{font}}}}"
      " a{color:{{#dark}}#fff{{/dark}}{{^dark}}#000{{/dark}}}</style>"
      "<table><tr><td style=\"background: {{bg}}\">Hi {{contact.first_name}}"
      "{{#cta}}<a href=\"{{unsubscribe_url}}\" title=\"{{{raw}}}\">x</a>{{/cta}}"
      "<img src=\"https://x.example/{{id}}.png\" alt=\"{{name}}\"></td></tr></table>";
  CHECK(
      Inline(html) ==
      "<table><tr><td style=\"background: {{bg}}; color: {{brand_color}};"
      " font-family: {{{font}}}\">Hi {{contact.first_name}}{{#cta}}<a href=\"{{unsubscribe_url}}\""
      " title=\"{{{raw}}}\" style=\"color: {{#dark}}#fff{{/dark}}{{^dark}}#000{{/dark}}\">x</a>"
      "{{/cta}}<img src=\"https://x.example/{{id}}.png\" alt=\"{{name}}\"></td></tr></table>");
  // A style attribute is left as written when no rule applies to the element.
  CHECK(Inline("<p style=\"color: {{brand_color}} ;;\">x</p><style>b{x:y}</style>") ==
        "<p style=\"color: {{brand_color}} ;;\">x</p>");
}

TEST_CASE("Mustache sections in CSS are kept whole, not inlined", "[css]") {
  base::Diagnostics d;
  std::string out = InlineCssInHtml(
      "<style>{{#dark}}p{color:white} td{color:gray}{{/dark}} p{margin:0}"
      " b{ {{#x}}color:red;{{/x}} }</style><p style=\"{{{extra}}}\">a</p><b>b</b>",
      "t.html", d, false);
  CHECK(out ==
        "<style>{{#dark}}p{color:white} td{color:gray}{{/dark}}\nb { {{#x}}color:red;{{/x}} }"
        "</style><p style=\"margin: 0; {{{extra}}}\">a</p><b>b</b>");
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].code == "css-not-inlined");
}

TEST_CASE("several <style> elements, empty ones removed", "[css]") {
  CHECK(Inline("<html><head><style>p{color:red}</style><style> </style></head>"
               "<body><style>p{color:blue} .x{margin:0}</style><p class=\"x\">a</p>"
               "<style>/* only a comment */</style></body></html>") ==
        "<html><head></head><body><p class=\"x\" style=\"color: blue; margin: 0\">a</p>"
        "</body></html>\n");
}

TEST_CASE("malformed CSS warns and the rest is still inlined", "[css]") {
  // A missing colon drops one declaration, a stray brace nothing, and an unclosed block
  // runs to the end of the sheet, as in browsers.
  base::Diagnostics d2;
  CHECK(InlineCssInHtml("<style>p{color red; margin:0} } b{x:1} i{y:2</style>"
                        "<p>a</p><b>b</b><i>i</i>",
                        "t.html", d2, false) ==
        "<p style=\"margin: 0\">a</p><b style=\"x: 1\">b</b><i style=\"y: 2\">i</i>");
  // Problems of the sheet's structure come first, then those inside rules.
  REQUIRE(d2.items().size() == 3);
  CHECK(d2.items()[0].Format() == "t.html:1:1: warning[css-syntax]: unexpected '}'");
  CHECK(d2.items()[1].message == "unclosed block: i{y:2");
  CHECK(d2.items()[2].message == "declaration without a colon: color red");
}

TEST_CASE("garbage and a megabyte of CSS neither crash nor hang", "[css]") {
  const char* garbage[] = {"{{{{",   "}}}}",  "@",         "@media{",  "/*",
                           "\"",     "p{a:'", "::{}>>,,{", "#{}.{}",   "p{:;:;!important}",
                           "{{#a}}", "p>{}",  "\\",        "a{b:c}}}}"};
  for (const char* g : garbage) {
    base::Diagnostics d;
    InlineCssInHtml(std::string("<style>") + g + "</style><p class=\"a\">x</p>", "t", d);
  }
  std::string big;
  while (big.size() < (1 << 20)) big += ".c td > p#x{color:red;background:url(a;b)} @media x{";
  base::Diagnostics d;
  auto start = std::chrono::steady_clock::now();
  std::string out = InlineCssInHtml("<style>" + big + "</style><p id=\"x\">a</p>", "t", d);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  CHECK(d.items().size() == 1);  // the unclosed @media swallows the rest

  // Tens of thousands of rules matching one element, with as many distinct properties.
  std::string rules;
  for (int i = 0; rules.size() < (1 << 20); ++i)
    rules += ".a p, #x{color:red; x-" + std::to_string(i) + ":1; padding-left:1px}\n";
  base::Diagnostics d2;
  start = std::chrono::steady_clock::now();
  out = InlineCssInHtml("<style>" + rules + "</style><div class=\"a\"><p id=\"x\">a</p></div>", "t",
                        d2);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  CHECK(d2.empty());
  CHECK(
      out.find(
          "<div class=\"a\"><p id=\"x\" style=\"color: red; x-0: 1; padding-left: 1px; x-1: 1;") ==
      0);
}

TEST_CASE("Word attributes for tables and cells", "[css]") {
  CHECK(Word("<style>.w{width:600px; margin:0 auto; background-color:#abc}"
             " td{width:50%; height:20px; background:#FFFFFF; text-align:center;"
             " vertical-align:top}</style>"
             "<table class=\"w\"><tr><td>a</td></tr></table>") ==
        "<table class=\"w\" style=\"width: 600px; margin: 0 auto; background-color: #abc\""
        " role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" width=\"600\""
        " bgcolor=\"#aabbcc\" align=\"center\"><tr><td style=\"width: 50%; height: 20px;"
        " background: #FFFFFF; text-align: center; vertical-align: top\" width=\"50%\""
        " height=\"20\" bgcolor=\"#FFFFFF\" align=\"center\" valign=\"top\">a</td></tr></table>");
  // Existing attributes are never overwritten; rgb(), images and `start` are not copied.
  CHECK(Word("<table role=\"presentation\" width=\"100%\" style=\"width:50%;"
             " margin-left:auto;margin-right:auto; background:url(x.png) #fff\"><tr>"
             "<td align=\"left\" style=\"text-align:right; background-color:rgb(1,2,3);"
             " vertical-align:baseline; width: 10em\">a</td></tr></table>") ==
        "<table role=\"presentation\" width=\"100%\" style=\"width:50%;"
        " margin-left:auto;margin-right:auto; background:url(x.png) #fff\" border=\"0\""
        " cellpadding=\"0\" cellspacing=\"0\" align=\"center\"><tr>"
        "<td align=\"left\" style=\"text-align:right; background-color:rgb(1,2,3);"
        " vertical-align:baseline; width: 10em\">a</td></tr></table>");
}

TEST_CASE("Word attributes for images", "[css]") {
  CHECK(Word("<style>img{width:120px;height:40px}</style><table><tr><td>"
             "<a href=\"https://x.example\"><img src=\"https://x.example/a.png\" alt=\"Logo\">"
             "</a></td><td><img src=\"b.png\" width=\"10\" border=\"1\" style=\"display:inline\">"
             "</td></tr></table><p>Text <img src=\"c.png\" style=\"width:50%\"> more</p>") ==
        "<table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td>"
        "<a href=\"https://x.example\"><img src=\"https://x.example/a.png\" alt=\"Logo\""
        " style=\"width: 120px; height: 40px; display: block\" width=\"120\" height=\"40\""
        " border=\"0\"></a></td><td><img src=\"b.png\" width=\"10\" border=\"1\""
        " style=\"display: inline; width: 120px; height: 40px\" height=\"40\"></td></tr></table>"
        "<p>Text <img src=\"c.png\" style=\"width: 50%; height: 40px\" height=\"40\""
        " border=\"0\"> more</p>");
  // Mustache sections around an image are not text; a variable is.
  CHECK(Word("<div>{{#logo}}<img src=\"l.png\">{{/logo}}</div><div>{{name}}<img src=\"m.png\">"
             "</div>") ==
        "<div>{{#logo}}<img src=\"l.png\" border=\"0\" style=\"display: block\">{{/logo}}</div>"
        "<div>{{name}}<img src=\"m.png\" border=\"0\"></div>");
}

TEST_CASE("kept CSS goes into a <head> created when missing", "[css]") {
  // A <style media> is conditional as a whole; a top-level partial tag is kept in place.
  CHECK(Inline("<html><body><style media=\"(max-width: 600px)\">p{color:red}</style>"
               "<style>{{> extra_css}} p{margin:0}</style><p>a</p></body></html>") ==
        "<html><head><style>@media (max-width: 600px) {\np{color:red}\n}\n{{> extra_css}}"
        "</style></head><body><p style=\"margin: 0\">a</p></body></html>\n");
}
