// Checks of one CSS declaration, wherever it is written (style attribute or <style>):
// L7 background images, L8 decoration, L9 layout models, L12 font stacks, L13 shorthands
// and !important, L14 line-height, L16 units and functions.

#include "b2bmail/base/strings.h"
#include "lint_rules.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

constexpr const char* kBackgroundClients = "outlook-word,lotus-notes,gmail";

bool HasColorFallback(const LintDocument& doc, const DeclarationSite& site) {
  if (FindDeclaration(*site.block, "background-color")) return true;
  if (const Declaration* bg = FindDeclaration(*site.block, "background"))
    for (auto t : ValueTokens(bg->value))
      if (NormalizeColor(t)) return true;
  return site.inline_style && doc.Attribute(*site.element, "bgcolor").has_value();
}

// The last family of a font-family list, unquoted and lowercase.
std::string LastFamily(std::string_view value) {
  std::string_view last = value.substr(value.rfind(',') + 1);
  last = base::Trim(last);
  while (!last.empty() && (last.front() == '"' || last.front() == '\'')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == '"' || last.back() == '\'')) last.remove_suffix(1);
  return base::AsciiLower(base::Trim(last));
}

bool WebSafe(const std::string& family) {
  static constexpr const char* kSafe[] = {"serif",
                                          "sans-serif",
                                          "monospace",
                                          "cursive",
                                          "fantasy",
                                          "system-ui",
                                          "arial",
                                          "helvetica",
                                          "helvetica neue",
                                          "georgia",
                                          "times new roman",
                                          "times",
                                          "verdana",
                                          "tahoma",
                                          "trebuchet ms",
                                          "courier new",
                                          "courier",
                                          "lucida console",
                                          "lucida sans unicode",
                                          "lucida grande",
                                          "segoe ui",
                                          "calibri",
                                          "cambria",
                                          "palatino linotype",
                                          "palatino",
                                          "garamond",
                                          "book antiqua",
                                          "impact",
                                          "arial black",
                                          "comic sans ms",
                                          "consolas",
                                          "candara"};
  for (const char* s : kSafe)
    if (family == s) return true;
  return false;
}

void CheckBackground(const LintDocument& doc, LintReport& report, const DeclarationSite& site,
                     const Declaration& d, base::SourcePosition at) {
  const Element& e = *site.element;
  bool image = HasFunction(d.lower, "url") ||
               (d.property == "background-image" && d.lower != "none" && !d.lower.empty());
  if (image && !HasFunction(d.lower, "linear-gradient") &&
      !HasFunction(d.lower, "radial-gradient")) {
    bool fallback = HasColorFallback(doc, site);
    report.Add("L7", fallback ? Severity::kWarning : Severity::kError, kBackgroundClients, e, at,
               fallback ? "Outlook, Notes and some Gmail apps drop CSS background images: add "
                          "VML inside <!--[if gte mso 9]> if the image carries content"
                        : "Outlook, Notes and some Gmail apps drop CSS background images: set a "
                          "fallback bgcolor/background-color (and VML for Outlook)");
    return;
  }
  if (d.property != "background" || d.value.find("{{") != std::string::npos) return;
  auto tokens = ValueTokens(d.lower);
  bool plain = tokens.size() == 1 && (NormalizeColor(tokens[0]) || tokens[0] == "none");
  if (!plain && !image)
    report.Add("L13", Severity::kWarning, client::kOutlook, e, at,
               "Outlook reads only a colour from the background shorthand: use "
               "background-color");
}

void CheckBorders(LintReport& report, const Element& e, const Declaration& d,
                  base::SourcePosition at) {
  bool border = d.property == "border" || d.property == "border-width" ||
                d.property == "border-top" || d.property == "border-right" ||
                d.property == "border-bottom" || d.property == "border-left";
  if (!border) return;
  for (auto t : ValueTokens(d.lower)) {
    if (auto px = PxValue(t); px && *px > 8 && t != "0") {
      report.Add("L13", Severity::kWarning, client::kOutlook, e, at,
                 "Outlook draws borders of at most 8px: use a padded cell with bgcolor");
      return;
    }
  }
}

