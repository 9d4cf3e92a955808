#include "legacy_transform.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include <algorithm>
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
             X("display:none;font-size:1px;line-height:1px;max-height:0;overflow:hidden;"
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
