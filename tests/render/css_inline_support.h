#pragma once
// Test support: runs the CSS inliner on raw template HTML (Mustache tags and all) and
// gives the result back as text, so the inliner's tests can compare strings. The
// production path (legacy_transform.cc) hides Mustache tags with MustacheShield
// instead; here attribute values holding tags are written out verbatim.

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <strings.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/base/strings.h"
#include "css_inliner.h"

namespace b2bmail::render::test_support {

inline void CollectMustacheAttributes(xmlNode* first, std::vector<xmlAttr*>& out) {
  for (xmlNode* n = first; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      xmlNode* text = a->children;
      if (!a->ns && text && text->content &&
          std::strstr(reinterpret_cast<const char*>(text->content), "{{"))
        out.push_back(a);
    }
    CollectMustacheAttributes(n->children, out);
  }
}

inline bool NameIs(xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && !strcasecmp(reinterpret_cast<const char*>(n->name), name);
}

// The nodes a fragment consists of: the children of the implied <head> and <body>.
inline std::vector<xmlNode*> FragmentNodes(xmlDocPtr doc) {
  std::vector<xmlNode*> out;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root || !NameIs(root, "html")) {
    for (xmlNode* n = doc->children; n; n = n->next)
      if (n->type != XML_DTD_NODE) out.push_back(n);
    return out;
  }
  for (xmlNode* part = root->children; part; part = part->next) {
    if (NameIs(part, "head") || NameIs(part, "body")) {
      for (xmlNode* n = part->children; n; n = n->next) out.push_back(n);
    } else {
      out.push_back(part);
    }
  }
  return out;
}

inline std::string Dump(xmlDocPtr doc, bool fragment) {
  if (!fragment) {
    xmlChar* buffer = nullptr;
    int size = 0;
    htmlDocDumpMemoryFormat(doc, &buffer, &size, 0);
    std::string out = buffer ? std::string(reinterpret_cast<const char*>(buffer), size) : "";
    xmlFree(buffer);
    return out;
  }
  xmlOutputBufferPtr buffer = xmlAllocOutputBuffer(nullptr);
  for (xmlNode* n : FragmentNodes(doc)) htmlNodeDumpFormatOutput(buffer, doc, n, "UTF-8", 0);
  std::string out(reinterpret_cast<const char*>(xmlOutputBufferGetContent(buffer)),
                  xmlOutputBufferGetSize(buffer));
  xmlOutputBufferClose(buffer);
  return out;
}

inline xmlDocPtr ParseTemplateHtml(std::string_view html) {
  return htmlReadMemory(
      html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NODEFDTD);
}

inline bool IsWholeDocument(std::string_view html) {
  return base::AsciiLower(html).find("<html") != std::string::npos;
}

inline std::string SerializeTemplateHtml(xmlDocPtr doc, bool fragment) {
  // libxml2 escapes only attributes without a namespace; a namespace without a prefix
  // turns that off and does not show in the output. It is taken off again afterwards.
  std::vector<xmlAttr*> protect;
  CollectMustacheAttributes(doc->children, protect);
  xmlNs* plain =
      xmlNewNs(nullptr, reinterpret_cast<const xmlChar*>("urn:b2bmail:verbatim"), nullptr);
  for (xmlAttr* a : protect) a->ns = plain;
  std::string out = Dump(doc, fragment);
  for (xmlAttr* a : protect) a->ns = nullptr;
  xmlFreeNs(plain);
  return out;
}

// `html` with its <style> rules inlined (and the Word attributes applied).
inline std::string InlineCssInHtml(std::string_view html, const std::string& file,
                                   base::Diagnostics& diagnostics, bool word_attributes = true) {
  xmlDocPtr doc = ParseTemplateHtml(html);
  if (!doc) {
    diagnostics.Error(file, {1, 1}, "html", "the HTML could not be parsed");
    return std::string(html);
  }
  InlineCss(doc, file, diagnostics);
  if (word_attributes) ApplyWordAttributes(doc);
  std::string out = SerializeTemplateHtml(doc, !IsWholeDocument(html));
  xmlFreeDoc(doc);
  return out;
}

}  // namespace b2bmail::render::test_support
