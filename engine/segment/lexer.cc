#include "lexer.h"

#include <cctype>

namespace b2bmail::segment {
namespace {

bool IsWordStart(unsigned char c) { return std::isalpha(c) || c == '_'; }
bool IsWordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '.' || c == '-'; }

class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file, base::Diagnostics& diags)
      : text_(text), file_(file), diags_(diags) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= text_.size()) break;
      base::SourcePosition at{line_, column_};
      std::size_t begin = pos_;
      std::size_t count = out.size();
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out.push_back(String(at));
      } else if (std::isdigit(c) || (c == '-' && pos_ + 1 < text_.size() &&
                                     std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
        out.push_back(Number(at));
      } else if (IsWordStart(c)) {
        std::size_t start = pos_;
        while (pos_ < text_.size() && IsWordChar(static_cast<unsigned char>(text_[pos_])))
          Advance();
        out.push_back({TokenKind::kWord, std::string(text_.substr(start, pos_ - start)), at});
      } else if (c == '!' || c == '<' || c == '>') {
        std::string op(1, static_cast<char>(c));
        Advance();
        if (pos_ < text_.size() && text_[pos_] == '=') {
          op += '=';
          Advance();
        }
        if (op == "!") {
          diags_.Error(file_, at, "syntax", "'!' must be followed by '=' (write != or 'not')");
          continue;
        }
        out.push_back({TokenKind::kPunct, op, at});
      } else if (c == '(' || c == ')' || c == ',' || c == '=' || c == '%') {
        Advance();
        out.push_back({TokenKind::kPunct, std::string(1, static_cast<char>(c)), at});
      } else {
        std::size_t start = pos_;
        Advance();
        while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80)
          Advance();
        diags_.Error(
            file_, at, "syntax",
            "unexpected character '" + std::string(text_.substr(start, pos_ - start)) + "'");
      }
      if (out.size() > count) {
        out.back().begin = begin;
        out.back().end = pos_;
      }
    }
    out.push_back({TokenKind::kEnd, "", {line_, column_}, pos_, pos_});
    return out;
  }

 private:
  void Advance() {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    ++pos_;
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;  // count code points, not bytes
    }
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance();
      } else if (pos_ == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") {
        pos_ = 3;  // a BOM at the start of the file
      } else {
        return;
      }
    }
  }

  Token String(base::SourcePosition at) {
    Advance();  // opening quote
    std::string value;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        Advance();
        return {TokenKind::kString, value, at};
      }
      if (c == '\n') break;
      if (c == '\0') {
        diags_.Error(file_, {line_, column_}, "syntax", "text may not contain a NUL character");
        Advance();
        continue;
      }
      if (c == '\\') {
        base::SourcePosition esc{line_, column_};
        Advance();
        if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\\')) {
          value += text_[pos_];
          Advance();
        } else {
          diags_.Error(file_, esc, "syntax",
                       "unknown escape in text; only \\\" and \\\\ are allowed");
        }
        continue;
      }
      value += c;
      Advance();
    }
    diags_.Error(file_, at, "syntax",
                 "text is not closed: a '\"' is missing before the end of the line");
    return {TokenKind::kString, value, at};
  }

  Token Number(base::SourcePosition at) {
    std::size_t start = pos_;
    if (text_[pos_] == '-') Advance();
    auto digits = [&] {
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
        Advance();
    };
    digits();
    // A date: 2026-01-31
    if (pos_ - start == 4 && text_[start] != '-' && pos_ < text_.size() && text_[pos_] == '-') {
      std::size_t save = pos_;
      int save_col = column_;
      Advance();
      digits();
      if (pos_ < text_.size() && text_[pos_] == '-') {
        Advance();
        digits();
        if (pos_ - start == 10)
          return {TokenKind::kDate, std::string(text_.substr(start, pos_ - start)), at};
      }
      pos_ = save;
      column_ = save_col;
    }
    TokenKind kind = TokenKind::kInteger;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' &&
        std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      Advance();
      digits();
      kind = TokenKind::kDecimal;
    }
    if (pos_ < text_.size() && IsWordStart(static_cast<unsigned char>(text_[pos_]))) {
      // A number with a unit: only the durations 90d, 12w, 48h exist.
      std::size_t unit = pos_;
      while (pos_ < text_.size() && IsWordChar(static_cast<unsigned char>(text_[pos_]))) Advance();
      std::string_view suffix = text_.substr(unit, pos_ - unit);
      std::string whole(text_.substr(start, pos_ - start));
      if (kind == TokenKind::kInteger && text_[start] != '-' && suffix.size() == 1 &&
          std::string_view("hdwHDW").find(suffix[0]) != std::string_view::npos)
        return {TokenKind::kDuration, whole, at};
      diags_.Error(file_, at, "syntax",
                   "'" + whole +
                       "' is not a value: a duration is a whole number followed by h, d or w "
                       "(90d); other values need a space or quotes");
      return {TokenKind::kDuration, "", at};
    }
    return {kind, std::string(text_.substr(start, pos_ - start)), at};
  }

  std::string_view text_;
  const std::string& file_;
  base::Diagnostics& diags_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text, const std::string& file_name,
                            base::Diagnostics& diagnostics) {
  return Lexer(text, file_name, diagnostics).Run();
}

}  // namespace b2bmail::segment
