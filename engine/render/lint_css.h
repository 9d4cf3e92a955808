#pragma once
// Just enough CSS for the linter: declarations of a style attribute or rule block, and
// the rules, @media blocks and @font-face blocks of a <style> sheet, each with its offset
// so findings can point into the template. Tolerant: junk is skipped, never rejected.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::render::lint {

struct Declaration {
  std::string property;    // lowercase
  std::string value;       // trimmed, without "!important"
  std::string lower;       // value in ASCII lowercase
  std::size_t offset = 0;  // of the property name in the parsed text (plus the caller's base)
  bool important = false;
  bool important_spaced = true;  // written exactly " !important" (Outlook needs the space)
};

using Declarations = std::vector<Declaration>;

Declarations ParseDeclarations(std::string_view css, std::size_t base = 0);
// The last declaration of `property` (the one that wins), or null.
const Declaration* FindDeclaration(const Declarations& decls, std::string_view property);

struct StyleRule {
  std::string selectors;
  std::size_t offset = 0;  // of the selector list
  Declarations declarations;
  bool in_media = false;
};

struct AtBlock {
  std::string name;     // "media", "font-face", ... lowercase
  std::string prelude;  // the media query
  std::size_t offset = 0;
  Declarations declarations;  // @font-face only
};

struct StyleSheet {
  std::vector<StyleRule> rules;
  std::vector<AtBlock> at_blocks;
};

StyleSheet ParseStyleSheet(std::string_view css, std::size_t base = 0);

// Value helpers. Tokens split on whitespace outside parentheses.
std::vector<std::string_view> ValueTokens(std::string_view value);
// A length in px (or unitless) as a number; nullopt for other units or keywords.
std::optional<double> PxValue(std::string_view token);
// Every token is a zero length ("0", "0px", "0em"...).
bool IsZeroLength(std::string_view value);
// A colour as "#rrggbb" ("transparent" for it); nullopt when not a plain colour.
std::optional<std::string> NormalizeColor(std::string_view value);
// `value` (lowercase) contains a number with this unit, e.g. "1.5rem".
bool HasUnit(std::string_view lower, std::string_view unit);
// `value` (lowercase) calls this CSS function, e.g. "calc" for "calc(100% - 2px)".
bool HasFunction(std::string_view lower, std::string_view name);

}  // namespace b2bmail::render::lint
