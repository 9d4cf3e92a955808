#pragma once
// Links are found once, at compile time, and marked in the compiled template as
// \x1e<index>\x1f<url>\x1e, so each rendered message has its links rewritten (click
// tracking) by a linear scan instead of an HTML parse (perf-baselines.md §4: a
// libxml2 round trip costs three times the Mustache render).

#include <string>
#include <vector>

#include "b2bmail/render/message_template.h"

namespace b2bmail::render {

// `url` (an attribute value or text, Mustache tags included) marked as link `index`.
std::string MarkLink(std::size_t index, const std::string& url);

// Replaces every marked link in `rendered` by the URL `rewrite` returns (the URL as
// rendered when `rewrite` is null). In HTML the URL is an attribute value: it is
// unescaped before `rewrite` sees it and escaped again after.
void RewriteMarkedLinks(std::string& rendered, bool html, const std::vector<LinkInfo>& links,
                        const LinkRewriter* rewrite);

// `&`, `<`, `>` and `"` as entities: a value inside a double-quoted attribute.
std::string EscapeAttribute(const std::string& value);

}  // namespace b2bmail::render
