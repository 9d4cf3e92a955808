#pragma once
// Recursive-descent parser and checker for segment files (docs/segments.md).

#include <string>
#include <vector>

#include "b2bmail/segment/segment.h"
#include "token.h"

namespace b2bmail::segment {

// Nesting deeper than this is refused with a diagnostic instead of risking the stack.
inline constexpr int kMaxNesting = 200;

ParseResult ParseTokens(const std::vector<Token>& tokens, const std::string& id,
                        const std::string& file_name);

}  // namespace b2bmail::segment
