#include "parser.h"

#include <algorithm>
#include <charconv>

#include "b2bmail/base/strings.h"
#include "b2bmail/model/field.h"

namespace b2bmail::segment {
namespace {

using model::FilterNode;
using model::FilterNodePtr;

// Words that start clauses or predicates of the full language (issue 4) that this
// build does not evaluate yet; seeing one gives a precise `unsupported` diagnostic.
constexpr std::string_view kLaterClauses[] = {"exclude", "cap", "sample"};
constexpr std::string_view kEngagementVerbs[] = {
    "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed", "complained", "converted"};

struct SyntaxError {};  // unwinds the parser after the diagnostic was recorded

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, const std::string& file, base::Diagnostics& diags)
      : tokens_(tokens), file_(file), diags_(diags) {}

  std::optional<SegmentDefinition> Segment(const std::string& id) {
    SegmentDefinition def;
    def.id = id;
    try {
      if (IsKeyword(Peek(), "segment")) {
        Next();
        const Token& name = Peek();
        if (name.kind != TokenKind::kString)
          Fail(name, "syntax", "expected the segment's name in quotes after 'segment'");
        def.display_name = Next().text;
      }
      if (!IsKeyword(Peek(), "where")) {
        if (Peek().kind == TokenKind::kEnd)
          Fail(Peek(), "missing-where", "a segment needs a 'where' clause");
        Fail(Peek(), "syntax", "expected 'where', found " + Describe(Peek()));
      }
      Next();
      def.where = Expression(0);
      if (Peek().kind != TokenKind::kEnd) {
        for (auto clause : kLaterClauses)
          if (IsKeyword(Peek(), clause))
            Fail(Peek(), "unsupported",
                 "the '" + std::string(clause) + "' clause is not supported by this version yet");
        Fail(Peek(), "syntax",
             "expected 'and', 'or' or the end of the segment, found " + Describe(Peek()));
      }
    } catch (const SyntaxError&) {
      return std::nullopt;
    }
    if (diags_.HasErrors()) return std::nullopt;
    return def;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (t.kind != TokenKind::kEnd) ++pos_;
    return t;
  }
  static bool IsKeyword(const Token& t, std::string_view word) {
    return t.kind == TokenKind::kWord && base::EqualsIgnoreCase(t.text, word);
  }
  static bool IsPunct(const Token& t, std::string_view p) {
    return t.kind == TokenKind::kPunct && t.text == p;
  }
  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEnd:
        return "the end of the file";
      case TokenKind::kString:
        return "text \"" + t.text + "\"";
      default:
        return "'" + t.text + "'";
    }
  }
  [[noreturn]] void Fail(const Token& at, std::string code, std::string message) {
    diags_.Error(file_, at.position, std::move(code), std::move(message));
    throw SyntaxError{};
  }
  void Expect(std::string_view punct) {
    if (!IsPunct(Peek(), punct))
      Fail(Peek(), "syntax", "expected '" + std::string(punct) + "', found " + Describe(Peek()));
    Next();
  }

  FilterNodePtr Combine(FilterNode::Kind kind, std::vector<FilterNodePtr> children) {
    if (children.size() == 1) return children[0];
    auto n = std::make_shared<FilterNode>();
    n->kind = kind;
    n->children = std::move(children);
    return n;
  }

  FilterNodePtr Expression(int depth) {
    if (depth > kMaxNesting)
      Fail(Peek(), "too-deep",
           "expression nests deeper than " + std::to_string(kMaxNesting) + " levels");
    std::vector<FilterNodePtr> terms{AndExpression(depth)};
    while (IsKeyword(Peek(), "or")) {
      Next();
      terms.push_back(AndExpression(depth));
    }
    return Combine(FilterNode::Kind::kOr, std::move(terms));
  }

  FilterNodePtr AndExpression(int depth) {
    std::vector<FilterNodePtr> terms{NotExpression(depth)};
    while (IsKeyword(Peek(), "and")) {
      Next();
      terms.push_back(NotExpression(depth));
    }
    return Combine(FilterNode::Kind::kAnd, std::move(terms));
  }

  FilterNodePtr NotExpression(int depth) {
    if (IsKeyword(Peek(), "not")) {
      const Token& not_token = Next();
      if (depth + 1 > kMaxNesting)
        Fail(not_token, "too-deep",
             "expression nests deeper than " + std::to_string(kMaxNesting) + " levels");
      auto n = std::make_shared<FilterNode>();
      n->kind = FilterNode::Kind::kNot;
      n->children = {NotExpression(depth + 1)};
      return n;
    }
    return Primary(depth);
  }

  FilterNodePtr Primary(int depth) {
    if (IsPunct(Peek(), "(")) {
      Next();
      auto inner = Expression(depth + 1);
      Expect(")");
      return inner;
    }
    return Predicate();
  }

  FilterNodePtr Predicate() {
    const Token& start = Peek();
    if (start.kind != TokenKind::kWord)
      Fail(start, "syntax",
           "expected a condition such as contact.role = buyer, found " + Describe(start));
    for (auto verb : kEngagementVerbs)
      if (IsKeyword(start, verb))
        Fail(start, "unsupported",
             "engagement conditions ('" + std::string(verb) +
                 " within ...') are not supported by this version yet");
    if (IsKeyword(start, "account") || IsKeyword(start, "in"))
      Fail(start, "unsupported",
           "'" + start.text +
               "' conditions (account quantifiers, segment membership) are not supported by this "
               "version yet");

    const Token& field_token = Next();
    std::optional<model::FieldRef> field = ResolveField(field_token);

    const Token& op = Peek();
    bool negated_in = false;
    if (IsKeyword(op, "not")) {
      Next();
      if (!IsKeyword(Peek(), "in")) Fail(Peek(), "syntax", "expected 'in' after 'not'");
      negated_in = true;
    }
    if (IsKeyword(Peek(), "in")) {
      Next();
      auto n = std::make_shared<FilterNode>();
      n->kind = negated_in ? FilterNode::Kind::kNotIn : FilterNode::Kind::kIn;
      Expect("(");
      do {
        const Token& v = Next();
        if (field) CheckValue(*field, v, n->values);
        if (IsPunct(Peek(), ",")) {
          Next();
          continue;
        }
        break;
      } while (true);
      Expect(")");
      if (field) n->field = *field;
      return n;
    }
    for (std::string_view later : {"between", "contains", "starts", "ends", "is"})
      if (IsKeyword(op, later))
        Fail(op, "unsupported",
             "'" + op.text + "' conditions are not supported by this version yet");
    static const std::pair<std::string_view, model::CompareOp> kOps[] = {
        {"=", model::CompareOp::kEq}, {"!=", model::CompareOp::kNe},
        {"<", model::CompareOp::kLt}, {"<=", model::CompareOp::kLe},
        {">", model::CompareOp::kGt}, {">=", model::CompareOp::kGe}};
    auto it = std::find_if(std::begin(kOps), std::end(kOps),
                           [&](const auto& p) { return IsPunct(op, p.first); });
    if (it == std::end(kOps))
      Fail(op, "syntax",
           "expected an operator (=, !=, <, <=, >, >=, in, not in) after " + field_token.text +
               ", found " + Describe(op));
    Next();
    auto n = std::make_shared<FilterNode>();
    n->kind = FilterNode::Kind::kCompare;
    n->op = it->second;
    const Token& v = Next();
    if (field) {
      bool ordering = n->op != model::CompareOp::kEq && n->op != model::CompareOp::kNe;
      if (ordering && field->type != model::FieldType::kInteger)
        diags_.Error(file_, op.position, "unsupported",
                     "ordering comparisons ('" + op.text + "') on " + field->Spelling() +
                         " are not supported by this version yet; use = or in (...)");
      CheckValue(*field, v, n->values);
      n->field = *field;
    }
    return n;
  }

  // Resolves `contact.x`, `account.x`, `contact.attr.x`, `account.attr.x`;
  // records a diagnostic (with a suggestion) and returns nullopt when unknown.
  std::optional<model::FieldRef> ResolveField(const Token& t) {
    std::string word = t.text;
    auto dot = word.find('.');
    std::string entity_name = base::AsciiLower(word.substr(0, dot));
    model::FieldRef ref;
    if (dot == std::string::npos || (entity_name != "contact" && entity_name != "account")) {
      std::string hint = Suggest("contact." + word);
      if (hint.empty()) hint = Suggest("account." + word);
      diags_.Error(file_, t.position, "unknown-field",
                   "unknown field '" + word + "': fields start with contact. or account." + hint);
      return std::nullopt;
    }
    ref.entity = entity_name == "contact" ? model::Entity::kContact : model::Entity::kAccount;
    std::string rest = word.substr(dot + 1);
    if (base::AsciiLower(rest).starts_with("attr.")) {
      ref.custom = true;
      ref.type = model::FieldType::kText;
      ref.name = rest.substr(5);
      bool ok = !ref.name.empty();
      for (char c : ref.name)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
      if (!ok) {
        diags_.Error(file_, t.position, "unknown-field",
                     "custom attribute names use letters, digits, '_' and '-': '" + word + "'");
        return std::nullopt;
      }
      return ref;
    }
    auto info = model::FindField(ref.entity, base::AsciiLower(rest));
    if (!info) {
      diags_.Error(file_, t.position, "unknown-field",
                   "unknown field '" + word + "'" + Suggest(base::AsciiLower(word)));
      return std::nullopt;
    }
    ref.name = std::string(info->name);
    ref.type = info->type;
    return ref;
  }

  static std::string Suggest(const std::string& spelling) {
    std::vector<std::string> spellings;
    for (const auto& f : model::BuiltinFields())
      spellings.push_back(
          std::string(f.entity == model::Entity::kContact ? "contact." : "account.") +
          std::string(f.name));
    std::string best = base::Nearest(spelling, spellings);
    return best.empty() ? "" : " (did you mean " + best + "?)";
  }

  void CheckValue(const model::FieldRef& field, const Token& v,
                  std::vector<model::FilterValue>& out) {
    auto enum_values = model::EnumValuesOf(field.type);
    if (!enum_values.empty()) {
      if (v.kind != TokenKind::kWord && v.kind != TokenKind::kString) {
        TypeError(field, v);
        return;
      }
      std::string lower = base::AsciiLower(v.text);
      if (std::find(enum_values.begin(), enum_values.end(), lower) == enum_values.end()) {
        std::string best = base::Nearest(lower, enum_values);
        std::string list;
        for (auto c : enum_values) list += (list.empty() ? "" : ", ") + std::string(c);
        diags_.Error(file_, v.position, "unknown-value",
                     "'" + v.text + "' is not a " + std::string(field.name) + " (one of " + list +
                         ")" + (best.empty() ? "" : "; did you mean " + best + "?"));
        return;
      }
      out.emplace_back(lower);
      return;
    }
    if (field.type == model::FieldType::kInteger) {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
      if (v.kind != TokenKind::kInteger || ec != std::errc() ||
          ptr != v.text.data() + v.text.size()) {
        TypeError(field, v);
        return;
      }
      out.emplace_back(n);
      return;
    }
    // Text fields and custom attributes compare as text.
    if (v.kind == TokenKind::kString ||
        (field.custom && (v.kind == TokenKind::kInteger || v.kind == TokenKind::kDecimal ||
                          v.kind == TokenKind::kDate))) {
      out.emplace_back(v.text);
      return;
    }
    TypeError(field, v);
  }

  void TypeError(const model::FieldRef& field, const Token& v) {
    std::string expected = field.type == model::FieldType::kInteger ? "a whole number"
                           : model::EnumValuesOf(field.type).empty()
                               ? "text in double quotes"
                               : "one of its values as a bare word";
    if (v.kind == TokenKind::kEnd || (v.kind == TokenKind::kPunct && v.text != "-")) {
      diags_.Error(file_, v.position, "syntax",
                   "expected a value for " + field.Spelling() + ", found " + Describe(v));
      throw SyntaxError{};
    }
    diags_.Error(file_, v.position, "type-mismatch",
                 field.Spelling() + " compares with " + expected + ", not " + Describe(v));
  }

  const std::vector<Token>& tokens_;
  const std::string& file_;
  base::Diagnostics& diags_;
  std::size_t pos_ = 0;
};

}  // namespace

ParseResult ParseTokens(const std::vector<Token>& tokens, const std::string& id,
                        const std::string& file_name) {
  ParseResult result;
  Parser parser(tokens, file_name, result.diagnostics);
  result.segment = parser.Segment(id);
  return result;
}

}  // namespace b2bmail::segment
