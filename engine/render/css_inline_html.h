#pragma once
// The CSS passes of css_inliner.h on template text, for callers that hold a string: parses
// with ParseTemplateHtml, runs InlineCss and, when asked, ApplyWordAttributes, and
// serializes with SerializeTemplateHtml. Free of libxml2 types so that any module's code
// (and the tests) can include it.

#include <string>
#include <string_view>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::render {

std::string InlineCssInHtml(std::string_view html, const std::string& file,
                            base::Diagnostics& diagnostics, bool word_attributes = true);

}  // namespace b2bmail::render
