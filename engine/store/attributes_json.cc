#include "attributes_json.h"

#include <cstdint>

#include "b2bmail/base/strings.h"

namespace b2bmail::store {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    Space();
    return i_ == s_.size();
  }

  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return std::nullopt;
      char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto cp = Hex4();
          if (!cp) return std::nullopt;
          std::uint32_t code = *cp;
          if (code >= 0xD800 && code < 0xDC00) {  // a surrogate pair
            if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return std::nullopt;
            i_ += 2;
            auto low = Hex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
            code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
          }
          base::AppendUtf8(out, code);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

 private:
  std::optional<std::uint32_t> Hex4() {
    if (i_ + 4 > s_.size()) return std::nullopt;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return std::nullopt;
    }
    return v;
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<model::Attributes> ParseAttributesJson(std::string_view json) {
  model::Attributes out;
  Reader r(json);
  if (!r.Eat('{')) return std::nullopt;
  if (r.Eat('}')) return r.AtEnd() ? std::optional(out) : std::nullopt;
  do {
    auto key = r.String();
    if (!key || !r.Eat(':')) return std::nullopt;
    auto value = r.String();
    if (!value) return std::nullopt;
    out.emplace_back(std::move(*key), std::move(*value));
  } while (r.Eat(','));
  if (!r.Eat('}') || !r.AtEnd()) return std::nullopt;
  return out;
}

}  // namespace b2bmail::store
