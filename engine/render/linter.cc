#include "linter.h"

#include "lint_document.h"
#include "lint_rules.h"
#include "lint_source.h"

namespace b2bmail::render {
namespace {

using base::Severity;

// Keep in step with the rule files (lint_rules_*.cc) and deliverability.md section 7.
constexpr LintRule kRules[] = {
    {"L1", Severity::kError, "outlook-word,lotus-notes",
     "no CSS width on <div>/<p> layout boxes: lay out with tables"},
    {"L2", Severity::kError, "outlook-word,lotus-notes",
     "one container table with width=\"600\" (<=640); max-width alone is an error, a missing "
     "or wider width a warning"},
    {"L3", Severity::kError, "outlook-word,lotus-notes",
     "no margins for spacing: negative (error), auto, on <span>/<body> or non-zero (warning)"},
    {"L4", Severity::kWarning, "outlook-word",
     "padding only on <td>/<th>, and the same vertical padding across a row's cells"},
    {"L5", Severity::kError, "all",
     "<img> needs alt and a pixel width attribute (errors), a pixel height and border=\"0\" "
     "(warnings)"},
    {"L6", Severity::kError, "all",
     "image src absolute https:// (relative/data: errors; http:, cid: warnings)"},
    {"L7", Severity::kError, "outlook-word,lotus-notes,gmail",
     "no CSS or attribute background images without a colour fallback (warning with one)"},
    {"L8", Severity::kWarning, "outlook-word",
     "border-radius, shadows, gradients, opacity, transforms are ignored by Outlook"},
    {"L9", Severity::kError, "outlook-word,lotus-notes",
     "no display:flex/grid, float or position: use tables with align/valign"},
    {"L10", Severity::kWarning, "outlook-word,lotus-notes",
     "desktop layout must not live in @media (min-width) queries"},
    {"L11", Severity::kError, "gmail,outlook-word",
     "<style> totals under 16 KB (error) and sits in <head> (warning)"},
    {"L12", Severity::kWarning, "outlook-word",
     "font stacks end in a web-safe family; @font-face only inside <!--[if !mso]><!-->"},
    {"L13", Severity::kWarning, "outlook-word",
     "background shorthand only a colour, borders <=8px, no inline !important, \" !important\" "
     "spaced in <style>"},
    {"L14", Severity::kWarning, "outlook-word", "line-height with mso-line-height-rule:exactly"},
    {"L15", Severity::kWarning, "outlook-word",
     "<style> selectors: element, class, id only (no pseudo-classes, combinators, attributes)"},
    {"L16", Severity::kWarning, "outlook-word",
     "no rem, vw, vh, calc(), var(), min(), max(), clamp() in CSS"},
    {"L17", Severity::kError, "all",
     "no script, forms, iframe, object, embed, video, audio, svg, on* handlers (errors); "
     "<picture>, srcset (warnings)"},
    {"L18", Severity::kError, "outlook-word",
     "display:none never on <img>, never around tables without mso-hide:all (errors); always "
     "with mso-hide:all (warning)"},
    {"L19", Severity::kWarning, "lotus-notes",
     "no colspan/rowspan; every cell of a multi-cell row in a sized table has a width"},
    {"L20", Severity::kError, "all",
     "links absolute https:// (relative, empty, javascript: errors; http:, #anchor warnings)"},
    {"L21", Severity::kWarning, "outlook-word",
     "<html> declares xmlns:v/xmlns:o; <head> has the MSO PixelsPerInch 96 block"},
    {"L22", Severity::kError, "all", "MSO conditional comments balanced and well-formed"},
    {"L23", Severity::kError, "gmail",
     "rendered HTML under Gmail's ~102 KB clipping limit (warning above 90 KB)"},
    {"L24", Severity::kNote, "outlook-word",
     "animated GIF first frame carries the message (not checked: needs the image)"},
    {"L25", Severity::kWarning, "outlook-word,lotus-notes", "no <ul>/<ol>: bullets as table rows"},
    {"L26", Severity::kError, "all",
     "a visible unsubscribe link in the body (error); no hidden text besides the preheader "
     "(warning)"},
    {"L27", Severity::kError, "all", "link text showing a URL or host matches the href's site"},
    {"L28", Severity::kNote, "all",
     "text part: generated from the HTML, or a text.mustache kept in step (note only)"},
};

}  // namespace

std::span<const LintRule> LintRules() { return kRules; }

std::vector<LintFinding> LintHtml(const std::string& html, const LintOptions& options) {
  lint::SourceText source(html);
  lint::LintDocument doc(html, source);
  lint::LintReport report;
  lint::CheckStructure(doc, report);
  lint::CheckInlineStyles(doc, report);
  lint::CheckStyleSheets(doc, report);
  lint::CheckLinks(doc, report);
  lint::CheckVisibility(doc, report);
  lint::CheckDocument(doc, options, report);
  return report.Finish();
}

}  // namespace b2bmail::render
