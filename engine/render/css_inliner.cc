#include "css_inliner.h"

#include <strings.h>

#include <deque>
#include <unordered_map>

#include "css_cascade.h"
#include "css_parser.h"
#include "css_selector.h"

namespace b2bmail::render {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool IsElement(xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && !strcasecmp(reinterpret_cast<const char*>(n->name), name);
}

void CollectElements(xmlNode* first, std::vector<xmlNode*>& out) {
  for (xmlNode* n = first; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    out.push_back(n);
    CollectElements(n->children, out);
  }
}

std::string TextOf(xmlNode* n) {
  xmlChar* content = xmlNodeGetContent(n);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

struct IndexedRule {
  Selector selector;
  const std::vector<CssDeclaration>* declarations;
  std::size_t first_order;  // stylesheet position of its first declaration
};

// The rules that can be inlined, indexed by the rightmost compound's id, else first class,
// else tag, so each element is only tested against rules that can match it.
class RuleIndex {
 public:
  void Add(IndexedRule rule) {
    const CompoundSelector& key = rule.selector.compounds.back();
    std::size_t at = rules_.size();
    if (!key.id.empty()) {
      by_id_[key.id].push_back(at);
    } else if (!key.classes.empty()) {
      by_class_[key.classes.front()].push_back(at);
    } else {
      by_tag_[key.tag].push_back(at);
    }
    rules_.push_back(std::move(rule));
  }
  bool empty() const { return rules_.empty(); }

  std::vector<MatchedDeclaration> Match(xmlNode* element) const {
    std::vector<MatchedDeclaration> out;
    auto test = [&](const std::vector<std::size_t>& candidates) {
      for (std::size_t r : candidates) {
        const IndexedRule& rule = rules_[r];
        if (!Matches(rule.selector, element)) continue;
        for (std::size_t k = 0; k < rule.declarations->size(); ++k)
          out.push_back(
              {&(*rule.declarations)[k], rule.selector.specificity, rule.first_order + k});
      }
    };
    auto lookup = [&](const auto& map, const std::string& key) {
      auto it = map.find(key);
      if (it != map.end()) test(it->second);
    };
    if (auto id = AttributeValue(element, "id")) lookup(by_id_, *id);
    for (const std::string& cls : ClassTokens(element)) lookup(by_class_, cls);
    std::string tag = reinterpret_cast<const char*>(element->name);
    for (char& c : tag)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    lookup(by_tag_, tag);
    return out;
  }

 private:
  std::vector<IndexedRule> rules_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_id_, by_class_, by_tag_;
};

// Reads the <style> elements in document order into inlinable rules and kept CSS text.
class StyleCollector {
 public:
  StyleCollector(const std::string& file, base::Diagnostics& diagnostics)
      : file_(file), diagnostics_(diagnostics) {}

  void Read(xmlNode* style) {
    base::SourcePosition at{static_cast<int>(xmlGetLineNo(style)), 1};
    std::string css = TextOf(style);
    // A media attribute makes the whole sheet conditional: the client decides, not us.
    auto media = AttributeValue(style, "media");
    if (media && !media->empty() && strcasecmp(media->c_str(), "all") &&
        strcasecmp(media->c_str(), "screen")) {
      if (!css.empty()) kept_.push_back("@media " + *media + " {\n" + css + "\n}");
      return;
    }
    CssStylesheet sheet = ParseStylesheet(css);
    for (const std::string& p : sheet.problems) diagnostics_.Warning(file_, at, "css-syntax", p);
    for (CssItem& item : sheet.items) {
      if (item.kind == CssItem::Kind::kVerbatim) {
        kept_.push_back(std::move(item.text));
      } else {
        ReadRule(item, at);
      }
    }
  }

  RuleIndex& rules() { return rules_; }
  const std::vector<std::string>& kept() const { return kept_; }

 private:
  void ReadRule(const CssItem& item, base::SourcePosition at) {
    CssDeclarations decls = ParseDeclarations(item.block);
    for (const std::string& p : decls.problems) diagnostics_.Warning(file_, at, "css-syntax", p);
    if (decls.opaque) {
      diagnostics_.Warning(file_, at, "css-not-inlined",
                           "rule '" + item.prelude +
                               "' not inlined: Mustache decides its declarations; kept in <style>");
      kept_.push_back(item.prelude + " {" + item.block + "}");
      return;
    }
    declarations_.push_back(std::move(decls.declarations));
    const auto* stored = &declarations_.back();
    std::vector<std::string> not_inlined;
    for (std::string& text : SplitSelectorList(item.prelude)) {
      std::string reason;
      if (auto selector = ParseSelector(text, reason)) {
        rules_.Add({std::move(*selector), stored, order_});
      } else {
        diagnostics_.Warning(
            file_, at, "css-not-inlined",
            "selector '" + text + "' not inlined (" + reason + "); kept in <style>");
        not_inlined.push_back(std::move(text));
      }
    }
    order_ += stored->size();
    if (!not_inlined.empty()) {
      std::string selectors;
      for (const auto& s : not_inlined) selectors += (selectors.empty() ? "" : ", ") + s;
      kept_.push_back(selectors + " {" + item.block + "}");
    }
  }

  const std::string& file_;
  base::Diagnostics& diagnostics_;
  RuleIndex rules_;
  std::deque<std::vector<CssDeclaration>> declarations_;  // stable addresses for the index
  std::size_t order_ = 0;
  std::vector<std::string> kept_;
};

// The <head> element, created as the first child of <html> when missing; null for a
// fragment without <html>.
xmlNode* FindOrCreateHead(xmlDocPtr doc) {
  xmlNode* html = xmlDocGetRootElement(doc);
  if (!html || !IsElement(html, "html")) return nullptr;
  for (xmlNode* n = html->children; n; n = n->next)
    if (IsElement(n, "head")) return n;
  xmlNode* head = xmlNewDocNode(doc, nullptr, X("head"), nullptr);
  return html->children ? xmlAddPrevSibling(html->children, head) : xmlAddChild(html, head);
}

// Puts the kept CSS into one <style> in <head>: the first one already there (keeping its
// attributes) or a new one at the end of <head>; in a fragment, before its first node.
xmlNode* PlaceKeptStyle(xmlDocPtr doc, const std::vector<xmlNode*>& styles,
                        const std::string& css) {
  xmlNode* head = FindOrCreateHead(doc);
  xmlNode* target = nullptr;
  for (xmlNode* s : styles)
    if (head && s->parent == head && !xmlHasProp(s, X("media"))) {
      target = s;
      break;
    }
  if (!target) {
    target = xmlNewDocNode(doc, nullptr, X("style"), nullptr);
    if (head) {
      xmlAddChild(head, target);
    } else {
      xmlNode* first = doc->children;
      while (first && first->type == XML_DTD_NODE) first = first->next;
      first ? xmlAddPrevSibling(first, target)
            : xmlAddChild(reinterpret_cast<xmlNode*>(doc), target);
    }
  }
  while (target->children) {
    xmlNode* child = target->children;
    xmlUnlinkNode(child);
    xmlFreeNode(child);
  }
  // A text child of <style> is serialized raw, so the CSS keeps its `>` and quotes.
  xmlAddChild(target, xmlNewDocText(doc, X(css.c_str())));
  return target;
}

}  // namespace

void InlineCss(xmlDocPtr doc, const std::string& file, base::Diagnostics& diagnostics) {
  if (!doc) return;
  std::vector<xmlNode*> elements;
  CollectElements(doc->children, elements);
  std::vector<xmlNode*> styles;
  StyleCollector collector(file, diagnostics);
  for (xmlNode* e : elements) {
    if (!IsElement(e, "style")) continue;
    styles.push_back(e);
    collector.Read(e);
  }
  if (styles.empty()) return;

  if (!collector.rules().empty()) {
    for (xmlNode* e : elements) {
      if (IsElement(e, "style")) continue;
      std::vector<MatchedDeclaration> matched = collector.rules().Match(e);
      if (matched.empty()) continue;
      std::string style = CascadeStyle(AttributeValue(e, "style"), matched);
      xmlSetProp(e, X("style"), X(style.c_str()));
    }
  }

  xmlNode* kept = nullptr;
  if (!collector.kept().empty()) {
    std::string css;
    for (const std::string& text : collector.kept()) css += (css.empty() ? "" : "\n") + text;
    kept = PlaceKeptStyle(doc, styles, css);
  }
  for (xmlNode* s : styles) {
    if (s == kept) continue;
    xmlUnlinkNode(s);
    xmlFreeNode(s);
  }
}

}  // namespace b2bmail::render
