#pragma once
// Parsing and serializing HTML template sources with libxml2 so that the Mustache tags in
// them come back unchanged.

#include <libxml/HTMLtree.h>

#include <string>
#include <string_view>

namespace b2bmail::render {

// Parses without network access, error output or a default doctype. libxml2 2.9.14 wraps
// a fragment (a partial) in implied <html><head>/<body>; HTML_PARSE_NOIMPLIED is not used
// because that version then nests every later top-level element inside the first one.
// Free with xmlFreeDoc; null only when libxml2 fails outright.
xmlDocPtr ParseTemplateHtml(std::string_view html);

// True when `html` is a whole document (it has an <html> tag), false for a fragment.
bool IsWholeDocument(std::string_view html);

// As htmlDocDumpMemoryFormat(doc, ..., 0), except that attribute values holding Mustache
// tags are written as they are: libxml2 URI-escapes href, src and action values, which
// would turn `href="{{url}}"` into `href="%7B%7Burl%7D%7D"` and break the template.
// For a fragment only the contents of the implied <head> and <body> are written.
std::string SerializeTemplateHtml(xmlDocPtr doc, bool fragment);

}  // namespace b2bmail::render
