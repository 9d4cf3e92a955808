// Structure rules: layout containers (L1, L2), images (L5), banned elements (L17),
// table cells (L4 row padding, L19) and lists (L25).

#include <cstring>
#include <unordered_map>

#include "b2bmail/base/strings.h"
#include "lint_rules.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

bool IsTemplated(std::string_view v) { return v.find("{{") != std::string_view::npos; }

// A width/height attribute as a pixel count; nullopt for "100%", "auto", templates.
std::optional<double> PixelAttribute(const std::optional<std::string>& v) {
  if (!v || IsTemplated(*v)) return std::nullopt;
  return PxValue(base::Trim(*v));
}

void CheckLayoutWidth(const LintDocument& doc, LintReport& report, const Element& e) {
  // L1: the Word engine ignores CSS width on <div>/<p>, so such a box spans the window.
  if (e.name != "div" && e.name != "p") return;
  const Declaration* width = FindDeclaration(e.style, "width");
  if (!width || width->lower == "100%" || width->lower == "auto" || IsTemplated(width->value))
    return;
  report.Add("L1", Severity::kError, client::kOutlookNotes, e, doc.PositionOf(e, *width),
             "Outlook ignores CSS width on <" + e.name +
                 ">: lay out with a <table role=\"presentation\" width=\"...\"> instead");
}

void CheckContainer(const LintDocument& doc, LintReport& report) {
  const Element* first_table = nullptr;
  const Element* body = nullptr;
  for (const auto& e : doc.elements()) {
    if (e.name == "body" && !body) body = &e;
    if (!e.in_body) continue;
    if (e.name == "table") {
      if (!first_table) first_table = &e;
      if (auto px = PixelAttribute(doc.Attribute(e, "width"))) {
        if (*px > 640)
          report.Add("L2", Severity::kWarning, client::kOutlookNotes, doc.PositionOf(e, "width"),
                     "the container is wider than 640px and scrolls in preview panes; use "
                     "width=\"600\"");
        return;
      }
    }
  }
  if (doc.source().has_mso_ghost_table()) return;  // Outlook gets its width from the ghost
  for (const auto& e : doc.elements()) {
    if (!e.in_body || (e.name != "table" && e.name != "div")) continue;
    for (const char* p : {"max-width", "min-width"}) {
      if (const Declaration* d = FindDeclaration(e.style, p)) {
        report.Add("L2", Severity::kError, client::kOutlookNotes, doc.PositionOf(e, *d),
                   std::string("Outlook 2007-2016 and Notes ignore ") + p +
                       ": give the container <table> a width=\"600\" attribute (or an MSO "
                       "ghost table)");
        return;
      }
    }
  }
  if (first_table) {
    report.Add("L2", Severity::kWarning, client::kOutlookNotes, doc.PositionOf(*first_table),
               "give the outer container table a fixed width=\"600\" attribute");
  } else if (!doc.texts().empty() && body) {
    report.Add("L2", Severity::kWarning, client::kOutlookNotes, doc.PositionOf(*body),
               "wrap the email in one container <table role=\"presentation\" width=\"600\">");
  }
}

void CheckImage(const LintDocument& doc, LintReport& report, const Element& e) {
  if (!doc.Attribute(e, "alt"))
    report.Add("L5", Severity::kError, client::kAll, e, doc.PositionOf(e),
               "missing alt text: add alt=\"...\" (alt=\"\" for spacers); corporate clients "
               "block images by default");
  for (const char* dim : {"width", "height"}) {
    bool is_width = std::strcmp(dim, "width") == 0;
    auto value = doc.Attribute(e, dim);
    std::string name(dim);
    if (!value) {
      report.Add("L5", is_width ? Severity::kError : Severity::kWarning, client::kOutlookNotes, e,
                 doc.PositionOf(e),
                 "add a " + name +
                     "=\"N\" attribute in pixels: Outlook ignores CSS sizes on "
                     "<img> and shows the file's own size");
      continue;
    }
    std::string_view v = base::Trim(*value);
    if (IsTemplated(v)) continue;
    if (v.find('%') != std::string_view::npos) {
      report.Add("L5", is_width ? Severity::kError : Severity::kWarning, client::kOutlookNotes, e,
                 doc.PositionOf(e, dim),
                 "Outlook takes a % " + name + " relative to the image file: use pixels");
    } else if (v.size() > 2 && base::EqualsIgnoreCase(v.substr(v.size() - 2), "px")) {
      report.Add(
          "L5", Severity::kWarning, client::kOutlookNotes, e, doc.PositionOf(e, dim),
          "write " + name + "=\"" + std::string(v.substr(0, v.size() - 2)) + "\" without \"px\"");
    }
  }
  if (!doc.Attribute(e, "border"))
    report.Add("L5", Severity::kWarning, client::kOutlookNotes, e, doc.PositionOf(e),
               "add border=\"0\": old Outlook and Notes draw a blue frame around linked images");
}

