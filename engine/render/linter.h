#pragma once
// The template linter's rule engine: checks one HTML text (a Mustache template) against
// the legacy-client rules L1-L28 of docs/reference deliverability.md section 7 (Outlook's
// Word engine, Lotus Notes, Gmail). The template pipeline and `b2bmail template lint`
// map the positions back to template files and exit 2 when any finding is an error.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::render {

struct LintFinding {
  std::string rule;         // "L5"
  base::Severity severity;  // kError or kWarning (kNote only for the informational L28)
  std::string clients;      // "outlook-word", "lotus-notes", "gmail", "all" (comma-separated)
  // 1-based position in the linted HTML text (column in code points); 0 when the finding
  // is about the message as a whole (L23 size, L28 text part, "N more" summaries).
  int line = 0, column = 0;
  std::string message;  // one line, says what to do
};

struct LintOptions {
  std::size_t rendered_size = 0;   // bytes of a sample rendered HTML part; 0 = unknown (skip L23)
  bool has_text_template = false;  // a text.mustache exists (L28 info only)
};

// Lints the HTML of a template (Mustache source, possibly already passed through the
// legacy transform). Never throws on bad input. Findings are sorted by position; each
// rule reports at most 100 findings plus one "N more" summary.
std::vector<LintFinding> LintHtml(const std::string& html, const LintOptions& options);

// The rule catalogue: id, severity, clients, one-line summary (for docs and `--help`).
// The severity is the rule's worst; some sub-checks report milder (see the summary).
struct LintRule {
  const char* id;
  base::Severity severity;
  const char* clients;
  const char* summary;
};
std::span<const LintRule> LintRules();

}  // namespace b2bmail::render
