#include "b2bmail/render/html_to_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <string_view>

#include "b2bmail/base/strings.h"

namespace b2bmail::render {
namespace {

bool IsBlock(const char* name) {
  static constexpr const char* kBlocks[] = {"p",  "div", "h1", "h2",    "h3",     "h4",
                                            "h5", "h6",  "tr", "table", "ul",     "ol",
                                            "li", "br",  "hr", "td",    "center", "blockquote"};
  for (const char* b : kBlocks)
    if (std::strcmp(name, b) == 0) return true;
  return false;
}

class TextBuilder {
 public:
  void Walk(xmlNode* node) {
    for (xmlNode* n = node; n; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        AppendText(reinterpret_cast<const char*>(n->content));
      } else if (n->type == XML_ELEMENT_NODE) {
        const char* name = reinterpret_cast<const char*>(n->name);
        if (!std::strcmp(name, "head") || !std::strcmp(name, "style") ||
            !std::strcmp(name, "script") || !std::strcmp(name, "title"))
          continue;
        bool block = IsBlock(name);
        bool cell = !std::strcmp(name, "td") || !std::strcmp(name, "th");
        if (block && !cell) Break();
        if (!std::strcmp(name, "li")) line_ += "- ";
        std::size_t before = out_.size() + line_.size();
        std::string link_before = line_;
        Walk(n->children);
        if (!std::strcmp(name, "a")) {
          xmlChar* href = xmlGetProp(n, reinterpret_cast<const xmlChar*>("href"));
          if (href) {
            std::string url = reinterpret_cast<const char*>(href);
            xmlFree(href);
            // Show the URL unless the link text already is the URL.
            bool text_is_url = (out_.size() + line_.size()) > before &&
                               line_.size() >= url.size() &&
                               line_.compare(line_.size() - url.size(), url.size(), url) == 0;
            if (!url.empty() && url[0] != '#' && !text_is_url) AppendWord("(" + url + ")");
          }
        }
        if (cell) AppendText(" ");
        if (block || !std::strcmp(name, "br")) Break();
        if (!std::strcmp(name, "p") || name[0] == 'h') blank_pending_ = true;
      }
    }
  }

  std::string Finish() {
    Break();
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return out_ + "\n";
  }

 private:
  void AppendText(std::string_view text) {
    for (char c : text) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        FlushWord();
        space_pending_ = !line_.empty();
      } else {
        word_ += c;
      }
    }
    FlushWord();
  }

  void AppendWord(const std::string& w) {
    FlushWord();
    space_pending_ = !line_.empty();
    word_ = w;
    FlushWord();
  }

  void FlushWord() {
    if (word_.empty()) return;
    if (blank_pending_ && !out_.empty()) {
      out_ += "\n";
      blank_pending_ = false;
    }
    blank_pending_ = false;
    std::size_t width =
        base::Utf8Length(line_) + (space_pending_ ? 1 : 0) + base::Utf8Length(word_);
    if (!line_.empty() && width > 76) {
      out_ += line_ + "\n";
      line_.clear();
    } else if (space_pending_ && !line_.empty()) {
      line_ += ' ';
    }
    line_ += word_;
    word_.clear();
    space_pending_ = false;
  }

  void Break() {
    FlushWord();
    if (!line_.empty()) {
      out_ += line_ + "\n";
      line_.clear();
    }
    space_pending_ = false;
  }

  std::string out_, line_, word_;
  bool space_pending_ = false;
  bool blank_pending_ = false;
};

}  // namespace

std::string HtmlToText(const std::string& html) {
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc) return "";
  TextBuilder builder;
  builder.Walk(xmlDocGetRootElement(doc));
  xmlFreeDoc(doc);
  return builder.Finish();
}

}  // namespace b2bmail::render
