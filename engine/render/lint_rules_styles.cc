// Inline styles (L3 margins, L4 padding, L18 display:none, plus the shared declaration
// checks) and <style> sheets (L10 @media, L11 placement and size, L12 @font-face, L15
// selectors, plus the shared declaration checks outside @media).

#include "b2bmail/base/strings.h"
#include "lint_rules.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

// Gmail drops <style> beyond this many bytes.
constexpr std::size_t kGmailStyleLimit = 16 * 1024;

void CheckMargin(const LintDocument& doc, LintReport& report, const Element& e,
                 const Declaration& d) {
  if (d.property.compare(0, 6, "margin") != 0 || IsZeroLength(d.value) ||
      d.value.find("{{") != std::string::npos)
    return;
  auto at = doc.PositionOf(e, d);
  bool negative = false, automatic = false;
  for (auto t : ValueTokens(d.lower)) {
    if (!t.empty() && t[0] == '-') negative = true;
    if (t == "auto") automatic = true;
  }
  if (negative)
    report.Add("L3", Severity::kError, client::kOutlook, e, at,
               "Outlook ignores negative margins and the overlap falls apart: use table cells");
  else if (automatic)
    report.Add("L3", Severity::kWarning, client::kOutlookNotes, e, at,
               "Outlook and Notes ignore margin:auto: centre with align=\"center\" on a table");
  else if (e.name == "span" || e.name == "body")
    report.Add("L3", Severity::kWarning, client::kOutlook, e, at,
               "Outlook ignores margin on <" + e.name + ">: use td padding");
  else
    report.Add("L3", Severity::kWarning, client::kOutlook, e, at,
               "Outlook's margins are unreliable (backgrounds bleed into them): space with td "
               "padding or spacer rows");
}

void CheckPadding(const LintDocument& doc, LintReport& report, const Element& e,
                  const Declaration& d) {
  if (d.property.compare(0, 7, "padding") != 0 || e.name == "td" || e.name == "th" ||
      IsZeroLength(d.value) || d.value.find("{{") != std::string::npos)
    return;
  report.Add("L4", Severity::kWarning, client::kOutlook, e, doc.PositionOf(e, d),
             "Outlook applies padding only to table cells: move it to the enclosing <td>");
}

void CheckDisplayNone(const LintDocument& doc, LintReport& report, const Element& e,
                      bool contains_table) {
  const Declaration* display = FindDeclaration(e.style, "display");
  if (!display || display->lower != "none") return;
  auto at = doc.PositionOf(e, *display);
  if (e.name == "img") {
    report.Add("L18", Severity::kError, client::kOutlook, e, at,
               "Outlook ignores display:none on <img>: hide the wrapping cell with "
               "display:none;mso-hide:all");
  } else if (!e.mso_hide) {
    report.Add("L18", contains_table ? Severity::kError : Severity::kWarning, client::kOutlook, e,
               at,
               contains_table ? "Outlook does not pass display:none into nested tables: add "
                                "mso-hide:all here and on the nested tables"
                              : "add mso-hide:all next to display:none: Outlook may still show "
                                "this content");
  }
}

base::SourcePosition SheetPosition(const LintDocument& doc, const Element& style,
                                   std::size_t offset) {
  if (offset < doc.source().text().size()) return doc.source().PositionOf(offset);
  return doc.PositionOf(style);
}

// Email-client targeting hacks: they only ever add to a working design.
bool IsClientHack(const std::string& lower) {
  return lower.find("x-apple-data-detectors") != std::string::npos ||
         lower.find("#messageviewbody") != std::string::npos ||
         lower.find("u + #body") != std::string::npos ||
         lower.find("u + .body") != std::string::npos ||
         lower.find("data-ogs") != std::string::npos;
}

