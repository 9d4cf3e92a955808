#pragma once
// Legacy-client passes over a parsed HTML template (libxml2). Outlook's Word engine and
// Lotus Notes ignore most of <style> and much of CSS (docs: deliverability notes, section 7),
// so the styles move onto the elements and the layout-critical ones are repeated as HTML
// attributes. The document is a Mustache template source: `{{...}}` in text, attribute
// values and CSS is kept as written.

#include <libxml/HTMLtree.h>

#include <string>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::render {

// Moves the rules of every <style> element onto the elements they match (style
// attributes), by specificity, source order and !important, with a declaration already in
// a style attribute beating normal stylesheet ones. What cannot be inlined (at-rules such
// as @media, Mustache sections, selectors with pseudo-classes, attributes, siblings, `*`)
// is kept verbatim and in order in one <style> element in <head>; the other <style>
// elements are removed. Warnings: "css-syntax" for malformed CSS (reading continues after
// it), "css-not-inlined" for each selector left to the client; both at the <style>
// element's line, column 1.
void InlineCss(xmlDocPtr doc, const std::string& file, base::Diagnostics& diagnostics);

// Writes the attributes the Word engine honours from the (inlined) CSS: role, border,
// cellpadding, cellspacing, width, height, bgcolor, align, valign on tables and cells;
// width, height and border on images, plus `display: block` for images in layout. An
// attribute already present is never changed.
void ApplyWordAttributes(xmlDocPtr doc);

}  // namespace b2bmail::render
