#include "css_inline_html.h"

#include "css_inliner.h"
#include "template_html.h"

namespace b2bmail::render {

std::string InlineCssInHtml(std::string_view html, const std::string& file,
                            base::Diagnostics& diagnostics, bool word_attributes) {
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

}  // namespace b2bmail::render
