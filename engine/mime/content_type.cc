// RFC 2045 §5.1 (Content-Type syntax), §5.2 (default); RFC 2183 (Content-Disposition);
// RFC 2231 §3 (continuations), §4 (charset and language), §4.1 (both combined);
// RFC 5322 §3.2.2 (comments), §3.2.4 (quoted strings).
#include "b2bmail/mime/content_type.h"

#include <map>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/charset_conversion.h"
#include "b2bmail/mime/encoded_word_decoder.h"

namespace b2bmail::mime {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 2045 §5.1 tspecials.
bool IsTspecial(char c) {
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos;
}

bool IsTokenChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && !IsTspecial(c);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct RawParameter {
  std::string name;  // lower case, as written otherwise (with any '*' suffixes)
  std::string value;
};

class Lexer {
 public:
  static constexpr std::size_t kMaxDefects = 16;

  Lexer(std::string_view s, std::vector<std::string>& defects) : s_(s), defects_(defects) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  void Advance() { ++pos_; }

  // Skips whitespace and (nested) comments.
  void SkipCfws() {
    while (pos_ < s_.size()) {
      if (IsWsp(s_[pos_])) {
        ++pos_;
      } else if (s_[pos_] == '(') {
        int depth = 0;
        while (pos_ < s_.size()) {
          char c = s_[pos_++];
          if (c == '\\') {
            ++pos_;
          } else if (c == '(') {
            ++depth;
          } else if (c == ')' && --depth == 0) {
            break;
          }
        }
        if (depth > 0) Defect("unterminated comment");
      } else {
        return;
      }
    }
  }

  // Characters up to the first tspecial, whitespace or control.
  std::string_view Token() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && IsTokenChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // Characters up to '=', ';', whitespace, a comment or a quote: a parameter name, read
  // more loosely than a token because names with odd characters still deserve a value.
  std::string_view Name() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && !IsWsp(s_[pos_]) &&
           std::string_view("=;(\"").find(s_[pos_]) == std::string_view::npos)
      ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // An unquoted value: up to ';' or whitespace (tspecials such as '=' and '/' are
  // accepted because boundaries are often written unquoted with them).
  std::string_view BareValue() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ';' && !IsWsp(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // REQUIRES: Peek() == '"'.
  std::string QuotedString() {
    std::string out;
    ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && pos_ < s_.size()) c = s_[pos_++];
      out += c;
    }
    Defect("unterminated quoted string");
    return out;
  }

  void Defect(std::string message) {
    // A few say what is wrong; thousands of the same would only cost time and memory.
    if (defects_.size() >= kMaxDefects) return;
    for (const auto& d : defects_)
      if (d == message) return;
    defects_.push_back(std::move(message));
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  std::vector<std::string>& defects_;
};

std::vector<RawParameter> ReadParameters(Lexer& lex) {
  std::vector<RawParameter> out;
  bool separated = false;  // a ';' since the type or the last parameter
  while (true) {
    lex.SkipCfws();
    if (lex.AtEnd()) break;
    if (lex.Peek() == ';') {
      lex.Advance();
      separated = true;
      continue;
    }
    if (!separated) lex.Defect("parameter not preceded by ';'");
    std::string_view name = lex.Name();
    if (name.empty()) {
      // A stray '=' or quoted string where a name belongs: skip it.
      if (lex.Peek() == '"') {
        lex.QuotedString();
      } else {
        lex.Advance();
      }
      lex.Defect("junk where a parameter was expected");
      separated = false;
      continue;
    }
    lex.SkipCfws();
    if (lex.AtEnd() || lex.Peek() != '=') {
      lex.Defect("parameter without a value: " + std::string(name));
      separated = false;
      continue;
    }
    lex.Advance();
    lex.SkipCfws();
    RawParameter p;
    p.name = base::AsciiLower(name);
    if (!lex.AtEnd() && lex.Peek() == '"') {
      p.value = lex.QuotedString();
    } else {
      p.value = std::string(lex.BareValue());
    }
    out.push_back(std::move(p));
    separated = false;
  }
  return out;
}

// One parameter as assembled from its RFC 2231 pieces.
struct ParameterPieces {
  bool has_plain = false;
  std::string plain;
  bool has_extended = false;
  std::string extended;
  std::map<int, std::pair<std::string, bool>> sections;  // index -> (value, encoded)
};

// Splits "charset'language'rest" (RFC 2231 §4); without that prefix the charset is empty
// and the whole value is the rest.
std::pair<std::string, std::string_view> SplitCharset(std::string_view v, Lexer& lex) {
  std::size_t q1 = v.find('\'');
  std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) {
    lex.Defect("RFC 2231 value without charset'language' prefix");
    return {std::string(), v};
  }
  return {std::string(v.substr(0, q1)), v.substr(q2 + 1)};
}

std::string PlainValue(const std::string& name, const std::string& value) {
  // Mail clients write RFC 2047 words into file names although §5 forbids them there;
  // other values (boundaries above all) must stay byte for byte as written.
  if (name == "name" || name == "filename") return DecodeEncodedWords(value);
  return value;
}

