#include "css_parser.h"

#include "b2bmail/base/strings.h"

namespace b2bmail::render {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool StartsAt(std::string_view s, std::size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

// End of the Mustache tag starting at `i` (`{{` or `{{{`); the end of `s` when unclosed,
// since the Mustache compiler reports that itself.
std::size_t MustacheTagEnd(std::string_view s, std::size_t i) {
  std::string_view close = StartsAt(s, i, "{{{") ? "}}}" : "}}";
  std::size_t end = s.find(close, i + close.size());
  return end == npos ? s.size() : end + close.size();
}

// `#`, `^`, `/`, `!`, `>`, `&`, `=`, `{` (triple) or 0 for a plain variable.
char MustacheSigil(std::string_view s, std::size_t i) {
  if (StartsAt(s, i, "{{{")) return '{';
  std::size_t j = i + 2;
  while (j < s.size() && IsSpace(s[j])) ++j;
  if (j < s.size() && std::string_view("#^/!>&=").find(s[j]) != npos) return s[j];
  return 0;
}

std::string_view MustacheName(std::string_view s, std::size_t i, std::size_t end) {
  std::string_view inner = s.substr(i + 2, end - i - 4);
  inner = base::Trim(inner);
  if (!inner.empty() && std::string_view("#^/").find(inner[0]) != npos) inner.remove_prefix(1);
  return base::Trim(inner);
}

// When `i` starts a comment, a string or a Mustache tag, the index after it; else `i`.
// Scanners skip these so that their braces, quotes and semicolons mean nothing.
std::size_t SkipOpaque(std::string_view s, std::size_t i) {
  if (StartsAt(s, i, "{{")) return MustacheTagEnd(s, i);
  if (StartsAt(s, i, "/*")) {
    std::size_t end = s.find("*/", i + 2);
    return end == npos ? s.size() : end + 2;
  }
  if (s[i] == '"' || s[i] == '\'') {
    // An unclosed CSS string ends at the line end.
    for (std::size_t j = i + 1; j < s.size(); ++j) {
      if (s[j] == '\\') {
        ++j;
      } else if (s[j] == s[i]) {
        return j + 1;
      } else if (s[j] == '\n') {
        return j;
      }
    }
    return s.size();
  }
  return i;
}

// Index of the `}` closing the block opened at `open`, or npos.
std::size_t BlockEnd(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < s.size();) {
    std::size_t j = SkipOpaque(s, i);
    if (j != i) {
      i = j;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
    ++i;
  }
  return npos;
}

// End of the Mustache section opened by the tag at `i` (after its closing tag).
std::size_t SectionEnd(std::string_view s, std::size_t i) {
  std::size_t open_end = MustacheTagEnd(s, i);
  std::string_view name = MustacheName(s, i, open_end);
  int depth = 1;
  for (std::size_t j = open_end; (j = s.find("{{", j)) != npos;) {
    std::size_t end = MustacheTagEnd(s, j);
    char sigil = MustacheSigil(s, j);
    if ((sigil == '#' || sigil == '^') && MustacheName(s, j, end) == name) ++depth;
    if (sigil == '/' && MustacheName(s, j, end) == name && --depth == 0) return end;
    j = end;
  }
  return s.size();
}

// Copies `s` without comments, collapsing whitespace runs outside strings and Mustache
// tags to one space; the result is trimmed.
std::string Clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    if (StartsAt(s, i, "/*")) {
      i = SkipOpaque(s, i);
      space = true;
      continue;
    }
    std::size_t j = SkipOpaque(s, i);
    if (j == i && IsSpace(s[i])) {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (j == i) j = i + 1;
    out.append(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Snippet(std::string_view s) {
  std::string out = Clean(s.substr(0, 60));
  return s.size() > 60 ? out + "..." : out;
}

// True when the Mustache sections opened in `s` are all closed in `s` too.
bool SectionsBalanced(std::string_view s) {
  int depth = 0;
  for (std::size_t j = 0; (j = s.find("{{", j)) != npos;) {
    char sigil = MustacheSigil(s, j);
    if (sigil == '#' || sigil == '^') ++depth;
    if (sigil == '/' && --depth < 0) return false;
    j = MustacheTagEnd(s, j);
  }
  return depth == 0;
}

// True when `s` holds only Mustache tags and whitespace.
bool OnlyMustache(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (StartsAt(s, i, "{{")) {
      i = MustacheTagEnd(s, i);
    } else if (IsSpace(s[i])) {
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

bool ValidProperty(std::string_view p) {
  if (p.empty()) return false;
  for (char c : p) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return false;
  }
  return true;
}

// Splits `value` into the value proper and its `!important` flag (`! important` too).
bool StripImportant(std::string& value) {
  std::string_view v = base::Trim(value);
  constexpr std::string_view kImportant = "important";
  if (v.size() < kImportant.size() + 1 ||
      !base::EqualsIgnoreCase(v.substr(v.size() - kImportant.size()), kImportant))
    return false;
  std::string_view rest = base::Trim(v.substr(0, v.size() - kImportant.size()));
  if (rest.empty() || rest.back() != '!') return false;
  value = std::string(base::Trim(rest.substr(0, rest.size() - 1)));
  return true;
}

void ReadDeclaration(std::string_view chunk, CssDeclarations& out) {
  std::string text = Clean(chunk);
  if (text.empty()) return;
  if (!SectionsBalanced(chunk) || OnlyMustache(text)) {
    out.opaque = true;
    return;
  }
  std::size_t colon = npos;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = SkipOpaque(text, i);
    if (j != i) {
      i = j;
      continue;
    }
    if (text[i] == '{') {
      out.problems.push_back("nested block in declarations: " + Snippet(text));
      return;
    }
    if (text[i] == ':' && colon == npos) colon = i;
    ++i;
  }
  if (colon == npos) {
    out.problems.push_back("declaration without a colon: " + Snippet(text));
    return;
  }
  std::string_view property = base::Trim(std::string_view(text).substr(0, colon));
  if (property.find("{{") != npos) {
    out.opaque = true;  // the template chooses the property: cannot be merged
    return;
  }
  if (!ValidProperty(property)) {
    out.problems.push_back("invalid property name: " + Snippet(text));
    return;
  }
  CssDeclaration d;
  d.property = property.substr(0, 2) == "--" ? std::string(property) : base::AsciiLower(property);
  d.value = std::string(base::Trim(std::string_view(text).substr(colon + 1)));
  d.important = StripImportant(d.value);
  if (d.value.empty()) {
    out.problems.push_back("declaration without a value: " + Snippet(text));
    return;
  }
  out.declarations.push_back(std::move(d));
}

}  // namespace

CssDeclarations ParseDeclarations(std::string_view block) {
  CssDeclarations out;
  int depth = 0;  // (), [] and {} nesting: `url(a;b)` does not end a declaration
  std::size_t start = 0;
  for (std::size_t i = 0; i < block.size();) {
    std::size_t j = SkipOpaque(block, i);
    if (j != i) {
      i = j;
      continue;
    }
    char c = block[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (c == ';' && depth == 0) {
      ReadDeclaration(block.substr(start, i - start), out);
      start = i + 1;
    }
    ++i;
  }
  ReadDeclaration(block.substr(start), out);
  return out;
}

std::vector<std::string> SplitSelectorList(std::string_view prelude) {
  std::vector<std::string> out;
  int depth = 0;  // `:is(a, b)` is one selector
  std::size_t start = 0;
  for (std::size_t i = 0; i <= prelude.size();) {
    std::size_t j = i < prelude.size() ? SkipOpaque(prelude, i) : i;
    if (j != i) {
      i = j;
      continue;
    }
    char c = i < prelude.size() ? prelude[i] : ',';
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (c == ',' && (depth == 0 || i == prelude.size())) {
      out.push_back(std::string(base::Trim(prelude.substr(start, i - start))));
      start = i + 1;
    }
    ++i;
  }
  return out;
}

CssStylesheet ParseStylesheet(std::string_view css) {
  CssStylesheet out;
  auto verbatim = [&out](std::string_view text) {
    CssItem item;
    item.kind = CssItem::Kind::kVerbatim;
    item.text = std::string(text);
    out.items.push_back(std::move(item));
  };
  std::size_t i = 0;
  while (i < css.size()) {
    if (IsSpace(css[i])) {
      ++i;
    } else if (StartsAt(css, i, "<!--") || StartsAt(css, i, "-->")) {
      i += css[i] == '<' ? 4 : 3;  // legacy HTML comment markers around CSS
    } else if (StartsAt(css, i, "/*")) {
      if (css.find("*/", i + 2) == npos) out.problems.push_back("unclosed comment");
      i = SkipOpaque(css, i);
    } else if (StartsAt(css, i, "{{")) {
      // A section makes its CSS conditional, so it cannot be inlined: keep it whole.
      char sigil = MustacheSigil(css, i);
      std::size_t end = sigil == '#' || sigil == '^' ? SectionEnd(css, i) : MustacheTagEnd(css, i);
      verbatim(css.substr(i, end - i));
      i = end;
    } else if (css[i] == '}') {
      out.problems.push_back("unexpected '}'");
      ++i;
    } else {
      // A rule or an at-rule: its prelude runs to `{` (or `;` for `@import ...;`).
      std::size_t j = i;
      while (j < css.size()) {
        std::size_t k = SkipOpaque(css, j);
        if (k == j && (css[j] == '{' || css[j] == ';' || css[j] == '}')) break;
        j = k != j ? k : j + 1;
      }
      bool at_rule = css[i] == '@';
      if (j == css.size()) {
        out.problems.push_back("text without a block at the end: " + Snippet(css.substr(i)));
        if (at_rule) verbatim(css.substr(i));
        break;
      }
      if (css[j] != '{') {
        if (at_rule && css[j] == ';') {
          verbatim(css.substr(i, j + 1 - i));
        } else {
          out.problems.push_back("unexpected '" + std::string(1, css[j]) +
                                 "' after: " + Snippet(css.substr(i, j - i)));
        }
        i = j + 1;
        continue;
      }
      std::size_t close = BlockEnd(css, j);
      if (close == npos) {
        out.problems.push_back("unclosed block: " + Snippet(css.substr(i)));
        close = css.size();
      }
      std::size_t end = close == css.size() ? close : close + 1;
      if (at_rule) {
        verbatim(css.substr(i, end - i));
      } else {
        CssItem item;
        item.prelude = Clean(css.substr(i, j - i));
        item.block = std::string(css.substr(j + 1, close - j - 1));
        out.items.push_back(std::move(item));
      }
      i = end;
    }
  }
  return out;
}

}  // namespace b2bmail::render
