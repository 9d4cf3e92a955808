#include "lint_css.h"

#include <cstdio>

#include "b2bmail/base/strings.h"

namespace b2bmail::render::lint {
namespace {

// Nested @media/@supports deeper than this are skipped: hostile sheets must not
// exhaust the stack, and real emails nest at most twice.
constexpr int kMaxDepth = 8;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Blanks comments (and legacy "<!--"/"-->" sheet hiding) without moving offsets.
std::string BlankComments(std::string_view css) {
  std::string out(css);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '/' && out[i + 1] == '*') {
      std::size_t end = out.find("*/", i + 2);
      end = end == std::string::npos ? out.size() : end + 2;
      for (std::size_t k = i; k < end; ++k)
        if (out[k] != '\n') out[k] = ' ';
      i = end - 1;
    } else if (out.compare(i, 4, "<!--") == 0) {
      out.replace(i, 4, "    ");
    } else if (out.compare(i, 3, "-->") == 0) {
      out.replace(i, 3, "   ");
    }
  }
  return out;
}

// Offset of the '}' matching the '{' at `open` (or the text's end), skipping strings.
std::size_t MatchingBrace(std::string_view css, std::size_t open) {
  int depth = 0;
  char quote = 0;
  for (std::size_t i = open; i < css.size(); ++i) {
    char c = css[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i;
    }
  }
  return css.size();
}

void ParseBlocks(std::string_view css, std::size_t from, std::size_t to, std::size_t base,
                 bool in_media, int depth, StyleSheet& sheet) {
  std::size_t p = from;
  while (p < to) {
    while (p < to && (IsSpace(css[p]) || css[p] == ';' || css[p] == '}')) ++p;
    if (p >= to) return;
    std::size_t brace = css.find('{', p);
    if (css[p] == '@') {
      std::size_t name_end = p + 1;
      while (name_end < to && IsIdentChar(css[name_end])) ++name_end;
      std::size_t semi = css.find(';', p);
      if (brace == std::string_view::npos || brace >= to || (semi < brace)) {  // @import ...;
        if (semi == std::string_view::npos || semi >= to) return;
        p = semi + 1;
        continue;
      }
      std::size_t close = std::min(MatchingBrace(css, brace), to);
      AtBlock block;
      block.name = base::AsciiLower(css.substr(p + 1, name_end - p - 1));
      block.prelude = std::string(base::Trim(css.substr(name_end, brace - name_end)));
      block.offset = base + p;
      if (block.name == "font-face")
        block.declarations =
            ParseDeclarations(css.substr(brace + 1, close - brace - 1), base + brace + 1);
      bool nested = block.name == "media" || block.name == "supports";
      bool media = in_media || block.name == "media";
      sheet.at_blocks.push_back(std::move(block));
      if (nested && depth < kMaxDepth)
        ParseBlocks(css, brace + 1, close, base, media, depth + 1, sheet);
      p = close + 1;
      continue;
    }
    if (brace == std::string_view::npos || brace >= to) return;
    std::size_t close = std::min(MatchingBrace(css, brace), to);
    StyleRule rule;
    std::string_view selectors = css.substr(p, brace - p);
    std::string_view trimmed = base::Trim(selectors);
    rule.selectors = std::string(trimmed);
    rule.offset = base + p + (trimmed.empty() ? 0 : trimmed.data() - selectors.data());
    rule.declarations =
        ParseDeclarations(css.substr(brace + 1, close - brace - 1), base + brace + 1);
    rule.in_media = in_media;
    sheet.rules.push_back(std::move(rule));
    p = close + 1;
  }
}

}  // namespace

Declarations ParseDeclarations(std::string_view css, std::size_t base) {
  Declarations out;
  std::size_t p = 0;
  while (p < css.size()) {
    // One declaration runs to the next ';' outside quotes and parentheses.
    std::size_t end = p;
    int parens = 0;
    char quote = 0;
    for (; end < css.size(); ++end) {
      char c = css[end];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++parens;
      } else if (c == ')' && parens > 0) {
        --parens;
      } else if (c == ';' && parens == 0) {
        break;
      }
    }
    std::string_view item = css.substr(p, end - p);
    std::size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      std::string_view raw_name = item.substr(0, colon);
      std::string_view name = base::Trim(raw_name);
      if (!name.empty()) {
        Declaration d;
        d.property = base::AsciiLower(name);
        d.offset = base + p + (name.data() - raw_name.data());
        std::string_view value = base::Trim(item.substr(colon + 1));
        std::string lower = base::AsciiLower(value);
        std::size_t bang = lower.rfind("!important");
        if (bang != std::string::npos) {
          d.important = true;
          d.important_spaced =
              bang > 0 && value.compare(bang, 10, "!important") == 0 && IsSpace(value[bang - 1]);
          value = base::Trim(value.substr(0, bang));
        }
        d.value = std::string(value);
        d.lower = base::AsciiLower(value);
        out.push_back(std::move(d));
      }
    }
    p = end + 1;
  }
  return out;
}

