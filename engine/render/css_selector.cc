#include "css_selector.h"

#include <strings.h>

#include <algorithm>

#include "b2bmail/base/strings.h"

namespace b2bmail::render {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Reads a CSS identifier at `i`, decoding escapes (`.w-1\/2` is the class "w-1/2").
std::string ReadName(std::string_view s, std::size_t& i) {
  std::string out;
  while (i < s.size()) {
    if (IsNameChar(s[i])) {
      out += s[i++];
    } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] != '\n') {
      ++i;
      if (HexValue(s[i]) >= 0) {
        unsigned long cp = 0;
        for (int n = 0; n < 6 && i < s.size() && HexValue(s[i]) >= 0; ++n, ++i)
          cp = cp * 16 + static_cast<unsigned long>(HexValue(s[i]));
        if (i < s.size() && IsSpace(s[i])) ++i;
        base::AppendUtf8(out, static_cast<std::uint32_t>(cp));
      } else {
        out += s[i++];
      }
    } else {
      break;
    }
  }
  return out;
}

// Why a character that cannot continue a compound makes the selector not inlinable.
std::string Unsupported(std::string_view s, std::size_t i) {
  switch (s[i]) {
    case ':':
      return i + 1 < s.size() && s[i + 1] == ':' ? "pseudo-element" : "pseudo-class";
    case '[':
      return "attribute selector";
    case '*':
      return "universal selector";
    case '+':
    case '~':
      return "sibling combinator";
    case '{':
      return "Mustache tag";
    default:
      return "unsupported syntax '" + std::string(1, s[i]) + "'";
  }
}

bool HasToken(std::string_view list, std::string_view token) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && IsSpace(list[i])) ++i;
    std::size_t start = i;
    while (i < list.size() && !IsSpace(list[i])) ++i;
    if (list.substr(start, i - start) == token) return true;
  }
  return false;
}

// Attribute text without copying when libxml holds it as one text node (always so after
// parsing), which keeps matching free of allocations.
std::optional<std::string_view> AttributeView(xmlNode* element, const char* name,
                                              std::string& storage) {
  xmlAttr* attr = xmlHasProp(element, reinterpret_cast<const xmlChar*>(name));
  if (!attr) return std::nullopt;
  xmlNode* text = attr->children;
  if (!text) return std::string_view();
  if (text->type == XML_TEXT_NODE && !text->next && text->content)
    return std::string_view(reinterpret_cast<const char*>(text->content));
  xmlChar* value = xmlNodeListGetString(element->doc, attr->children, 1);
  storage = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return std::string_view(storage);
}

bool MatchesCompound(const CompoundSelector& c, xmlNode* element) {
  if (!c.tag.empty() && strcasecmp(reinterpret_cast<const char*>(element->name), c.tag.c_str()))
    return false;
  std::string storage;
  if (!c.id.empty()) {
    auto id = AttributeView(element, "id", storage);
    if (!id || *id != c.id) return false;
  }
  if (!c.classes.empty()) {
    auto list = AttributeView(element, "class", storage);
    if (!list) return false;
    for (const auto& cls : c.classes)
      if (!HasToken(*list, cls)) return false;
  }
  return true;
}

xmlNode* ParentElement(xmlNode* n) {
  xmlNode* p = n->parent;
  return p && p->type == XML_ELEMENT_NODE ? p : nullptr;
}

// Matches compounds [0, k] with compound k on `element`. Failures are remembered so that a
// descendant combinator backtracking over ancestors stays linear in the tree depth.
bool MatchFrom(const Selector& s, std::size_t k, xmlNode* element,
               std::vector<std::pair<xmlNode*, std::size_t>>& failed) {
  if (!MatchesCompound(s.compounds[k], element)) return false;
  if (k == 0) return true;
  if (s.combinators[k - 1] == '>') {
    xmlNode* parent = ParentElement(element);
    return parent && MatchFrom(s, k - 1, parent, failed);
  }
  for (xmlNode* a = ParentElement(element); a; a = ParentElement(a)) {
    if (std::find(failed.begin(), failed.end(), std::pair{a, k - 1}) != failed.end()) continue;
    if (MatchFrom(s, k - 1, a, failed)) return true;
    failed.emplace_back(a, k - 1);
  }
  return false;
}

}  // namespace

std::optional<Selector> ParseSelector(std::string_view text, std::string& reason) {
  Selector sel;
  std::string_view s = base::Trim(text);
  if (s.empty()) {
    reason = "empty selector";
    return std::nullopt;
  }
  std::size_t i = 0;
  while (true) {
    CompoundSelector c;
    bool any = false;
    if (i < s.size() && (IsNameChar(s[i]) || s[i] == '\\')) {
      c.tag = base::AsciiLower(ReadName(s, i));
      ++sel.specificity.types;
      any = true;
    }
    while (i < s.size() && (s[i] == '.' || s[i] == '#')) {
      char kind = s[i++];
      std::string name = ReadName(s, i);
      if (name.empty()) {
        reason = kind == '.' ? "empty class name" : "empty id";
        return std::nullopt;
      }
      if (kind == '#') {
        if (!c.id.empty() && c.id != name) {
          reason = "two ids";
          return std::nullopt;
        }
        c.id = name;
        ++sel.specificity.ids;
      } else {
        c.classes.push_back(name);
        ++sel.specificity.classes;
      }
      any = true;
    }
    if (i < s.size() && !IsSpace(s[i]) && s[i] != '>') {
      reason = Unsupported(s, i);
      return std::nullopt;
    }
    if (!any) {
      reason = i < s.size() ? "combinator without a selector" : "empty selector";
      return std::nullopt;
    }
    sel.compounds.push_back(std::move(c));
    // Only whitespace or `>` can follow a compound here (checked above).
    char combinator = ' ';
    while (i < s.size() && (IsSpace(s[i]) || s[i] == '>')) {
      if (s[i] == '>') {
        if (combinator == '>') {
          reason = "two combinators";
          return std::nullopt;
        }
        combinator = '>';
      }
      ++i;
    }
    if (i == s.size()) {
      if (combinator == '>') {
        reason = "combinator without a selector";
        return std::nullopt;
      }
      return sel;
    }
    sel.combinators.push_back(combinator);
  }
}

bool Matches(const Selector& selector, xmlNode* element) {
  std::vector<std::pair<xmlNode*, std::size_t>> failed;
  return MatchFrom(selector, selector.compounds.size() - 1, element, failed);
}

std::vector<std::string> ClassTokens(xmlNode* element) {
  std::vector<std::string> out;
  std::string storage;
  auto list = AttributeView(element, "class", storage);
  if (!list) return out;
  std::string_view l = *list;
  std::size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && IsSpace(l[i])) ++i;
    std::size_t start = i;
    while (i < l.size() && !IsSpace(l[i])) ++i;
    std::string token(l.substr(start, i - start));
    if (!token.empty() && std::find(out.begin(), out.end(), token) == out.end())
      out.push_back(std::move(token));
  }
  return out;
}

std::optional<std::string> AttributeValue(xmlNode* element, const char* name) {
  std::string storage;
  auto v = AttributeView(element, name, storage);
  if (!v) return std::nullopt;
  return std::string(*v);
}

}  // namespace b2bmail::render
