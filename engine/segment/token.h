#pragma once

#include <cstddef>
#include <string>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::segment {

enum class TokenKind {
  kWord,    // identifiers, keywords, dotted field names: contact.role, account.attr.x
  kString,  // "text" with \" and \\ unescaped
  kInteger,
  kDecimal,
  kDate,      // 2026-01-31
  kDuration,  // 90d, 12w, 48h
  kPunct,     // ( ) , = != < <= > >= %
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // the value (unescaped for strings)
  base::SourcePosition position;
  std::size_t begin = 0, end = 0;  // byte offsets of the token in the source text
};

// How a token is named in a message: 'word', text "x", the end of the file.
inline std::string Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd:
      return "the end of the file";
    case TokenKind::kString:
      return "text \"" + t.text + "\"";
    default:
      return "'" + t.text + "'";
  }
}

}  // namespace b2bmail::segment
