#pragma once
// The linter's rule groups and the report they write into. Each Check* function covers
// a family of rules of deliverability.md section 7 (see LintRules() for the catalogue).

#include <map>
#include <string>
#include <vector>

#include "lint_document.h"
#include "linter.h"

namespace b2bmail::render::lint {

namespace client {
inline constexpr const char* kOutlook = "outlook-word";
inline constexpr const char* kNotes = "lotus-notes";
inline constexpr const char* kOutlookNotes = "outlook-word,lotus-notes";
inline constexpr const char* kGmail = "gmail";
inline constexpr const char* kAll = "all";
}  // namespace client

// Collects findings; caps each rule so a 10 MB template cannot produce millions.
class LintReport {
 public:
  void Add(const char* rule, base::Severity severity, const char* clients,
           base::SourcePosition position, std::string message);
  // Findings about an element. Outlook-only findings are dropped inside
  // <!--[if !mso]><!--> blocks and under mso-hide:all, which Outlook never renders.
  void Add(const char* rule, base::Severity severity, const char* clients, const Element& e,
           base::SourcePosition position, std::string message);
  // Sorted by position, then one "N more" finding per capped rule.
  std::vector<LintFinding> Finish();

 private:
  struct Overflow {
    int count = 0;
    base::Severity worst = base::Severity::kNote;
    std::string clients;
  };
  std::vector<LintFinding> findings_;
  int per_rule_[30] = {};  // findings so far, by rule number ("L5" -> 5)
  std::map<std::string, Overflow> overflow_;
};

// L1 L2 L5 L17 L19 L25: elements, attributes, table structure.
void CheckStructure(const LintDocument& doc, LintReport& report);
// L3 L4 L7 L8 L9 L12 L13 L14 L16 L18: inline style.
void CheckInlineStyles(const LintDocument& doc, LintReport& report);
// L7-L16: <style> sheets.
void CheckStyleSheets(const LintDocument& doc, LintReport& report);
// L6 L20 L27: image sources and links.
void CheckLinks(const LintDocument& doc, LintReport& report);
// L26: the unsubscribe link and hidden text.
void CheckVisibility(const LintDocument& doc, LintReport& report);
// L21 L22 L23 L28: document head, conditional comments, size, text part.
void CheckDocument(const LintDocument& doc, const LintOptions& options, LintReport& report);

// Declaration checks shared by inline styles and sheets (L7 L8 L9 L12 L13 L14 L16).
struct DeclarationSite {
  const Element* element;     // the element the style sits on (for sheets: the <style>)
  const Declarations* block;  // all declarations of the same style attribute or rule
  bool inline_style;
};
void CheckDeclaration(const LintDocument& doc, LintReport& report, const DeclarationSite& site,
                      const Declaration& d, base::SourcePosition at);

}  // namespace b2bmail::render::lint
