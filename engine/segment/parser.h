#pragma once
// Recursive-descent parser and checker for segment files (docs/segments.md).

#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/segment/segment.h"
#include "token.h"

namespace b2bmail::segment {

// Nesting deeper than this is refused with a diagnostic instead of risking the stack.
inline constexpr int kMaxNesting = 200;

// `source` is the text the tokens came from (for clause texts in `explain`).
ParseResult ParseTokens(const std::vector<Token>& tokens, std::string_view source,
                        const std::string& id, const std::string& file_name);

// A segment id: the file name without .seg (letters, digits, '_', '-', '.').
bool IsValidSegmentId(std::string_view id);

}  // namespace b2bmail::segment
