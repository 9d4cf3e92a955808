#include "legacy_transform.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "b2bmail/base/strings.h"
#include "css_inliner.h"

namespace b2bmail::render {
namespace {

using Doc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool Is(xmlNodePtr n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, X(name)) == 0;
}

xmlNodePtr Child(xmlNodePtr parent, const char* name) {
  for (xmlNodePtr c = parent ? parent->children : nullptr; c; c = c->next)
    if (Is(c, name)) return c;
  return nullptr;
}

std::string Attr(xmlNodePtr n, const char* name) {
  xmlChar* v = xmlGetProp(n, X(name));
  if (!v) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool HasAttr(xmlNodePtr n, const char* name) { return xmlHasProp(n, X(name)) != nullptr; }

std::string Text(xmlNodePtr n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (!v) return "";
  std::string raw(reinterpret_cast<const char*>(v));
  xmlFree(v);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// <html>, <head> and <body>, created when the template left them out.
struct Skeleton {
  xmlNodePtr html, head, body;
};

Skeleton EnsureSkeleton(xmlDocPtr doc) {
  xmlNodePtr html = xmlDocGetRootElement(doc);
  if (!Is(html, "html")) {
    xmlNodePtr wrapper = xmlNewDocNode(doc, nullptr, X("html"), nullptr);
    if (html)
      xmlAddPrevSibling(html, wrapper);
    else
      xmlDocSetRootElement(doc, wrapper);
    for (xmlNodePtr n = wrapper->next; n;) {
      xmlNodePtr next = n->next;
      xmlUnlinkNode(n);
      xmlAddChild(wrapper, n);
      n = next;
    }
    html = wrapper;
  }
  xmlNodePtr head = Child(html, "head");
  if (!head) {
    head = xmlNewDocNode(doc, nullptr, X("head"), nullptr);
    if (html->children)
      xmlAddPrevSibling(html->children, head);
    else
      xmlAddChild(html, head);
  }
  xmlNodePtr body = Child(html, "body");
  if (!body) {
    body = xmlNewDocNode(doc, nullptr, X("body"), nullptr);
    // Everything after <head> belongs in the body.
    for (xmlNodePtr n = head->next; n;) {
      xmlNodePtr next = n->next;
      xmlUnlinkNode(n);
      xmlAddChild(body, n);
      n = next;
    }
    xmlAddChild(html, body);
  }
  return {html, head, body};
}

// The Word engine needs the VML and Office namespaces for VML buttons, and the
// PixelsPerInch block so images keep their size at 120 DPI (deliverability.md L21).
void AddMsoHead(xmlDocPtr doc, const Skeleton& s) {
  if (!HasAttr(s.html, "xmlns")) xmlSetProp(s.html, X("xmlns"), X("http://www.w3.org/1999/xhtml"));
  if (!HasAttr(s.html, "xmlns:v"))
    xmlSetProp(s.html, X("xmlns:v"), X("urn:schemas-microsoft-com:vml"));
  if (!HasAttr(s.html, "xmlns:o"))
    xmlSetProp(s.html, X("xmlns:o"), X("urn:schemas-microsoft-com:office:office"));
  bool has_charset = false, has_viewport = false, has_mso = false;
  for (xmlNodePtr c = s.head->children; c; c = c->next) {
    if (Is(c, "meta") && (HasAttr(c, "charset") || Attr(c, "http-equiv") == "Content-Type"))
      has_charset = true;
    if (Is(c, "meta") && Attr(c, "name") == "viewport") has_viewport = true;
    if (c->type == XML_COMMENT_NODE && c->content &&
        xmlStrstr(c->content, X("PixelsPerInch")) != nullptr)
      has_mso = true;
  }
  xmlNodePtr first = s.head->children;
  auto insert = [&](xmlNodePtr n) {
    if (first)
      xmlAddPrevSibling(first, n);
    else
      xmlAddChild(s.head, n);
  };
  if (!has_charset) {
    xmlNodePtr meta = xmlNewDocNode(doc, nullptr, X("meta"), nullptr);
    xmlSetProp(meta, X("http-equiv"), X("Content-Type"));
    xmlSetProp(meta, X("content"), X("text/html; charset=UTF-8"));
    insert(meta);
  }
  if (!has_viewport) {
    xmlNodePtr meta = xmlNewDocNode(doc, nullptr, X("meta"), nullptr);
    xmlSetProp(meta, X("name"), X("viewport"));
    xmlSetProp(meta, X("content"), X("width=device-width, initial-scale=1"));
    insert(meta);
  }
  if (!has_mso) {
    xmlAddChild(
        s.head,
        xmlNewDocComment(doc, X("[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/>"
                                "<o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings>"
                                "</xml><![endif]")));
  }
}

// The preheader: the preview line inboxes show after the subject, hidden in the body
// for every client (display:none, and mso-hide:all because Outlook ignores the former
// on some elements).
void AddPreheader(xmlDocPtr doc, const Skeleton& s, MustacheShield& shield) {
  xmlNodePtr div = xmlNewDocNode(doc, nullptr, X("div"), nullptr);
  xmlSetProp(div, X("style"),
             X("display:none;font-size:1px;line-height:1px;max-height:0;"
               "mso-hide:all"));
  xmlNodeAddContent(div, X(shield.Token("{{preheader}}").c_str()));
  if (s.body->children)
    xmlAddPrevSibling(s.body->children, div);
  else
    xmlAddChild(s.body, div);
}

void CollectLinks(xmlNodePtr n, const MustacheShield& shield, std::vector<CollectedLink>& out) {
  for (; n; n = n->next) {
    if (Is(n, "a") && HasAttr(n, "href")) {
      CollectedLink link;
      link.href = shield.Restore(Attr(n, "href"));
      link.text = shield.Restore(Text(n));
      link.line = static_cast<int>(xmlGetLineNo(n));
      xmlSetProp(n, X("href"), X(LinkToken(out.size()).c_str()));
      out.push_back(std::move(link));
    }
    if (n->type == XML_ELEMENT_NODE) CollectLinks(n->children, shield, out);
  }
}

std::string StyleValue(const std::string& style, const std::string& property) {
  // The last declaration of `property` in a style attribute (inlined CSS, no comments).
  std::string lower = base::AsciiLower(style), found;
  std::size_t at = 0;
  while ((at = lower.find(property, at)) != std::string::npos) {
    bool starts = at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ';
    std::size_t colon = lower.find_first_not_of(' ', at + property.size());
    at += property.size();
    if (!starts || colon == std::string::npos || lower[colon] != ':') continue;
    std::size_t end = style.find(';', colon);
    found = std::string(base::Trim(
        style.substr(colon + 1, end == std::string::npos ? std::string::npos : end - colon - 1)));
  }
  return found;
}

int Pixels(const std::string& value, int fallback) {
  int n = std::atoi(value.c_str());
  return value.find("px") != std::string::npos && n > 0 ? n : fallback;
}

// The padding of a cell as top, right, bottom, left pixels.
std::array<int, 4> Padding(const std::string& style) {
  std::array<int, 4> p{0, 0, 0, 0};
  std::string all = StyleValue(style, "padding");
  std::vector<int> v;
  for (auto part : base::Split(all, ' '))
    if (!part.empty()) v.push_back(Pixels(std::string(part), 0));
  if (v.size() == 1) p = {v[0], v[0], v[0], v[0]};
  if (v.size() == 2) p = {v[0], v[1], v[0], v[1]};
  if (v.size() == 3) p = {v[0], v[1], v[2], v[1]};
  if (v.size() >= 4) p = {v[0], v[1], v[2], v[3]};
  const char* sides[] = {"padding-top", "padding-right", "padding-bottom", "padding-left"};
  for (int i = 0; i < 4; ++i)
    if (auto one = StyleValue(style, sides[i]); !one.empty()) p[i] = Pixels(one, p[i]);
  return p;
}

xmlNodePtr Cell(xmlNodePtr n) {
  for (n = n ? n->parent : nullptr; n; n = n->parent)
    if (Is(n, "td") || Is(n, "th")) return n;
  return nullptr;
}

bool IsButton(xmlNodePtr a) {
  if (HasAttr(a, "data-button")) return true;
  std::string classes = Attr(a, "class");  // Split returns views into it
  for (auto word : base::Split(classes, ' '))
    if (word == "button") return true;
  return false;
}

// Outlook's Word engine draws neither padding on links nor rounded corners: a link
// marked as a button (class="button") gets a VML v:roundrect of the same size, colour
// and link for Outlook, and the HTML link, in its padded cell, for everyone else.
void AddVmlButtons(xmlDocPtr doc, xmlNodePtr n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (!(Is(n, "a") && IsButton(n))) {
      AddVmlButtons(doc, n->children);
      continue;
    }
    xmlNodePtr cell = Cell(n);
    std::string a_style = Attr(n, "style");
    std::string cell_style = cell ? Attr(cell, "style") : "";
    std::string fill = cell ? Attr(cell, "bgcolor") : "";
    if (fill.empty()) fill = StyleValue(a_style, "background-color");
    if (fill.empty()) fill = StyleValue(cell_style, "background-color");
    if (fill.empty()) fill = "#1d4ed8";
    std::string color = StyleValue(a_style, "color");
    if (color.empty()) color = "#ffffff";
    std::string font = StyleValue(a_style, "font-family");
    if (font.empty()) font = "Arial, sans-serif";
    int font_size = Pixels(StyleValue(a_style, "font-size"), 15);
    auto pad = Padding(cell_style);
    auto a_pad = Padding(a_style);
    for (int i = 0; i < 4; ++i) pad[i] += a_pad[i];
    std::string text = Text(n);
    // Outlook does not size VML to its text: estimate as the rendered button would be.
    int height =
        Pixels(Attr(n, "data-button-height") + "px", font_size + font_size / 2 + pad[0] + pad[2]);
    // Text from the data (a Mustache tag, hidden here) is not known until render time:
    // such buttons get a generous width unless data-button-width says otherwise.
    bool dynamic = text.find(MustacheShield::kPrefix) != std::string::npos;
    int estimate = static_cast<int>(base::Utf8Length(text)) * font_size * 6 / 10 + pad[1] + pad[3];
    int width =
        Pixels(Attr(n, "data-button-width") + "px", dynamic ? std::max(estimate, 260) : estimate);
    std::string vml =
        "[if mso]><v:roundrect xmlns:v=\"urn:schemas-microsoft-com:vml\" "
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" href=\"" +
        Attr(n, "href") + "\" style=\"height:" + std::to_string(height) +
        "px;v-text-anchor:middle;width:" + std::to_string(width) +
        "px;\" arcsize=\"8%\" stroke=\"f\" fillcolor=\"" + fill +
        "\"><w:anchorlock/><center style=\"color:" + color + ";font-family:" + font +
        ";font-size:" + std::to_string(font_size) + "px;\">" + text +
        "</center></v:roundrect><![endif]";
    xmlAddPrevSibling(n, xmlNewDocComment(doc, X(vml.c_str())));
    xmlAddPrevSibling(n, xmlNewDocComment(doc, X("[if !mso]><!")));
    xmlAddNextSibling(n, xmlNewDocComment(doc, X("<![endif]")));
    n = n->next;  // past the closing comment
  }
}

// Outlook's Word engine ignores max-width (deliverability.md §7): a fluid container
// (a <div> or <table> whose width is capped by max-width in px) gets a "ghost table"
// of that width that only Outlook sees, so the layout keeps its width there too.
void AddGhostTables(xmlDocPtr doc, xmlNodePtr n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string max_width = StyleValue(Attr(n, "style"), "max-width");
    int width = Pixels(max_width, 0);
    bool fluid = (Is(n, "div") || (Is(n, "table") && !HasAttr(n, "width"))) && width > 0;
    if (!fluid) {
      AddGhostTables(doc, n->children);
      continue;
    }
    std::string align = Attr(n, "align").empty() ? "center" : Attr(n, "align");
    std::string open = "[if mso]><table role=\"presentation\" width=\"" + std::to_string(width) +
                       "\" align=\"" + align +
                       "\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td><![endif]";
    xmlAddPrevSibling(n, xmlNewDocComment(doc, X(open.c_str())));
    xmlAddNextSibling(n, xmlNewDocComment(doc, X("[if mso]></td></tr></table><![endif]")));
    AddGhostTables(doc, n->children);
    n = n->next;  // past the closing comment
  }
}

}  // namespace

