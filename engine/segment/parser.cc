#include "parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "b2bmail/base/strings.h"
#include "b2bmail/model/field.h"
#include "value_checker.h"

namespace b2bmail::segment {
namespace {

using model::FilterNode;
using model::FilterNodePtr;
using Kind = model::FilterNode::Kind;

constexpr std::string_view kClauses[] = {"exclude", "cap", "sample"};

struct SyntaxError {};  // unwinds the parser after the diagnostic was recorded

// Longest window and largest counts a segment may name: far beyond any real use,
// small enough that no arithmetic on them overflows.
constexpr std::int64_t kMaxCount = 1'000'000'000;
constexpr std::int64_t kMaxWindowHours = 24LL * 365 * 200;
// Every value becomes a bound parameter; SQLite takes at most 32766 per query.
constexpr std::size_t kMaxListValues = 10'000;

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, std::string_view source, const std::string& file,
         base::Diagnostics& diags)
      : tokens_(tokens), source_(source), file_(file), diags_(diags), values_(file, diags) {}

  std::optional<SegmentDefinition> Segment(const std::string& id) {
    SegmentDefinition def;
    def.id = id;
    def.file = file_;
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
      std::vector<std::pair<std::size_t, std::size_t>> terms;
      def.where = Expression(0, &terms);
      for (auto [b, e] : terms) def.where_terms.push_back(SourceText(b, e));
      Clauses(def);
      def.in_segment = std::move(in_segment_);
    } catch (const SyntaxError&) {
      return std::nullopt;
    }
    if (diags_.HasErrors()) return std::nullopt;
    return def;
  }

 private:
  // --- tokens ------------------------------------------------------------------------

  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
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
  [[noreturn]] void Fail(const Token& at, std::string code, std::string message) {
    diags_.Error(file_, at.position, std::move(code), std::move(message));
    throw SyntaxError{};
  }
  void Expect(std::string_view punct) {
    if (!IsPunct(Peek(), punct))
      Fail(Peek(), "syntax", "expected '" + std::string(punct) + "', found " + Describe(Peek()));
    Next();
  }
  void ExpectKeyword(std::string_view word, std::string_view context) {
    if (!IsKeyword(Peek(), word))
      Fail(Peek(), "syntax",
           "expected '" + std::string(word) + "' " + std::string(context) + ", found " +
               Describe(Peek()));
    Next();
  }

  // A whole number in [min, kMaxCount]; `what` names it in the message.
  std::int64_t Count(std::string_view what, std::int64_t min) {
    const Token& t = Peek();
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (t.kind != TokenKind::kInteger || ec != std::errc() || ptr != t.text.data() + t.text.size())
      Fail(t, "syntax",
           "expected " + std::string(what) + " (a whole number), found " + Describe(t));
    if (n < min || n > kMaxCount)
      Fail(t, "out-of-range",
           std::string(what) + " must be between " + std::to_string(min) + " and " +
               std::to_string(kMaxCount) + ", not " + t.text);
    Next();
    return n;
  }

  // The source between two token indexes (inclusive), comments dropped and runs of
  // white space collapsed: what `segment explain` shows for a clause.
  std::string SourceText(std::size_t first, std::size_t last) const {
    std::string_view raw =
        source_.substr(tokens_[first].begin, tokens_[last].end - tokens_[first].begin);
    std::string out;
    bool in_string = false, space = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (in_string) {
        out += c;
        if (c == '\\' && i + 1 < raw.size())
          out += raw[++i];
        else if (c == '"')
          in_string = false;
        continue;
      }
      if (c == '#') {
        while (i < raw.size() && raw[i] != '\n') ++i;
        space = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
      if (c == '"') in_string = true;
    }
    return out;
  }

  // --- clauses after `where` -----------------------------------------------------------

  void Clauses(SegmentDefinition& def) {
    int last = -1;  // index in kClauses of the last clause seen
    while (Peek().kind != TokenKind::kEnd) {
      const Token& t = Peek();
      int index = -1;
      for (int i = 0; i < 3; ++i)
        if (IsKeyword(t, kClauses[i])) index = i;
      if (index < 0)
        Fail(t, "syntax",
             "expected 'and', 'or', 'exclude', 'cap', 'sample' or the end of the segment, found " +
                 Describe(t));
      if (index == last) Fail(t, "syntax", "a segment has at most one '" + t.text + "' clause");
      if (index < last)
        Fail(t, "syntax",
             "the '" + std::string(kClauses[index]) + "' clause must come before '" +
                 std::string(kClauses[last]) + "' (order: where, exclude, cap, sample)");
      last = index;
      std::size_t first = pos_;
      Next();
      if (index == 0) Exclude(def);
      if (index == 1) Cap(def, first);
      if (index == 2) Sample(def, first);
    }
  }

  SegmentReference SegmentId() {
    const Token& t = Peek();
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kString)
      Fail(t, "syntax", "expected a segment id, found " + Describe(t));
    if (!IsValidSegmentId(t.text))
      Fail(t, "syntax",
           "'" + t.text +
               "' is not a segment id (the file name without .seg: letters, digits, "
               "'_', '-' and '.')");
    Next();
    return {t.text, t.position};
  }

  void Exclude(SegmentDefinition& def) {
    do {
      def.exclude.push_back(SegmentId());
      if (!IsPunct(Peek(), ",")) break;
      Next();
    } while (true);
  }

  void Cap(SegmentDefinition& def, std::size_t first) {
    model::AccountCap cap;
    cap.per_account = Count("the number of contacts per account", 1);
    ExpectKeyword("per", "in 'cap <N> per account'");
    ExpectKeyword("account", "in 'cap <N> per account'");
    if (IsKeyword(Peek(), "order")) {
      Next();
      ExpectKeyword("by", "after 'order'");
      do {
        const Token& key = Next();
        if (key.kind != TokenKind::kWord)
          Fail(key, "syntax", "expected a contact field to order by, found " + Describe(key));
        auto field = ResolveField(key);
        if (!field) throw SyntaxError{};
        if (field->entity == model::Entity::kAccount)
          Fail(key, "type-mismatch",
               "cannot order by " + field->Spelling() +
                   ": it is the same for every contact of an account; order by a contact field");
        model::SortKey sort{*field, false};
        if (IsKeyword(Peek(), "asc") || IsKeyword(Peek(), "desc"))
          sort.descending = base::EqualsIgnoreCase(Next().text, "desc");
        cap.order.push_back(sort);
        if (!IsPunct(Peek(), ",")) break;
        Next();
      } while (true);
    }
    def.cap = cap;
    def.cap_text = SourceText(first, pos_ - 1);
  }

  void Sample(SegmentDefinition& def, std::size_t first) {
    const Token& p = Peek();
    if (p.kind != TokenKind::kInteger && p.kind != TokenKind::kDecimal)
      Fail(p, "syntax", "expected a percentage such as 10% after 'sample', found " + Describe(p));
    auto dot = p.text.find('.');
    std::string whole = p.text.substr(0, dot);
    std::string fraction = dot == std::string::npos ? "" : p.text.substr(dot + 1);
    if (fraction.size() > 2)
      Fail(p, "out-of-range", "a sample percentage has at most two decimals, not " + p.text);
    fraction.resize(2, '0');
    std::int64_t basis_points = 0;
    bool ok = !whole.empty() && whole[0] != '-' && whole.size() <= 3;
    if (ok) basis_points = std::stoll(whole) * 100 + std::stoll(fraction);
    if (!ok || basis_points <= 0 || basis_points > 10000)
      Fail(p, "out-of-range", "a sample is more than 0% and at most 100%, not " + p.text + "%");
    Next();
    Expect("%");
    model::Sample sample;
    sample.basis_points = basis_points;
    if (IsKeyword(Peek(), "seed")) {
      Next();
      const Token& s = Peek();
      std::uint64_t seed = 0;
      auto [ptr, ec] = std::from_chars(s.text.data(), s.text.data() + s.text.size(), seed);
      if (s.kind != TokenKind::kInteger || ec != std::errc() ||
          ptr != s.text.data() + s.text.size())
        Fail(s, "syntax", "expected a seed (a whole number from 0), found " + Describe(s));
      Next();
      sample.seed = seed;
    }
    def.sample = sample;
    def.sample_text = SourceText(first, pos_ - 1);
  }

  // --- expressions -----------------------------------------------------------------------

  FilterNodePtr Combine(Kind kind, std::vector<FilterNodePtr> children) {
    if (children.size() == 1) return children[0];
    auto n = std::make_shared<FilterNode>();
    n->kind = kind;
    n->children = std::move(children);
    return n;
  }

  void CheckDepth(const Token& at, int depth) {
    if (depth > kMaxNesting)
      Fail(at, "too-deep",
           "expression nests deeper than " + std::to_string(kMaxNesting) + " levels");
  }

  // `terms`, when given, receives the token ranges of the top-level `and` terms.
  FilterNodePtr Expression(int depth,
                           std::vector<std::pair<std::size_t, std::size_t>>* terms = nullptr) {
    CheckDepth(Peek(), depth);
    std::size_t first = pos_;
    std::vector<FilterNodePtr> alternatives{AndExpression(depth, terms)};
    while (IsKeyword(Peek(), "or")) {
      Next();
      alternatives.push_back(AndExpression(depth, nullptr));
    }
    if (terms && alternatives.size() > 1) *terms = {{first, pos_ - 1}};
    return Combine(Kind::kOr, std::move(alternatives));
  }

  FilterNodePtr AndExpression(int depth, std::vector<std::pair<std::size_t, std::size_t>>* terms) {
    std::size_t first = pos_;
    std::vector<FilterNodePtr> operands{NotExpression(depth)};
    if (terms) terms->push_back({first, pos_ - 1});
    while (IsKeyword(Peek(), "and")) {
      Next();
      first = pos_;
      operands.push_back(NotExpression(depth));
      if (terms) terms->push_back({first, pos_ - 1});
    }
    return Combine(Kind::kAnd, std::move(operands));
  }

  FilterNodePtr Negate(FilterNodePtr inner) {
    auto n = std::make_shared<FilterNode>();
    n->kind = Kind::kNot;
    n->children = {std::move(inner)};
    return n;
  }

  FilterNodePtr NotExpression(int depth) {
    if (IsKeyword(Peek(), "not")) {
      const Token& not_token = Next();
      CheckDepth(not_token, depth + 1);
      return Negate(NotExpression(depth + 1));
    }
    return Primary(depth);
  }

  FilterNodePtr Primary(int depth) {
    const Token& start = Peek();
    if (IsPunct(start, "(")) {
      Next();
      auto inner = Expression(depth + 1);
      Expect(")");
      return inner;
    }
    if (start.kind != TokenKind::kWord)
      Fail(start, "syntax",
           "expected a condition such as contact.role = buyer, found " + Describe(start));
    if (auto verb = model::Parse<model::EventType>(start.text);
        verb && start.text.find('.') == std::string::npos)
      return EngagementPredicate(*verb);
    if (IsKeyword(start, "account")) return AccountQuantifier(depth);
    if (IsKeyword(start, "in")) return InSegment();
    return FieldPredicate();
  }

  FilterNodePtr InSegment() {
    Next();  // in
    ExpectKeyword("segment", "after 'in' (in segment <id>)");
    auto ref = SegmentId();
    auto n = std::make_shared<FilterNode>();
    n->kind = Kind::kInSelection;
    n->segment_id = ref.id;
    in_segment_.push_back(std::move(ref));
    return n;
  }

  FilterNodePtr EngagementPredicate(model::EventType verb) {
    const Token& verb_token = Next();
    auto n = std::make_shared<FilterNode>();
    n->kind = Kind::kEngagement;
    n->engagement.verb = verb;
    if (Peek().kind == TokenKind::kString) {
      if (verb != model::EventType::kConverted)
        Fail(Peek(), "syntax",
             "only 'converted' takes a kind in quotes; '" + verb_token.text +
                 "' is followed by campaign, at least or within");
      n->engagement.kind = Next().text;
    }
    if (IsKeyword(Peek(), "campaign")) {
      Next();
      if (Peek().kind != TokenKind::kString)
        Fail(Peek(), "syntax", "expected the campaign id in quotes, found " + Describe(Peek()));
      n->engagement.campaign = Next().text;
    }
    if (IsKeyword(Peek(), "at")) {
      Next();
      ExpectKeyword("least", "in 'at least <N> times'");
      n->engagement.at_least = Count("the number of times", 1);
      if (!IsKeyword(Peek(), "times") && !IsKeyword(Peek(), "time"))
        Fail(Peek(), "syntax", "expected 'times' after the number, found " + Describe(Peek()));
      Next();
    }
    if (!IsKeyword(Peek(), "within"))
      Fail(Peek(), "syntax",
           "expected 'within <N>d' (a time window such as within 90d) after '" + verb_token.text +
               "', found " + Describe(Peek()));
    Next();
    n->engagement.window = Window();
    return n;
  }

  std::chrono::seconds Window() {
    const Token& t = Peek();
    if (t.kind != TokenKind::kDuration)
      Fail(t, "syntax", "expected a time window such as 90d, 12w or 48h, found " + Describe(t));
    if (t.text.empty()) throw SyntaxError{};  // the lexer already reported it
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size() - 1, n);
    char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(t.text.back())));
    std::int64_t hours_per = unit == 'h' ? 1 : unit == 'd' ? 24 : 24 * 7;
    if (ec != std::errc() || n < 1 || n > kMaxWindowHours / hours_per)
      Fail(t, "out-of-range", "a time window is at least 1h and at most 200 years, not " + t.text);
    Next();
    return std::chrono::hours(n * hours_per);
  }

  FilterNodePtr AccountQuantifier(int depth) {
    const Token& account = Next();
    if (!IsKeyword(Peek(), "has"))
      Fail(Peek(), "syntax",
           "expected 'has' after 'account' (account has at least <N> contacts where ...), or a "
           "field such as account.stage; found " +
               Describe(Peek()));
    Next();
    auto n = std::make_shared<FilterNode>();
    n->kind = Kind::kAccountHas;
    if (IsKeyword(Peek(), "no")) {
      Next();
      n->quantifier.none = true;
    } else if (IsKeyword(Peek(), "at")) {
      Next();
      ExpectKeyword("least", "in 'account has at least <N> contacts'");
      n->quantifier.at_least = Count("the number of contacts", 1);
    } else {
      Fail(Peek(), "syntax",
           "expected 'at least <N>' or 'no' after 'account has', found " + Describe(Peek()));
    }
    if (!IsKeyword(Peek(), "contacts") && !IsKeyword(Peek(), "contact"))
      Fail(Peek(), "syntax", "expected 'contacts', found " + Describe(Peek()));
    Next();
    ExpectKeyword("where", "before the condition on the account's contacts");
    CheckDepth(account, depth + 1);
    // The condition is one predicate, a `not`, or a parenthesised expression, so
    // `account has ... where A and B` reads as (account has ... where A) and B.
    n->children = {NotExpression(depth + 1)};
    return n;
  }

  FilterNodePtr FieldPredicate() {
    const Token& field_token = Next();
    std::optional<model::FieldRef> field = ResolveField(field_token);
    bool negate = false;
    if (IsKeyword(Peek(), "not")) {
      Next();
      negate = true;
      if (!IsKeyword(Peek(), "in") && !IsKeyword(Peek(), "between") &&
          !IsKeyword(Peek(), "contains") && !IsKeyword(Peek(), "starts") &&
          !IsKeyword(Peek(), "ends"))
        Fail(Peek(), "syntax",
             "expected 'in', 'between', 'contains', 'starts with' or 'ends with' after 'not', "
             "found " +
                 Describe(Peek()));
    }
    FilterNodePtr n = FieldCondition(field_token, field);
    if (!negate) return n;
    if (n->kind == Kind::kIn) {
      auto copy = std::make_shared<FilterNode>(*n);
      copy->kind = Kind::kNotIn;
      return copy;
    }
    return Negate(n);
  }

  FilterNodePtr FieldCondition(const Token& field_token,
                               const std::optional<model::FieldRef>& field) {
    const Token& op = Peek();
    auto n = std::make_shared<FilterNode>();
    if (field) n->field = *field;
    if (IsKeyword(op, "in")) {
      Next();
      n->kind = Kind::kIn;
      Expect("(");
      do {
        const Token& v = Next();
        if (n->values.size() >= kMaxListValues)
          Fail(v, "too-large",
               "a list has at most " + std::to_string(kMaxListValues) +
                   " values; import longer lists as a custom attribute");
        if (field) values_.Equality(*field, v, n->values);
        if (!IsPunct(Peek(), ",")) break;
        Next();
      } while (true);
      Expect(")");
      return n;
    }
    if (IsKeyword(op, "between")) {
      Next();
      n->kind = Kind::kBetween;
      const Token& low = Next();
      ExpectKeyword("and", "between the two ends of 'between'");
      const Token& high = Next();
      if (!field) return n;
      values_.Ordered(*field, low, n->values);
      values_.Ordered(*field, high, n->values);
      if (n->values.size() == 2) return values_.LowerRange(*field, op, n);
      return n;
    }
    if (IsKeyword(op, "contains") || IsKeyword(op, "starts") || IsKeyword(op, "ends")) {
      Next();
      n->kind = Kind::kTextMatch;
      n->match = IsKeyword(op, "contains") ? model::TextMatch::kContains
                 : IsKeyword(op, "starts") ? model::TextMatch::kStartsWith
                                           : model::TextMatch::kEndsWith;
      if (n->match != model::TextMatch::kContains) ExpectKeyword("with", "after '" + op.text + "'");
      const Token& v = Next();
      if (v.kind != TokenKind::kString)
        Fail(v, "syntax", "expected text in quotes after '" + op.text + "', found " + Describe(v));
      if (field) values_.Matchable(*field, op, v, n->values);
      return n;
    }
    if (IsKeyword(op, "is")) {
      Next();
      n->kind = Kind::kEmpty;
      bool negate = false;
      if (IsKeyword(Peek(), "not")) {
        Next();
        negate = true;
      }
      ExpectKeyword("empty", "after 'is'");
      return negate ? Negate(n) : n;
    }
    static const std::pair<std::string_view, model::CompareOp> kOps[] = {
        {"=", model::CompareOp::kEq}, {"!=", model::CompareOp::kNe},
        {"<", model::CompareOp::kLt}, {"<=", model::CompareOp::kLe},
        {">", model::CompareOp::kGt}, {">=", model::CompareOp::kGe}};
    auto it = std::find_if(std::begin(kOps), std::end(kOps),
                           [&](const auto& p) { return IsPunct(op, p.first); });
    if (it == std::end(kOps))
      Fail(op, "syntax",
           "expected an operator (=, !=, <, <=, >, >=, in, not in, between, contains, starts "
           "with, ends with, is empty) after " +
               field_token.text + ", found " + Describe(op));
    Next();
    n->kind = Kind::kCompare;
    n->op = it->second;
    const Token& v = Next();
    if (!field) return n;
    if (n->op == model::CompareOp::kEq || n->op == model::CompareOp::kNe) {
      values_.Equality(*field, v, n->values);
      return n;
    }
    values_.Ordered(*field, v, n->values);
    if (n->values.size() == 1) return values_.LowerOrdering(*field, op, n);
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
      bool ok = !ref.name.empty() && ref.name.size() <= 128;
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

  const std::vector<Token>& tokens_;
  std::string_view source_;
  const std::string& file_;
  base::Diagnostics& diags_;
  ValueChecker values_;
  std::size_t pos_ = 0;
  std::vector<SegmentReference> in_segment_;
};

}  // namespace

bool IsValidSegmentId(std::string_view id) {
  if (id.empty() || id.size() > 200 || id[0] == '.' || id[0] == '-') return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return id.find("..") == std::string_view::npos;
}

ParseResult ParseTokens(const std::vector<Token>& tokens, std::string_view source,
                        const std::string& id, const std::string& file_name) {
  ParseResult result;
  Parser parser(tokens, source, file_name, result.diagnostics);
  result.segment = parser.Segment(id);
  return result;
}

}  // namespace b2bmail::segment
