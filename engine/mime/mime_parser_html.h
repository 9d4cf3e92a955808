#pragma once
// Rough text of an HTML body for reading a reply or a bounce that came only as HTML.
// Private to the mime module.

#include <string>
#include <string_view>

namespace b2bmail::mime {

// Tags, comments, <script> and <style> contents removed; block elements and <br> become
// line breaks; common named and all numeric character references decoded; runs of
// whitespace collapsed. Not an HTML parser: good enough to read, not to render. Linear.
std::string HtmlToText(std::string_view html);

}  // namespace b2bmail::mime