std::string LinkToken(std::size_t i) { return "b2bLINK" + std::to_string(i) + "z"; }

TransformedHtml LegacyTransform(const std::string& html, MustacheShield& shield,
                                const TransformOptions& options, base::Diagnostics& diagnostics) {
  TransformedHtml out;
  Doc doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                         HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET),
          xmlFreeDoc);
  if (!doc) {
    diagnostics.Error(options.file, {1, 1}, "html", "the HTML could not be parsed");
    return out;
  }
  Skeleton s = EnsureSkeleton(doc.get());
  InlineCss(doc.get(), options.file, diagnostics);
  ApplyWordAttributes(doc.get());
  AddMsoHead(doc.get(), s);
  if (options.add_preheader) AddPreheader(doc.get(), s, shield);
  CollectLinks(s.body, shield, out.links);
  AddVmlButtons(doc.get(), s.body);  // after CollectLinks: the VML copies the link token
  AddGhostTables(doc.get(), s.body);
  // libxml2 gives a document without a doctype HTML 4.0's; email clients expect XHTML
  // 1.0 Transitional (the Word engine's best-tested mode). An author's own doctype stays.
  std::string head = base::AsciiLower(html.substr(0, std::min<std::size_t>(html.size(), 512)));
  if (head.find("<!doctype") == std::string::npos) {
    if (xmlDtdPtr dtd = xmlGetIntSubset(doc.get())) {
      xmlUnlinkNode(reinterpret_cast<xmlNodePtr>(dtd));
      xmlFreeDtd(dtd);
    }
    xmlCreateIntSubset(doc.get(), X("html"), X("-//W3C//DTD XHTML 1.0 Transitional//EN"),
                       X("http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"));
  }
  xmlChar* buffer = nullptr;
  int size = 0;
  htmlDocDumpMemoryFormat(doc.get(), &buffer, &size, 0);
  if (buffer) {
    out.html.assign(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
    xmlFree(buffer);
  }
  return out;
}

}  // namespace b2bmail::render