void CheckSelectors(const LintDocument& doc, LintReport& report, const Element& style,
                    const StyleRule& rule) {
  for (auto selector : base::Split(rule.selectors, ',')) {
    std::string lower = base::AsciiLower(base::Trim(selector));
    if (IsClientHack(lower)) continue;
    if (lower.find_first_of(":>+~[*") != std::string::npos) {
      report.Add("L15", Severity::kWarning, client::kOutlook, style,
                 SheetPosition(doc, style, rule.offset),
                 "Outlook supports only element, class and id selectors: \"" + lower +
                     "\" must not carry essential styling");
      return;
    }
  }
}

void CheckSheet(const LintDocument& doc, LintReport& report, const Sheet& sheet,
                std::size_t& total) {
  const Element& style = doc.elements()[static_cast<std::size_t>(sheet.element)];
  if (style.in_body)
    report.Add("L11", Severity::kWarning, "gmail,outlook-word", doc.PositionOf(style),
               "move <style> into <head>: some clients drop it in the body, and Outlook applies "
               "it only to later elements");
  std::size_t before = total;
  total += sheet.size;
  if (before <= kGmailStyleLimit && total > kGmailStyleLimit)
    report.Add("L11", Severity::kError, client::kGmail, doc.PositionOf(style),
               "<style> totals " + std::to_string(total / 1024) +
                   " KB; Gmail drops styles beyond 16 KB: inline layout CSS and trim the sheet");
  for (const auto& block : sheet.sheet.at_blocks) {
    auto at = SheetPosition(doc, style, block.offset);
    if (block.name == "media" &&
        base::AsciiLower(block.prelude).find("min-width") != std::string::npos)
      report.Add("L10", Severity::kWarning, client::kOutlookNotes, style, at,
                 "desktop styles in @media (min-width) never reach Outlook or Notes: make the "
                 "desktop layout the default and use max-width queries for mobile");
    if (block.name == "font-face" && !FindDeclaration(block.declarations, "mso-font-alt"))
      report.Add("L12", Severity::kWarning, client::kOutlook, style, at,
                 "wrap @font-face in <!--[if !mso]><!-->...<!--<![endif]--> (or add "
                 "mso-font-alt): Outlook falls back to Times New Roman");
  }
  for (const auto& rule : sheet.sheet.rules) {
    DeclarationSite site{&style, &rule.declarations, false};
    if (!rule.in_media) CheckSelectors(doc, report, style, rule);
    for (const auto& d : rule.declarations) {
      auto at = SheetPosition(doc, style, d.offset);
      if (!rule.in_media)
        CheckDeclaration(doc, report, site, d, at);
      else if (d.important && !d.important_spaced)  // the one check @media needs
        report.Add("L13", Severity::kWarning, client::kOutlook, style, at,
                   "write \" !important\" in lowercase with a space before it (Outlook)");
    }
  }
}

}  // namespace

void CheckInlineStyles(const LintDocument& doc, LintReport& report) {
  const auto& elements = doc.elements();
  // Which elements contain a table (L18): children come after their parents.
  std::vector<bool> contains_table(elements.size(), false);
  for (std::size_t i = elements.size(); i-- > 0;) {
    int p = elements[i].parent;
    if (p >= 0 && (contains_table[i] || elements[i].name == "table"))
      contains_table[static_cast<std::size_t>(p)] = true;
  }
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const Element& e = elements[i];
    if (!e.in_body || e.style.empty()) continue;
    DeclarationSite site{&e, &e.style, true};
    for (const auto& d : e.style) {
      CheckDeclaration(doc, report, site, d, doc.PositionOf(e, d));
      CheckMargin(doc, report, e, d);
      CheckPadding(doc, report, e, d);
    }
    CheckDisplayNone(doc, report, e, contains_table[i]);
  }
}

void CheckStyleSheets(const LintDocument& doc, LintReport& report) {
  std::size_t total = 0;
  for (const auto& sheet : doc.sheets()) CheckSheet(doc, report, sheet, total);
}

}  // namespace b2bmail::render::lint
