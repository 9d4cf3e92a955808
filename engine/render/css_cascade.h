#pragma once
// The cascade for one element: which stylesheet declarations and which of its own style
// attribute's declarations win, written back as one style attribute value.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "css_parser.h"
#include "css_selector.h"

namespace b2bmail::render {

// A stylesheet declaration that applies to the element through a matching selector.
struct MatchedDeclaration {
  const CssDeclaration* declaration;
  Specificity specificity;
  std::size_t order;  // position of the declaration among all stylesheet declarations
};

// The new style attribute value: one declaration per property (the winner), without
// `!important`; properties of the existing style attribute first, in their order, then the
// others in stylesheet order. Where a shorthand and its longhand both remain, the one that
// won the cascade is written last so the client reaches the same result.
std::string CascadeStyle(const std::optional<std::string>& inline_style,
                         const std::vector<MatchedDeclaration>& matched);

}  // namespace b2bmail::render
