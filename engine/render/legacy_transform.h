#pragma once
// The legacy-client transform, run once per template on its composed HTML (Mustache
// tags hidden by MustacheShield): inlines CSS, writes the attributes Outlook's Word
// engine honours, adds the MSO head block and namespaces, places the hidden
// preheader, and collects every link so the per-recipient path can rewrite them
// without parsing HTML again.

#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "mustache_shield.h"

namespace b2bmail::render {

struct CollectedLink {
  std::string href;  // the attribute value as written (Mustache tags restored), decoded
  std::string text;  // the link's text (tags restored), whitespace collapsed
  int line = 0;      // line in the composed source
};

struct TransformedHtml {
  // The template with every <a href> value replaced by LinkToken(i), i = index in links.
  std::string html;
  std::vector<CollectedLink> links;
};

struct TransformOptions {
  std::string file;            // for diagnostics
  bool add_preheader = false;  // place {{preheader}} hidden at the top of <body>
};

// `html` has its Mustache tags hidden by `shield` (tokens are restored only in the
// collected links; the caller restores the HTML).
TransformedHtml LegacyTransform(const std::string& html, MustacheShield& shield,
                                const TransformOptions& options, base::Diagnostics& diagnostics);

// The token that stands for link `i` in TransformedHtml::html.
std::string LinkToken(std::size_t i);

}  // namespace b2bmail::render
