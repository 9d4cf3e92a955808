#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "lint_rules.h"

namespace b2bmail::render::lint {
namespace {

// Enough to fix a template by; beyond it, more of the same only buries other rules.
constexpr int kMaxPerRule = 100;

bool Worse(base::Severity a, base::Severity b) { return static_cast<int>(a) < static_cast<int>(b); }

// "L5" -> 5; anything else shares slot 0.
std::size_t RuleNumber(const char* rule) {
  std::size_t n = rule[0] == 'L' ? std::strtoul(rule + 1, nullptr, 10) : 0;
  return n < 30 ? n : 0;
}

}  // namespace

void LintReport::Add(const char* rule, base::Severity severity, const char* clients,
                     base::SourcePosition position, std::string message) {
  int& count = per_rule_[RuleNumber(rule)];
  if (count >= kMaxPerRule) {
    Overflow& o = overflow_[rule];
    ++o.count;
    if (Worse(severity, o.worst)) o.worst = severity;
    o.clients = clients;
    return;
  }
  ++count;
  findings_.push_back(
      {rule, severity, clients, position.line, position.column, std::move(message)});
}

void LintReport::Add(const char* rule, base::Severity severity, const char* clients,
                     const Element& e, base::SourcePosition position, std::string message) {
  bool outlook_never_renders = e.not_mso || e.mso_hide;
  if (outlook_never_renders && std::strcmp(clients, client::kOutlook) == 0) return;
  Add(rule, severity, clients, position, std::move(message));
}

std::vector<LintFinding> LintReport::Finish() {
  std::stable_sort(findings_.begin(), findings_.end(), [](const auto& a, const auto& b) {
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  for (const auto& [rule, o] : overflow_)
    findings_.push_back({rule, o.worst, o.clients, 0, 0,
                         std::to_string(o.count) + " more " + rule + " findings not shown"});
  return std::move(findings_);
}

}  // namespace b2bmail::render::lint
