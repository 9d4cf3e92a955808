#pragma once

#include <string>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::segment {

enum class TokenKind {
  kWord,    // identifiers, keywords, dotted field names: contact.role, account.attr.x
  kString,  // "text" with \" and \\ unescaped
  kInteger,
  kDecimal,
  kDate,   // 2026-01-31
  kPunct,  // ( ) , = != < <= > >= %
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // the value (unescaped for strings)
  base::SourcePosition position;
};

}  // namespace b2bmail::segment
