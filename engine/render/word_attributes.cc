// ApplyWordAttributes (css_inliner.h): the Word engine of classic Outlook honours width,
// bgcolor, align and valign attributes where it ignores the same CSS, and Notes sizes cells
// by their width attribute, so the inlined CSS is repeated as attributes.

#include <strings.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/strings.h"
#include "css_inliner.h"
#include "css_parser.h"
#include "css_selector.h"

namespace b2bmail::render {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool NameIs(xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE &&
         !strcasecmp(reinterpret_cast<const char*>(n->name), name);
}

void SetIfMissing(xmlNode* n, const char* name, const std::string& value) {
  if (!xmlHasProp(n, X(name))) xmlSetProp(n, X(name), X(value.c_str()));
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "600px" -> "600". Fractions and other units are skipped: attributes take integers.
std::optional<std::string> Pixels(std::string_view v) {
  std::string s = base::AsciiLower(base::Trim(v));
  if (s.size() < 3 || !s.ends_with("px") || !AllDigits(std::string_view(s).substr(0, s.size() - 2)))
    return std::nullopt;
  return s.substr(0, s.size() - 2);
}

// "50%" -> "50%".
std::optional<std::string> Percent(std::string_view v) {
  std::string_view s = base::Trim(v);
  if (s.size() < 2 || s.back() != '%' || !AllDigits(s.substr(0, s.size() - 1))) return std::nullopt;
  return std::string(s);
}

std::optional<std::string> PixelsOrPercent(std::string_view v) {
  if (auto px = Pixels(v)) return px;
  return Percent(v);
}

// Only #hex and plain names: bgcolor does not parse rgb(), and legacy parsers read
// three-digit hex differently, so #abc is written as #aabbcc.
std::optional<std::string> PlainColour(std::string_view v) {
  std::string s(base::Trim(v));
  if (s.size() == 4 && s[0] == '#') {
    std::string out = "#";
    for (char c : s.substr(1)) out += std::string(2, c);
    s = out;
  }
  if (s.size() == 7 && s[0] == '#') {
    for (char c : s.substr(1))
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    return s;
  }
  if (s.empty()) return std::nullopt;
  for (char c : s)
    if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
  std::string lower = base::AsciiLower(s);
  for (const char* keyword :
       {"transparent", "inherit", "initial", "unset", "revert", "none", "currentcolor"})
    if (lower == keyword) return std::nullopt;
  return lower;
}

// The element's style declarations in the order they take effect: normal ones, then
// important ones, so "last one wins" reads the result. Empty when Mustache decides them.
std::vector<CssDeclaration> EffectiveStyle(xmlNode* n) {
  auto style = AttributeValue(n, "style");
  if (!style) return {};
  CssDeclarations parsed = ParseDeclarations(*style);
  if (parsed.opaque) return {};
  std::vector<CssDeclaration> out;
  for (bool important : {false, true})
    for (const auto& d : parsed.declarations)
      if (d.important == important) out.push_back(d);
  return out;
}

std::optional<std::string> Last(const std::vector<CssDeclaration>& style, std::string_view prop) {
  std::optional<std::string> out;
  for (const auto& d : style)
    if (d.property == prop) out = d.value;
  return out;
}

std::optional<std::string> BackgroundColour(const std::vector<CssDeclaration>& style) {
  std::optional<std::string> out;
  for (const auto& d : style)
    if (d.property == "background-color" || d.property == "background") out = PlainColour(d.value);
  return out;
}

// True for `margin: 0 auto` and the like, or auto left and right margins.
bool CentredByMargin(const std::vector<CssDeclaration>& style) {
  std::string left, right;
  for (const auto& d : style) {
    if (d.property == "margin") {
      std::vector<std::string> v;
      for (auto part : base::Split(d.value, ' '))
        if (!part.empty()) v.push_back(base::AsciiLower(part));
      if (v.empty() || v.size() > 4) continue;
      right = v.size() == 1 ? v[0] : v[1];
      left = v.size() == 4 ? v[3] : right;
    } else if (d.property == "margin-left") {
      left = base::AsciiLower(d.value);
    } else if (d.property == "margin-right") {
      right = base::AsciiLower(d.value);
    }
  }
  return left == "auto" && right == "auto";
}

void Table(xmlNode* n) {
  // A table without a role, or marked presentation/none, is layout: screen readers skip
  // it, and the Word engine's default spacing (cellspacing 2) is zeroed. A table with
  // another role (a data table: role="table", or a grid) keeps its spacing.
  xmlChar* role = xmlGetProp(n, X("role"));
  bool layout =
      !role || xmlStrcasecmp(role, X("presentation")) == 0 || xmlStrcasecmp(role, X("none")) == 0;
  if (role) xmlFree(role);
  if (layout) {
    SetIfMissing(n, "role", "presentation");
    SetIfMissing(n, "border", "0");
    SetIfMissing(n, "cellpadding", "0");
    SetIfMissing(n, "cellspacing", "0");
  }
  auto style = EffectiveStyle(n);
  if (auto w = Last(style, "width"))
    if (auto v = PixelsOrPercent(*w)) SetIfMissing(n, "width", *v);
  if (auto c = BackgroundColour(style)) SetIfMissing(n, "bgcolor", *c);
  if (CentredByMargin(style)) SetIfMissing(n, "align", "center");
}

void Cell(xmlNode* n) {
  auto style = EffectiveStyle(n);
  for (const char* dim : {"width", "height"})
    if (auto w = Last(style, dim))
      if (auto v = PixelsOrPercent(*w)) SetIfMissing(n, dim, *v);
  if (auto c = BackgroundColour(style)) SetIfMissing(n, "bgcolor", *c);
  if (auto a = Last(style, "text-align")) {
    std::string v = base::AsciiLower(*a);
    if (v == "left" || v == "center" || v == "right") SetIfMissing(n, "align", v);
  }
  if (auto a = Last(style, "vertical-align")) {
    std::string v = base::AsciiLower(*a);
    if (v == "top" || v == "middle" || v == "bottom") SetIfMissing(n, "valign", v);
  }
}

// True when a text node shows something: Mustache section and comment tags render nothing.
bool ShowsText(xmlNode* t) {
  std::string_view s(reinterpret_cast<const char*>(t->content ? t->content : X("")));
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, 2) == "{{" && i + 2 < s.size() &&
        std::string_view("#^/!").find(s[i + 2]) != std::string_view::npos) {
      std::size_t end = s.find("}}", i);
      if (end == std::string_view::npos) return true;
      i = end + 2;
    } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      ++i;
    } else {
      return true;
    }
  }
  return false;
}