const Declaration* FindDeclaration(const Declarations& decls, std::string_view property) {
  const Declaration* found = nullptr;
  for (const auto& d : decls)
    if (d.property == property) found = &d;
  return found;
}

StyleSheet ParseStyleSheet(std::string_view css, std::size_t base) {
  StyleSheet sheet;
  std::string blanked = BlankComments(css);
  ParseBlocks(blanked, 0, blanked.size(), base, false, 0, sheet);
  return sheet;
}

std::vector<std::string_view> ValueTokens(std::string_view value) {
  std::vector<std::string_view> out;
  std::size_t p = 0;
  while (p < value.size()) {
    while (p < value.size() && (IsSpace(value[p]) || value[p] == ',')) ++p;
    if (p >= value.size()) break;
    std::size_t start = p;
    int parens = 0;
    while (p < value.size() && (parens > 0 || !(IsSpace(value[p]) || value[p] == ','))) {
      if (value[p] == '(') ++parens;
      if (value[p] == ')' && parens > 0) --parens;
      ++p;
    }
    out.push_back(value.substr(start, p - start));
  }
  return out;
}

std::optional<double> PxValue(std::string_view token) {
  std::size_t digits = 0;
  while (digits < token.size() &&
         ((token[digits] >= '0' && token[digits] <= '9') || token[digits] == '.' ||
          (digits == 0 && (token[digits] == '-' || token[digits] == '+'))))
    ++digits;
  if (digits == 0) return std::nullopt;
  std::string_view unit = token.substr(digits);
  if (!unit.empty() && !base::EqualsIgnoreCase(unit, "px")) return std::nullopt;
  std::string number(token.substr(token[0] == '+' ? 1 : 0, digits - (token[0] == '+' ? 1 : 0)));
  double v = 0;
  if (std::sscanf(number.c_str(), "%lf", &v) != 1) return std::nullopt;
  return v;
}

bool IsZeroLength(std::string_view value) {
  auto tokens = ValueTokens(value);
  if (tokens.empty()) return false;
  for (auto t : tokens) {
    std::size_t i = 0;
    while (i < t.size() && (t[i] == '0' || t[i] == '.' || t[i] == '-' || t[i] == '+')) ++i;
    if (i == 0) return false;
    for (std::size_t k = i; k < t.size(); ++k)
      if (!(t[k] >= 'a' && t[k] <= 'z') && t[k] != '%') return false;
  }
  return true;
}

std::optional<std::string> NormalizeColor(std::string_view value) {
  std::string v = base::AsciiLower(base::Trim(value));
  static constexpr std::pair<const char*, const char*> kNamed[] = {
      {"white", "#ffffff"}, {"black", "#000000"},          {"red", "#ff0000"},
      {"blue", "#0000ff"},  {"green", "#008000"},          {"gray", "#808080"},
      {"grey", "#808080"},  {"silver", "#c0c0c0"},         {"yellow", "#ffff00"},
      {"navy", "#000080"},  {"transparent", "transparent"}};
  for (const auto& [name, hex] : kNamed)
    if (v == name) return std::string(hex);
  auto is_hex = [](std::string_view s) {
    for (char c : s)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
  };
  if (v.size() == 4 && v[0] == '#' && is_hex(v.substr(1)))
    return std::string{'#', v[1], v[1], v[2], v[2], v[3], v[3]};
  if (v.size() == 7 && v[0] == '#' && is_hex(v.substr(1))) return v;
  int r = 0, g = 0, b = 0;
  char close = 0;
  if (std::sscanf(v.c_str(), "rgb(%d ,%d ,%d %c", &r, &g, &b, &close) == 4 && close == ')' &&
      r >= 0 && r < 256 && g >= 0 && g < 256 && b >= 0 && b < 256) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x", r, g, b);
    return std::string(hex);
  }
  return std::nullopt;
}

bool HasUnit(std::string_view lower, std::string_view unit) {
  for (std::size_t p = lower.find(unit); p != std::string_view::npos; p = lower.find(unit, p + 1)) {
    bool after_digit =
        p > 0 && ((lower[p - 1] >= '0' && lower[p - 1] <= '9') || lower[p - 1] == '.');
    bool ends = p + unit.size() >= lower.size() || !IsIdentChar(lower[p + unit.size()]);
    if (after_digit && ends) return true;
  }
  return false;
}

bool HasFunction(std::string_view lower, std::string_view name) {
  for (std::size_t p = lower.find(name); p != std::string_view::npos; p = lower.find(name, p + 1)) {
    bool starts = p == 0 || !IsIdentChar(lower[p - 1]);
    std::size_t after = p + name.size();
    while (after < lower.size() && IsSpace(lower[after])) ++after;
    if (starts && after < lower.size() && lower[after] == '(') return true;
  }
  return false;
}

}  // namespace b2bmail::render::lint
