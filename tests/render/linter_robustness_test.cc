// The linter against a legacy-safe email (no false positives) and hostile input (findings
// or none, never a crash, a hang or an exception).
#include <chrono>
#include <random>

#include "lint_test_support.h"

using namespace lint_test;

TEST_CASE("a legacy-safe email yields no findings", "[lint]") {
  std::string good = ReadGoodEmail();
  REQUIRE(good.size() > 1000);
  LintOptions options;
  options.rendered_size = good.size();
  auto findings = Lint(good, options);
  INFO(Describe(findings));
  CHECK(findings.empty());
}

TEST_CASE("the good email with one defect yields exactly that finding", "[lint]") {
  std::string good = ReadGoodEmail();
  std::string bad = good;
  auto at = bad.find("alt=\"Acme\" ");
  REQUIRE(at != std::string::npos);
  bad.erase(at, 11);
  auto findings = Lint(bad);
  INFO(Describe(findings));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "L5");
  CHECK(findings[0].severity == Severity::kError);
  CHECK(findings[0].line == 35);
  CHECK(findings[0].column == 66);
}

TEST_CASE("hostile input never crashes the linter", "[lint][hostile]") {
  std::vector<LintFinding> findings;
  auto lint_ok = [&findings](const std::string& html) {
    auto start = std::chrono::steady_clock::now();
    REQUIRE_NOTHROW(findings = Lint(html));
    for (const auto& f : findings) {
      CHECK(!f.rule.empty());
      CHECK(f.line >= 0);
      CHECK(f.column >= 0);
    }
    return std::chrono::steady_clock::now() - start;
  };

  SECTION("10 MB of dense, broken markup") {
    std::string html = "<html><body>";
    while (html.size() < 10 * 1024 * 1024)
      html +=
          "<p style=\"width:300px;margin:-1px\">x <a href=\"http://a.example\">www.b.com</a>"
          "<img src=\"rel.png\"><div style=\"display:none\">h</div></p>\n";
    auto took = lint_ok(html);
    CHECK(took < std::chrono::seconds(120));      // ~10 s under ASan in a Debug build
    CHECK(OfRule(findings, "L1").size() == 101);  // capped, plus the summary
  }
  SECTION("5,000 nested tables") {
    std::string html;
    for (int i = 0; i < 5000; ++i) html += "<table width=\"600\"><tr><td style=\"padding:1px\">";
    html += "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>";
    for (int i = 0; i < 5000; ++i) html += "</td></tr></table>";
    lint_ok(html);
  }
  SECTION("20,000 nested hidden divs and 1,000 nested @media blocks") {
    std::string html;
    for (int i = 0; i < 20000; ++i) html += "<div style=\"display:none\">";
    html += "x<style>";
    for (int i = 0; i < 1000; ++i) html += "@media (min-width:1px){";
    html += "a{b:c}";
    lint_ok(html);
  }
  SECTION("invalid UTF-8 and NUL bytes") {
    std::string html = "<p>\xff\xfe\xc3<a href=\"\xc3\x28https://x\">\xe2\x82</a>";
    html += std::string("\0<img src=\"\0\">", 14);
    html += "<div style=\"width:\xf0\x9f\x98px\">\xed\xa0\x80</div>";
    lint_ok(html);
    std::mt19937 rng(42);
    std::string noise(200000, '\0');
    for (auto& c : noise) c = static_cast<char>(rng() & 0xff);
    lint_ok(noise);
  }
  SECTION("unbalanced and truncated tags, attributes and comments") {
    lint_ok("<table><tr><td><p><b><i></table></td></p><div><span></b></html><body><body>");
    lint_ok("<a href=\"https://x.example");
    lint_ok("<img src='x' alt=\"y\" width=\"");
    lint_ok("<div style=\"width:");
    lint_ok("<!--[if mso]><!--[if !mso]><!--><!--<![endif]--><![endif]--><![endif]-->");
    lint_ok("<style>@media{a{b:c}}}}}{{{@font-face{");
    lint_ok("<p style=\"a:b;;:;margin:;padding:-;font-family:,;color:rgb(;background:url(\">x");
    lint_ok("<");
    lint_ok("");
    lint_ok("{{#a}}<a href=\"{{/a}}{{");
  }
  SECTION("random mutations of the good email") {
    std::string good = ReadGoodEmail();
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
      std::string html = good;
      int edits = 1 + static_cast<int>(rng() % 20);
      for (int e = 0; e < edits && !html.empty(); ++e) {
        std::size_t at = rng() % html.size();
        switch (rng() % 4) {
          case 0:
            html.erase(at, rng() % 40);
            break;
          case 1:
            html[at] = "<>\"'=/-![]{}:;# \n"[rng() % 17];
            break;
          case 2:
            html.insert(at, html.substr(rng() % html.size(), rng() % 80));
            break;
          default:
            html.resize(at);
        }
      }
      lint_ok(html);
    }
  }
}
