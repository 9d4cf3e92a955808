#include "lint_document.h"

#include <libxml/HTMLparser.h>

#include <climits>
#include <cstring>

#include "b2bmail/base/strings.h"
#include "lint_url.h"

namespace b2bmail::render::lint {
namespace {

// libxml2 stores element lines in 16 bits; beyond that the line says nothing.
constexpr long kMaxReliableLine = 65535;
constexpr std::size_t kMaxTextOf = 4096;
constexpr int kMaxTextOfNodes = 10000;

std::string NodeName(const xmlNode* n) {
  return base::AsciiLower(reinterpret_cast<const char*>(n->name));
}

bool IsDocumentNode(const xmlNode* n) {
  return n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE;
}

// Background colour set by this element, if any (CSS first: it wins over bgcolor).
std::string OwnBackground(const Declarations& style, const std::optional<std::string>& bgcolor) {
  if (const Declaration* d = FindDeclaration(style, "background-color"))
    return NormalizeColor(d->value).value_or("");
  if (const Declaration* d = FindDeclaration(style, "background")) {
    auto tokens = ValueTokens(d->value);
    for (auto t : tokens)
      if (auto c = NormalizeColor(t)) return *c;
    return "";
  }
  if (bgcolor) return NormalizeColor(*bgcolor).value_or("");
  return "\x01";  // sentinel: not set here, inherit
}

}  // namespace

bool IsBlank(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') continue;
    // U+00A0, U+034F, U+200B-U+200D, U+FEFF: invisible fillers of preheaders.
    std::string_view rest = text.substr(i);
    if (rest.substr(0, 2) == "\xC2\xA0" || rest.substr(0, 2) == "\xCD\x8F") {
      ++i;
      continue;
    }
    if (rest.substr(0, 3) == "\xE2\x80\x8B" || rest.substr(0, 3) == "\xE2\x80\x8C" ||
        rest.substr(0, 3) == "\xE2\x80\x8D" || rest.substr(0, 3) == "\xEF\xBB\xBF") {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

LintDocument::LintDocument(const std::string& html, const SourceText& source) : source_(source) {
  if (html.size() > static_cast<std::size_t>(INT_MAX)) return;
  doc_ = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc_) Build();
}

LintDocument::~LintDocument() {
  if (doc_) xmlFreeDoc(doc_);
}

void LintDocument::Build() {
  std::vector<int> stack;  // element indexes of the open ancestors
  xmlNode* n = doc_->children;
  while (n) {
    int parent = stack.empty() ? -1 : stack.back();
    if (n->type == XML_ELEMENT_NODE) {
      AddElement(n, parent);
    } else if (n->type == XML_TEXT_NODE && parent >= 0 && n->content) {
      const Element& p = elements_[static_cast<std::size_t>(parent)];
      if (p.in_body && p.name != "style" && p.name != "script") {
        std::string text = StripSectionTags(reinterpret_cast<const char*>(n->content));
        if (!IsBlank(text)) texts_.push_back({parent, std::move(text)});
      }
    }
    if (n->type == XML_ELEMENT_NODE && n->children) {
      stack.push_back(static_cast<int>(elements_.size()) - 1);
      n = n->children;
      continue;
    }
    while (n && !n->next) {
      n = n->parent;
      if (!n || IsDocumentNode(n)) {
        n = nullptr;
        break;
      }
      stack.pop_back();
    }
    if (n) n = n->next;
  }
}

void LintDocument::AddElement(xmlNode* node, int parent) {
  Element e;
  e.node = node;
  e.parent = parent;
  e.name = NodeName(node);
  long line = xmlGetLineNo(node);
  int max_line = line > 0 && line < kMaxReliableLine ? static_cast<int>(line) : 0;
  e.tag = source_.FindTag(e.name, cursor_, max_line);
  if (e.tag != kNone) cursor_ = e.tag + 1;
  if (auto style = Attribute(e, "style")) {
    std::size_t base = kNone / 2;  // past the text: PositionOf() falls back to the tag
    if (e.tag != kNone) {
      for (const auto& a : source_.Attributes(source_.tags()[e.tag]))
        if (a.name == "style" && a.value_offset != kNone) base = a.value_offset;
    }
    e.style = ParseDeclarations(*style, base);
  }
  const Element* p = parent < 0 ? nullptr : &elements_[static_cast<std::size_t>(parent)];
  Inherit(e, p);
  elements_.push_back(std::move(e));
  const Element& added = elements_.back();
  if (added.name == "style") {
    Sheet sheet;
    sheet.element = static_cast<int>(elements_.size()) - 1;
    if (added.tag != kNone) {
      const SourceTag& tag = source_.tags()[added.tag];
      std::string_view css = source_.text().substr(tag.end, tag.raw_end - tag.end);
      sheet.size = css.size();
      sheet.sheet = ParseStyleSheet(css, tag.end);
    } else if (xmlChar* content = xmlNodeGetContent(node)) {
      std::string css = reinterpret_cast<const char*>(content);
      xmlFree(content);
      sheet.size = css.size();
      sheet.sheet = ParseStyleSheet(css, kNone / 2);  // offsets unusable: far past the text
    }
    sheets_.push_back(std::move(sheet));
  }
}

void LintDocument::Inherit(Element& e, const Element* parent) {
  auto decl = [&](const char* property) { return FindDeclaration(e.style, property); };
  const Declaration* display = decl("display");
  const Declaration* visibility = decl("visibility");
  bool hides =
      (display && display->lower == "none") || (visibility && visibility->lower == "hidden");
  e.hidden_by = hides ? static_cast<int>(elements_.size()) : parent ? parent->hidden_by : -1;
  if (const Declaration* size = decl("font-size"))
    e.font_zero_by = IsZeroLength(size->value) ? static_cast<int>(elements_.size()) : -1;
  else
    e.font_zero_by = parent ? parent->font_zero_by : -1;
  const Declaration* mso_hide = decl("mso-hide");
  e.mso_hide = (mso_hide && mso_hide->lower == "all") || (parent && parent->mso_hide);
  if (const Declaration* color = decl("color"))
    e.color = NormalizeColor(color->value).value_or("");
  else if (auto font_color = e.name == "font" ? Attribute(e, "color") : std::nullopt)
    e.color = NormalizeColor(*font_color).value_or("");
  else
    e.color = parent ? parent->color : "";
  std::string background = OwnBackground(e.style, Attribute(e, "bgcolor"));
  e.background = background != "\x01" ? background : parent ? parent->background : "";
  e.link = e.name == "a" ? static_cast<int>(elements_.size()) : parent ? parent->link : -1;
  e.table_depth = (parent ? parent->table_depth : 0) + (e.name == "table" ? 1 : 0);
  e.in_body = e.name == "body" || (parent && parent->in_body);
  e.not_mso = e.tag != kNone ? source_.tags()[e.tag].not_mso : parent && parent->not_mso;
}

std::optional<std::string> LintDocument::Attribute(const Element& e, const char* name) const {
  xmlChar* value = xmlGetProp(e.node, reinterpret_cast<const xmlChar*>(name));
  if (!value) return std::nullopt;
  std::string out = reinterpret_cast<const char*>(value);
  xmlFree(value);
  return out;
}

std::string LintDocument::TextOf(const Element& e) const {
  std::string out;
  int visited = 0;
  xmlNode* n = e.node->children;
  while (n && out.size() < kMaxTextOf && ++visited < kMaxTextOfNodes) {
    if (n->type == XML_TEXT_NODE && n->content) out += reinterpret_cast<const char*>(n->content);
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != e.node && !n->next) n = n->parent;
    if (!n || n == e.node) break;
    n = n->next;
  }
  return StripSectionTags(out);
}

base::SourcePosition LintDocument::PositionOf(const Element& e) const {
  if (e.tag != kNone) return source_.PositionOf(source_.tags()[e.tag].offset);
  long line = xmlGetLineNo(e.node);
  return {line > 0 && line < kMaxReliableLine ? static_cast<int>(line) : 1, 1};
}

base::SourcePosition LintDocument::PositionOf(const Element& e, const char* attribute) const {
  if (e.tag == kNone) return PositionOf(e);
  for (const auto& a : source_.Attributes(source_.tags()[e.tag]))
    if (a.name == attribute) return source_.PositionOf(a.name_offset);
  return PositionOf(e);
}

base::SourcePosition LintDocument::PositionOf(const Element& e, const Declaration& d) const {
  if (e.tag == kNone || d.offset >= source_.text().size()) return PositionOf(e, "style");
  return source_.PositionOf(d.offset);
}

}  // namespace b2bmail::render::lint