void CheckDecoration(LintReport& report, const Element& e, const Declaration& d,
                     base::SourcePosition at) {
  const std::string& p = d.property;
  bool unsupported =
      ((p == "border-radius" || p.ends_with("-radius")) && !IsZeroLength(d.value)) ||
      ((p == "box-shadow" || p == "text-shadow") && d.lower != "none") ||
      (p == "opacity" && d.lower != "1") ||
      ((p == "transform" || p == "transition" || p == "animation") && d.lower != "none") ||
      HasFunction(d.lower, "linear-gradient") || HasFunction(d.lower, "radial-gradient");
  bool gradient =
      HasFunction(d.lower, "linear-gradient") || HasFunction(d.lower, "radial-gradient");
  if (unsupported)
    report.Add("L8", Severity::kWarning, client::kOutlook, e, at,
               "Outlook ignores " + (gradient ? std::string("gradients") : p) +
                   ": the design must work without it (buttons: VML v:roundrect in "
                   "<!--[if mso]>)");
}

void CheckLayoutModel(LintReport& report, const Element& e, const Declaration& d,
                      base::SourcePosition at) {
  bool broken = (d.property == "display" && (d.lower == "flex" || d.lower == "inline-flex" ||
                                             d.lower == "grid" || d.lower == "inline-grid")) ||
                (d.property == "float" && d.lower != "none") ||
                (d.property == "position" && d.lower != "static");
  if (broken)
    report.Add("L9", Severity::kError, client::kOutlookNotes, e, at,
               "Outlook and Notes ignore " + d.property + ":" + d.lower +
                   ": lay out with tables and align/valign attributes");
}

void CheckUnits(LintReport& report, const Element& e, const Declaration& d,
                base::SourcePosition at) {
  static constexpr const char* kUnits[] = {"rem", "vw", "vh", "vmin", "vmax"};
  static constexpr const char* kFunctions[] = {"calc", "var", "min", "max", "clamp"};
  std::string what;
  for (const char* u : kUnits)
    if (what.empty() && HasUnit(d.lower, u)) what = u;
  for (const char* f : kFunctions)
    if (what.empty() && HasFunction(d.lower, f)) what = std::string(f) + "()";
  if (what.empty() && d.property.compare(0, 2, "--") == 0) what = "custom properties";
  if (!what.empty())
    report.Add("L16", Severity::kWarning, client::kOutlook, e, at,
               "Outlook ignores declarations with " + what + ": use px values");
}

}  // namespace

void CheckDeclaration(const LintDocument& doc, LintReport& report, const DeclarationSite& site,
                      const Declaration& d, base::SourcePosition at) {
  const Element& e = *site.element;
  CheckBackground(doc, report, site, d, at);
  CheckBorders(report, e, d, at);
  CheckDecoration(report, e, d, at);
  CheckLayoutModel(report, e, d, at);
  CheckUnits(report, e, d, at);
  if (d.property == "font-family" && d.value.find("{{") == std::string::npos &&
      !FindDeclaration(*site.block, "mso-font-alt")) {
    std::string last = LastFamily(d.value);
    if (!last.empty() && !WebSafe(last))
      report.Add("L12", Severity::kWarning, client::kOutlook, e, at,
                 "end the font stack with a web-safe family (Arial, Georgia, sans-serif...): "
                 "Outlook falls back to Times New Roman");
  }
  if (d.property == "line-height" && d.lower != "normal") {
    const Declaration* rule = FindDeclaration(*site.block, "mso-line-height-rule");
    if (!rule || rule->lower != "exactly")
      report.Add("L14", Severity::kWarning, client::kOutlook, e, at,
                 "add mso-line-height-rule:exactly next to line-height (in px) for Outlook");
  }
  if (d.important && site.inline_style)
    report.Add("L13", Severity::kWarning, client::kOutlook, e, at,
               "Outlook ignores !important in inline styles: do not rely on it");
  else if (d.important && !d.important_spaced)
    report.Add("L13", Severity::kWarning, client::kOutlook, e, at,
               "write \" !important\" in lowercase with a space before it (Outlook)");
}

}  // namespace b2bmail::render::lint
