#pragma once
// Splits segment text into tokens with line:column positions. `#` starts a comment
// that runs to the end of the line.

#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "token.h"

namespace b2bmail::segment {

// Returns the tokens, ending with kEnd; lexical errors go to `diagnostics`
// (the offending characters are skipped so parsing can go on).
std::vector<Token> Tokenize(std::string_view text, const std::string& file_name,
                            base::Diagnostics& diagnostics);

}  // namespace b2bmail::segment