bool HasTextSiblings(xmlNode* n) {
  for (xmlNode* s = n->parent ? n->parent->children : nullptr; s; s = s->next)
    if (s != n && s->type == XML_TEXT_NODE && ShowsText(s)) return true;
  return false;
}

// An image alone in a cell, link or div is layout: display:block removes the gap the Word
// engine and others leave under inline images. One inside running text stays inline.
bool InLayout(xmlNode* img) {
  xmlNode* parent = img->parent;
  if (!(NameIs(parent, "td") || NameIs(parent, "th") || NameIs(parent, "a") ||
        NameIs(parent, "div")))
    return false;
  if (HasTextSiblings(img)) return false;
  return !NameIs(parent, "a") || !HasTextSiblings(parent);
}

void Image(xmlNode* n) {
  auto style = EffectiveStyle(n);
  for (const char* dim : {"width", "height"})
    if (auto w = Last(style, dim))
      if (auto v = Pixels(*w)) SetIfMissing(n, dim, *v);
  SetIfMissing(n, "border", "0");
  auto text = AttributeValue(n, "style");
  if (text && ParseDeclarations(*text).opaque) return;  // Mustache decides the style
  if (Last(style, "display") || !InLayout(n)) return;
  std::string_view own = text ? base::Trim(*text) : std::string_view();
  while (!own.empty() && own.back() == ';') own = base::Trim(own.substr(0, own.size() - 1));
  std::string updated = own.empty() ? "display: block" : std::string(own) + "; display: block";
  xmlSetProp(n, X("style"), X(updated.c_str()));
}

void Walk(xmlNode* first) {
  for (xmlNode* n = first; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (NameIs(n, "table")) Table(n);
    if (NameIs(n, "td") || NameIs(n, "th")) Cell(n);
    if (NameIs(n, "img")) Image(n);
    Walk(n->children);
  }
}

}  // namespace

void ApplyWordAttributes(xmlDocPtr doc) {
  if (doc) Walk(doc->children);
}

}  // namespace b2bmail::render