std::vector<MimeParameter> AssembleParameters(const std::vector<RawParameter>& raw, Lexer& lex) {
  std::vector<std::string> order;
  std::map<std::string, ParameterPieces> pieces;
  for (const auto& p : raw) {
    std::string_view name = p.name;
    bool encoded = false;
    int section = -1;
    if (!name.empty() && name.back() == '*') {
      encoded = true;
      name.remove_suffix(1);
    }
    if (auto star = name.rfind('*'); star != std::string_view::npos) {
      std::string_view digits = name.substr(star + 1);
      bool numeric = !digits.empty() && digits.size() <= 4;
      for (char c : digits) numeric = numeric && c >= '0' && c <= '9';
      if (!numeric) {
        lex.Defect("malformed RFC 2231 section: " + p.name);
        continue;
      }
      section = std::stoi(std::string(digits));
      name = name.substr(0, star);
    }
    std::string key(name);
    auto [it, inserted] = pieces.try_emplace(key);
    if (inserted) order.push_back(key);
    ParameterPieces& pp = it->second;
    if (section >= 0) {
      if (!pp.sections.try_emplace(section, p.value, encoded).second)
        lex.Defect("duplicate parameter: " + p.name);
    } else if (encoded) {
      if (pp.has_extended) lex.Defect("duplicate parameter: " + p.name);
      if (!pp.has_extended) pp.extended = p.value;
      pp.has_extended = true;
    } else {
      if (pp.has_plain) lex.Defect("duplicate parameter: " + p.name);
      if (!pp.has_plain) pp.plain = p.value;
      pp.has_plain = true;
    }
  }
  std::vector<MimeParameter> out;
  out.reserve(order.size());
  for (const auto& name : order) {
    const ParameterPieces& pp = pieces[name];
    MimeParameter m;
    m.name = name;
    if (!pp.sections.empty()) {
      // RFC 2231 §4.1: only the first section carries the charset; encoded sections are
      // percent-decoded, the others are literal.
      std::string charset;
      std::string bytes;
      bool any_encoded = false;
      int expected = 0;
      for (const auto& [index, section] : pp.sections) {
        if (index != expected) lex.Defect("RFC 2231 section missing in " + name);
        expected = index + 1;
        std::string_view v = section.first;
        if (section.second) {
          if (!any_encoded && index == pp.sections.begin()->first) {
            auto [cs, rest] = SplitCharset(v, lex);
            charset = cs;
            v = rest;
          }
          any_encoded = true;
          bytes += PercentDecode(v);
        } else {
          bytes += v;
        }
      }
      m.value = any_encoded ? ConvertToUtf8(bytes, charset).text : PlainValue(name, bytes);
    } else if (pp.has_extended) {
      auto [charset, rest] = SplitCharset(pp.extended, lex);
      m.value = ConvertToUtf8(PercentDecode(rest), charset).text;
    } else {
      m.value = PlainValue(name, pp.plain);
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::string_view FindParameter(const std::vector<MimeParameter>& parameters,
                               std::string_view name) {
  for (const auto& p : parameters)
    if (base::EqualsIgnoreCase(p.name, name)) return p.value;
  return {};
}

std::string_view ContentType::Charset() const {
  std::string_view c = Parameter("charset");
  return c.empty() ? std::string_view("us-ascii") : c;
}

bool ContentType::Is(std::string_view mime_type) const {
  auto slash = mime_type.find('/');
  if (slash == std::string_view::npos) return false;
  return base::EqualsIgnoreCase(type, mime_type.substr(0, slash)) &&
         base::EqualsIgnoreCase(subtype, mime_type.substr(slash + 1));
}

ParsedContentType ParseContentType(std::string_view value) {
  ParsedContentType out;
  Lexer lex(value, out.defects);
  lex.SkipCfws();
  std::string_view type = lex.Token();
  lex.SkipCfws();
  std::string_view subtype;
  if (!lex.AtEnd() && lex.Peek() == '/') {
    lex.Advance();
    lex.SkipCfws();
    subtype = lex.Token();
  }
  out.valid = !type.empty() && !subtype.empty();
  if (out.valid) {
    out.value.type = base::AsciiLower(type);
    out.value.subtype = base::AsciiLower(subtype);
  } else {
    out.defects.push_back("Content-Type unreadable, text/plain assumed: " +
                          std::string(value.substr(0, 80)));
    // Skip what could not be read so that the parameters after it still count.
    while (!lex.AtEnd() && lex.Peek() != ';') lex.Advance();
  }
  out.value.parameters = AssembleParameters(ReadParameters(lex), lex);
  if (!out.valid && out.value.Parameter("charset").empty())
    out.value.parameters.push_back({"charset", "us-ascii"});
  return out;
}

ParsedContentDisposition ParseContentDisposition(std::string_view value) {
  ParsedContentDisposition out;
  Lexer lex(value, out.defects);
  lex.SkipCfws();
  out.value.type = base::AsciiLower(lex.Token());
  if (out.value.type.empty()) out.defects.push_back("Content-Disposition without a type");
  out.value.parameters = AssembleParameters(ReadParameters(lex), lex);
  return out;
}

}  // namespace b2bmail::mime
