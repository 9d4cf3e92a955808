// L26: a visible unsubscribe link in the body (Gmail/Yahoo bulk-sender rules) and no
// hidden text besides the preheader (spam filters score white-on-white and font-size:0).

#include <set>

#include "b2bmail/base/strings.h"
#include "lint_rules.h"
#include "lint_url.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

bool MentionsUnsubscribe(const std::string& lower) {
  static constexpr const char* kWords[] = {
      "unsubscribe", "abmelden", "abbestellen",  "austragen",      "désinscri", "desinscri",
      "désabonn",    "desabonn", "uitschrijven", "afmelden",       "disiscri",  "de baja",
      "opt-out",     "opt out",  "optout",       "avregistrer",    "avsluta",   "wypisz",
      "odhlásit",    "odhlasit", "descadastr",   "cancelar inscri"};
  for (const char* w : kWords)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

// An image link is visible without text; the walk is bounded for hostile nesting.
bool ContainsImage(const xmlNode* root) {
  int budget = 1000;
  const xmlNode* n = root->children;
  while (n && --budget > 0) {
    if (n->type == XML_ELEMENT_NODE &&
        base::EqualsIgnoreCase(reinterpret_cast<const char*>(n->name), "img"))
      return true;
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
  return false;
}

// Why a link cannot be seen, or "" when it can.
std::string HiddenReason(const LintDocument& doc, const Element& a) {
  if (a.hidden_by >= 0) return "inside a display:none/visibility:hidden element";
  if (a.font_zero_by >= 0) return "in font-size:0 text";
  if (a.mso_hide) return "under mso-hide:all, so Outlook hides it";
  if (a.not_mso) return "inside <!--[if !mso]>, so Outlook never shows it";
  if (!a.color.empty() && a.color == a.background) return "coloured like its background";
  if (IsBlank(doc.TextOf(a)) && !ContainsImage(a.node)) return "without any text";
  return "";
}

void CheckUnsubscribe(const LintDocument& doc, LintReport& report) {
  const Element* first_hidden = nullptr;
  std::string reason;
  for (const auto& e : doc.elements()) {
    if (e.name != "a" || !e.in_body) continue;
    auto href = doc.Attribute(e, "href");
    if (!href) continue;
    bool candidate = ClassifyUrl(*href).unsubscribe ||
                     MentionsUnsubscribe(base::AsciiLower(*href)) ||
                     MentionsUnsubscribe(base::AsciiLower(doc.TextOf(e)));
    if (!candidate) continue;
    std::string why = HiddenReason(doc, e);
    if (why.empty()) return;  // one visible unsubscribe link is all the rule asks
    if (!first_hidden) {
      first_hidden = &e;
      reason = why;
    }
  }
  if (first_hidden) {
    report.Add("L26", Severity::kError, client::kAll, doc.PositionOf(*first_hidden),
               "the unsubscribe link is " + reason +
                   ": bulk-sender rules require a visible one in the body");
    return;
  }
  base::SourcePosition at{1, 1};
  for (const auto& e : doc.elements())
    if (e.name == "body") at = doc.PositionOf(e);
  report.Add("L26", Severity::kError, client::kAll, at,
             "no visible unsubscribe link: add <a href=\"{{unsubscribe_url}}\">Unsubscribe</a> "
             "to the body (Gmail/Yahoo bulk-sender rules)");
}

// Classes that @media rules address: hidden blocks with them are mobile-only content.
std::set<std::string> MediaClasses(const LintDocument& doc) {
  std::set<std::string> out;
  for (const auto& sheet : doc.sheets())
    for (const auto& rule : sheet.sheet.rules) {
      if (!rule.in_media) continue;
      const std::string& s = rule.selectors;
      for (std::size_t p = s.find('.'); p != std::string::npos; p = s.find('.', p + 1)) {
        std::size_t end = s.find_first_of(" ,.:>+~[{#\t\n", p + 1);
        out.insert(s.substr(p + 1, end == std::string::npos ? end : end - p - 1));
      }
    }
  return out;
}

bool HasClass(const LintDocument& doc, const Element& e, const std::set<std::string>& names,
              bool preheader_names) {
  std::string classes = doc.Attribute(e, "class").value_or("");
  if (preheader_names) {
    std::string lower = base::AsciiLower(classes + " " + doc.Attribute(e, "id").value_or(""));
    return lower.find("preheader") != std::string::npos ||
           lower.find("preview") != std::string::npos;
  }
  for (auto c : base::Split(classes, ' '))
    if (!c.empty() && names.count(std::string(c))) return true;
  return false;
}

void CheckHiddenText(const LintDocument& doc, LintReport& report) {
  const auto& elements = doc.elements();
  std::set<std::string> media_classes = MediaClasses(doc);
  std::set<int> reported;
  int preheader = -1;
  bool seen_visible = false;
  for (const auto& run : doc.texts()) {
    const Element& e = elements[static_cast<std::size_t>(run.element)];
    if (e.hidden_by >= 0) {
      const Element& h = elements[static_cast<std::size_t>(e.hidden_by)];
      if (preheader < 0 && (!seen_visible || HasClass(doc, h, {}, true))) preheader = e.hidden_by;
      if (e.hidden_by == preheader || !reported.insert(e.hidden_by).second ||
          HasClass(doc, h, media_classes, false))
        continue;
      const Declaration* d = FindDeclaration(h.style, "display");
      if (!d || d->lower != "none") d = FindDeclaration(h.style, "visibility");
      report.Add("L26", Severity::kWarning, client::kAll,
                 d ? doc.PositionOf(h, *d) : doc.PositionOf(h),
                 "hidden text outside the preheader: spam filters score it; show it or remove "
                 "it");
    } else if (e.font_zero_by >= 0) {
      const Element& z = elements[static_cast<std::size_t>(e.font_zero_by)];
      if (!reported.insert(e.font_zero_by).second) continue;
      const Declaration* d = FindDeclaration(z.style, "font-size");
      report.Add("L26", Severity::kWarning, client::kAll,
                 d ? doc.PositionOf(z, *d) : doc.PositionOf(z),
                 "text with font-size:0 is hidden text to spam filters: remove it");
    } else if (!e.color.empty() && e.color == e.background && e.color != "transparent") {
      if (!reported.insert(run.element).second) continue;
      report.Add("L26", Severity::kWarning, client::kAll, doc.PositionOf(e),
                 "text coloured like its background (" + e.color +
                     ") is hidden text to spam filters: change the colour");
    } else {
      seen_visible = true;
    }
  }
}

}  // namespace

void CheckVisibility(const LintDocument& doc, LintReport& report) {
  CheckUnsubscribe(doc, report);
  CheckHiddenText(doc, report);
}

}  // namespace b2bmail::render::lint