void CheckBanned(const LintDocument& doc, LintReport& report, const Element& e) {
  static constexpr const char* kBanned[] = {"script",   "form",   "input",  "button",  "select",
                                            "textarea", "iframe", "object", "embed",   "applet",
                                            "video",    "audio",  "svg",    "frameset"};
  // JSON-LD in <head> (Gmail actions) is data, not a script.
  auto type = e.name == "script" ? doc.Attribute(e, "type") : std::nullopt;
  bool json_ld = type && base::EqualsIgnoreCase(base::Trim(*type), "application/ld+json");
  for (const char* b : kBanned)
    if (e.name == b && !json_ld)
      report.Add("L17", Severity::kError, client::kAll, e, doc.PositionOf(e),
                 "remove <" + e.name +
                     ">: mail clients strip it and filters score it; link to a web page instead");
  if (e.name == "picture")
    report.Add("L17", Severity::kWarning, client::kOutlook, e, doc.PositionOf(e),
               "Outlook ignores <picture>: use a plain <img>");
  for (xmlAttr* a = e.node->properties; a; a = a->next) {
    std::string name = base::AsciiLower(reinterpret_cast<const char*>(a->name));
    if (name == "srcset") {
      report.Add("L17", Severity::kWarning, client::kOutlook, e, doc.PositionOf(e, "srcset"),
                 "Outlook ignores srcset: make src the image every client shows");
    } else if (name.size() > 2 && name.compare(0, 2, "on") == 0) {
      report.Add("L17", Severity::kError, client::kAll, e, doc.PositionOf(e, name.c_str()),
                 "remove the " + name +
                     " script handler: mail clients strip scripts and "
                     "filters flag them");
    }
  }
}

std::string VerticalPadding(const Element& cell) {
  std::string top = "0", bottom = "0";
  if (const Declaration* d = FindDeclaration(cell.style, "padding")) {
    auto t = ValueTokens(d->lower);
    if (!t.empty()) {
      top = std::string(t[0]);
      bottom = std::string(t.size() >= 3 ? t[2] : t[0]);
    }
  }
  if (const Declaration* d = FindDeclaration(cell.style, "padding-top")) top = d->lower;
  if (const Declaration* d = FindDeclaration(cell.style, "padding-bottom")) bottom = d->lower;
  if (IsZeroLength(top)) top = "0";
  if (IsZeroLength(bottom)) bottom = "0";
  return top + " " + bottom;
}

void CheckRows(const LintDocument& doc, LintReport& report) {
  std::unordered_map<int, std::vector<const Element*>> cells_by_row;
  for (const auto& e : doc.elements())
    if ((e.name == "td" || e.name == "th") && e.parent >= 0) cells_by_row[e.parent].push_back(&e);
  for (const auto& e : doc.elements()) {
    if (e.name != "td" && e.name != "th") continue;
    for (const char* span : {"colspan", "rowspan"})
      if (doc.Attribute(e, span))
        report.Add("L19", Severity::kWarning, client::kNotes, e, doc.PositionOf(e, span),
                   std::string("Notes mis-sizes cells with ") + span + ": nest a table instead");
  }
  for (const auto& e : doc.elements()) {
    if (e.name != "tr") continue;
    auto it = cells_by_row.find(doc.IndexOf(e));
    if (it == cells_by_row.end() || it->second.size() < 2) continue;
    const auto& cells = it->second;
    // L4: Outlook gives every cell of a row the largest vertical padding.
    std::string first = VerticalPadding(*cells[0]);
    for (const Element* c : cells) {
      if (VerticalPadding(*c) != first) {
        report.Add("L4", Severity::kWarning, client::kOutlook, e, doc.PositionOf(e),
                   "cells of this row have different vertical padding; Outlook applies the "
                   "largest to all: pad inside nested tables instead");
        break;
      }
    }
    // L19: Notes sizes each cell by its own width.
    const Element* table = doc.Parent(e);
    if (table && table->name != "table") table = doc.Parent(*table);
    if (!table || table->name != "table" || !doc.Attribute(*table, "width")) continue;
    for (const Element* c : cells)
      if (!doc.Attribute(*c, "width") && !FindDeclaration(c->style, "width"))
        report.Add("L19", Severity::kWarning, client::kNotes, *c, doc.PositionOf(*c),
                   "give this cell a width=\"N\": Notes sizes cells by their own width");
  }
}

}  // namespace

void CheckStructure(const LintDocument& doc, LintReport& report) {
  for (const auto& e : doc.elements()) {
    CheckBanned(doc, report, e);
    if (!e.in_body) continue;
    CheckLayoutWidth(doc, report, e);
    if (e.name == "img") CheckImage(doc, report, e);
    if (e.name == "ul" || e.name == "ol")
      report.Add("L25", Severity::kWarning, client::kOutlookNotes, e, doc.PositionOf(e),
                 "Outlook and Notes indent lists unevenly: build bullets as table rows");
  }
  CheckContainer(doc, report);
  CheckRows(doc, report);
}

}  // namespace b2bmail::render::lint
