#pragma once
// Helpers shared by the linter tests. The linter's header is private to engine/render,
// hence the relative include.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linter.h"

namespace lint_test {

using b2bmail::base::Severity;
using b2bmail::render::LintFinding;
using b2bmail::render::LintOptions;

inline std::string Describe(const std::vector<LintFinding>& findings) {
  std::string out;
  for (const auto& f : findings)
    out += std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule + " " +
           std::string(b2bmail::base::ToString(f.severity)) + " [" + f.clients + "] " + f.message +
           "\n";
  return out;
}

inline std::vector<LintFinding> Lint(const std::string& html, LintOptions options = {}) {
  return b2bmail::render::LintHtml(html, options);
}

inline std::vector<LintFinding> OfRule(const std::vector<LintFinding>& all,
                                       const std::string& rule) {
  std::vector<LintFinding> out;
  for (const auto& f : all)
    if (f.rule == rule) out.push_back(f);
  return out;
}

// The HTML yields a finding of `rule` with this severity at line:column.
inline void RequireFinding(const std::string& html, const std::string& rule, Severity severity,
                           int line, int column, LintOptions options = {}) {
  auto all = Lint(html, options);
  INFO("findings:\n" << Describe(all));
  bool found = false;
  for (const auto& f : all)
    if (f.rule == rule && f.line == line && f.column == column && f.severity == severity)
      found = true;
  REQUIRE(found);
}

// The HTML yields no finding of `rule`.
inline void RequireClean(const std::string& html, const std::string& rule,
                         LintOptions options = {}) {
  auto all = Lint(html, options);
  INFO("findings:\n" << Describe(all));
  REQUIRE(OfRule(all, rule).empty());
}

inline std::string ReadGoodEmail() {
  std::ifstream in(std::string(B2BMAIL_TEST_DATA) + "/lint/good_legacy.html");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace lint_test
