// Recursive descent over RFC 8259 (json_lite.h), one character of look-ahead.
#include "json_lite.h"

#include <cctype>

namespace b2bmail::bounce {
namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool Value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return false;
    SkipBlanks();
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '{') return Object(out, depth);
    if (c == '[') return Array(out, depth);
    if (c == '"') {
      out.type = JsonValue::Type::kString;
      return String(out.text);
    }
    return Literal(out);
  }

 private:
  void SkipBlanks() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  bool Eat(char c) {
    SkipBlanks();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Object(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kObject;
    ++pos_;
    if (Eat('}')) return true;
    do {
      SkipBlanks();
      std::string key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !String(key) || !Eat(':')) return false;
      JsonValue value;
      if (!Value(value, depth + 1)) return false;
      out.members.emplace_back(std::move(key), std::move(value));
    } while (Eat(','));
    return Eat('}');
  }

  bool Array(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kArray;
    ++pos_;
    if (Eat(']')) return true;
    do {
      JsonValue value;
      if (!Value(value, depth + 1)) return false;
      out.items.push_back(std::move(value));
    } while (Eat(','));
    return Eat(']');
  }

  bool Literal(JsonValue& out) {
    std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == '.'))
      ++pos_;
    std::string_view word = s_.substr(start, pos_ - start);
    if (word.empty()) return false;
    if (word == "true" || word == "false") {
      out.type = JsonValue::Type::kBool;
    } else if (word == "null") {
      out.type = JsonValue::Type::kNull;
    } else if (std::isdigit(static_cast<unsigned char>(word.back()))) {
      out.type = JsonValue::Type::kNumber;
    } else {
      return false;
    }
    out.text = std::string(word);
    return true;
  }

  static void AppendUtf8(std::string& out, unsigned long c) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }

  bool Hex4(unsigned long& out) {
    if (pos_ + 4 > s_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
      if (digit < 0) return false;
      out = out * 16 + static_cast<unsigned long>(digit);
    }
    return true;
  }

  bool String(std::string& out) {
    ++pos_;  // the opening quote
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;  // raw control characters kept: mail folds long lines inside strings
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          unsigned long c1 = 0;
          if (!Hex4(c1)) return false;
          if (c1 >= 0xD800 && c1 <= 0xDBFF && pos_ + 1 < s_.size() && s_[pos_] == '\\' &&
              s_[pos_ + 1] == 'u') {
            pos_ += 2;
            unsigned long c2 = 0;
            if (!Hex4(c2)) return false;
            if (c2 >= 0xDC00 && c2 <= 0xDFFF) c1 = 0x10000 + ((c1 - 0xD800) << 10) + (c2 - 0xDC00);
          }
          AppendUtf8(out, c1);
          break;
        }
        default:  // \" \\ \/ and anything else as itself
          out += e;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::Get(std::string_view key) const {
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

std::string_view JsonValue::StringAt(std::string_view key) const {
  const JsonValue* v = Get(key);
  return v && v->type == Type::kString ? std::string_view(v->text) : std::string_view();
}

std::optional<JsonValue> ParseJson(std::string_view text) {
  JsonValue value;
  Reader reader(text);
  if (!reader.Value(value, 0)) return std::nullopt;
  return value;
}

}  // namespace b2bmail::bounce
