#pragma once
// The selectors the inliner can apply once, before sending: type, class, id, compounds of
// them, and the descendant and child combinators. Anything that depends on state, position
// among siblings or attributes (`:hover`, `+`, `[href]`, `*`) is left to the client.

#include <libxml/tree.h>

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::render {

struct Specificity {
  int ids = 0;
  int classes = 0;
  int types = 0;
  auto operator<=>(const Specificity&) const = default;
};

struct CompoundSelector {
  std::string tag;  // lowercased; empty: any element
  std::string id;   // empty: none
  std::vector<std::string> classes;
};

struct Selector {
  std::vector<CompoundSelector> compounds;  // left to right
  std::vector<char> combinators;            // combinators[k] joins compounds k and k+1: ' ' or '>'
  Specificity specificity;
};

// Parses one selector of a list. When the inliner cannot apply it, returns nullopt and
// says why in `reason` (e.g. "pseudo-class").
std::optional<Selector> ParseSelector(std::string_view text, std::string& reason);

// True when `element` matches `selector`. Class and id comparisons are case-sensitive,
// tag names are not.
bool Matches(const Selector& selector, xmlNode* element);

// The whitespace-separated tokens of `element`'s class attribute, without duplicates.
std::vector<std::string> ClassTokens(xmlNode* element);

// The value of attribute `name`, or nullopt when absent.
std::optional<std::string> AttributeValue(xmlNode* element, const char* name);

}  // namespace b2bmail::render
