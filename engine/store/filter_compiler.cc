#include "filter_compiler.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>

#include "b2bmail/base/error.h"

namespace b2bmail::store {
namespace {

using model::CompareOp;
using model::Entity;
using model::FieldType;
using model::FilterNode;
using model::FilterValue;
using Kind = model::FilterNode::Kind;

const char* OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "=";
}

bool IsNumeric(const FilterValue& v) {
  return std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v);
}

// The table aliases an expression is evaluated against: the contact, and the
// contact's account (LEFT JOINed, so NULL columns when it has none).
struct Scope {
  std::string contact;
  std::string account;
};

// What the statements of one compiled filter share: the time, the temporary tables
// filled so far (one per materialised selection), and the statements that fill them.
struct Shared {
  std::int64_t now = 0;
  CompiledFilter* out = nullptr;
  std::map<const void*, std::string> tables;  // by ContactFilter or FilterNode
  std::deque<model::ContactFilter> parts;     // the heavy parts, as selections
  int aliases = 0;
};

// SQLite's parser has a fixed stack (100 entries): SQL nested much deeper than
// about 30 parentheses, or 7 quantifiers, fails to prepare. Weight estimates the
// parser depth a condition compiles to; a part heavier than kMaxWeight is filled
// into a temporary table by a statement of its own and read back by id, so every
// statement stays shallow however deep the segment nests.
constexpr int kMaxWeight = 16;

bool Inlinable(const model::ContactFilter& f) { return f.exclude.empty() && !f.cap && !f.sample; }

int Weight(const FilterNode& n) {
  int inner = 0;
  for (const auto& c : n.children) inner = std::max(inner, std::min(Weight(*c), kMaxWeight + 1));
  switch (n.kind) {
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNot:
      return inner + 1;
    case Kind::kAccountHas:
      return inner + 5;  // EXISTS (SELECT ... WHERE ... AND mailable)
    case Kind::kEngagement:
      return 3;
    case Kind::kInSelection:
      if (n.selection && Inlinable(*n.selection) && n.selection->root)
        return std::min(Weight(*n.selection->root), kMaxWeight + 1) + 2;
      return 1;
    default:
      return n.field.entity == Entity::kAccount && !n.field.custom && n.field.name == "domain" ? 3
                                                                                               : 1;
  }
}

class Compiler {
 public:
  explicit Compiler(Shared& shared) : shared_(shared) {}

  std::vector<FilterValue>& params() { return params_; }

  // SELECT id, account_id, email of the contacts `f` selects.
  // `rows`, when given, is a select list over the contact `c` and its account `a` to
  // return instead of the ids, in email order; only for a filter without cap or sample.
  std::string Selection(const model::ContactFilter& f, const std::string& rows = "") {
    Scope s = NewScope();
    // An inner join when the expression cannot hold without an account: SQLite (3.40)
    // keeps a LEFT JOIN's order, and only an inner join lets it start from the accounts
    // a firmographic condition picks instead of scanning every contact.
    std::string join =
        f.root && RequiresAccount(*f.root) ? " JOIN accounts " : " LEFT JOIN accounts ";
    std::string from = " FROM contacts " + s.contact + join + s.account + " ON " + s.account +
                       ".id = " + s.contact + ".account_id";
    if (!rows.empty())  // one pass: the rows straight from the scan that selects them
      return "SELECT " + rows + from + " WHERE " + Where(f, s) + " ORDER BY " + s.contact +
             ".email";
    std::string columns = s.contact + ".id AS id, " + s.contact + ".account_id AS account_id, " +
                          s.contact + ".email AS email";
    std::string sql = "SELECT " + columns;
    if (f.cap) sql += ", " + RowNumberInAccount(*f.cap, s) + " AS rank_in_account";
    sql += from + " WHERE " + Where(f, s);
    if (f.cap) {
      sql = "SELECT id, account_id, email FROM (" + sql +
            ") WHERE rank_in_account <= " + Param(f.cap->per_account);
    }
    if (f.sample) {
      // Keep round-half-up(n * P / 100) contacts: those with the smallest keys.
      sql =
          "SELECT id, account_id, email FROM (SELECT id, account_id, email, row_number() OVER "
          "(ORDER BY " +
          std::string(kSampleKeyFunction) + "(" + Param(static_cast<std::int64_t>(f.sample->seed)) +
          ", email), email) AS sample_rank, count(*) OVER () AS population FROM (" + sql +
          ")) WHERE sample_rank <= (population * " + Param(f.sample->basis_points) +
          " + 5000) / 10000";
    }
    return sql;
  }

 private:
  Scope NewScope() {
    int n = shared_.aliases++;
    std::string suffix = n == 0 ? "" : std::to_string(n);
    return {"c" + suffix, "a" + suffix};
  }

  // Numbered parameters, so the text can be assembled in any order.
  std::string Param(FilterValue v) {
    params_.push_back(std::move(v));
    return "?" + std::to_string(params_.size());
  }
  std::string Param(std::int64_t v) { return Param(FilterValue(v)); }
  std::string Param(const std::string& v) { return Param(FilterValue(v)); }

  std::string Now() { return Param(shared_.now); }

  // The name of a temporary table holding the ids `f` selects, filled by a statement
  // of its own (so each statement stays shallow); one table per selection per query.
  std::string Materialised(const model::ContactFilter& f, const void* key = nullptr) {
    if (!key) key = &f;
    auto it = shared_.tables.find(key);
    if (it != shared_.tables.end()) return it->second;
    Compiler sub(shared_);
    std::string select = sub.Selection(f);
    std::string table = "b2b_selection_" + std::to_string(shared_.out->temp_tables.size() + 1);
    shared_.out->temp_tables.push_back(table);
    shared_.out->setup.push_back({"CREATE TEMP TABLE " + table + " (id INTEGER PRIMARY KEY)", {}});
    shared_.out->setup.push_back({"INSERT INTO temp." + table + " SELECT id FROM (" + select + ")",
                                  std::move(sub.params())});
    shared_.tables.emplace(key, "temp." + table);
    return "temp." + table;
  }

  std::string Where(const model::ContactFilter& f, const Scope& s) {
    // The filter first, the suppression lookup last: SQLite evaluates terms in order,
    // and most contacts fail a segment's conditions before they need the lookup.
    std::vector<std::string> terms;
    if (f.root) terms.push_back(Node(*f.root, s));
    for (const auto& excluded : f.exclude)
      terms.push_back(s.contact + ".id NOT IN " + Materialised(*excluded));
    if (f.mailable_only) terms.push_back(Mailable(s.contact));
    if (terms.empty()) return "1";
    std::string out;
    for (const auto& t : terms) out += (out.empty() ? "" : " AND ") + t;
    return out;
  }

  std::string Mailable(const std::string& c) {
    return c + ".consent <> 'none' AND " + c +
           ".unsubscribed = 0 AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = " + c +
           ".email AND (s.expires_at IS NULL OR s.expires_at > " + Now() + "))";
  }

  // row_number() within the account (a contact without one is its own group), in
  // the cap's order: per key, unknown and empty values last, then the value; then email.
  std::string RowNumberInAccount(const model::AccountCap& cap, const Scope& s) {
    std::string order;
    for (const auto& key : cap.order) {
      std::string value = Value(key.field, s);
      // Empty text sorts as unknown: NULLIF makes '' and a missing value tie, so the
      // next key (or the email) decides between them.
      std::string sortable = "NULLIF(" + Value(key.field, s) + ", '')";
      if (!model::EnumValuesOf(key.field.type).empty()) {
        sortable = "CASE " + sortable;
        for (auto name : model::EnumValuesOf(key.field.type))
          sortable += " WHEN " + Param(std::string(name)) + " THEN " +
                      std::to_string(*model::EnumRank(key.field.type, name));
        sortable += " END";
      } else if (key.field.type == FieldType::kText) {
        sortable += " COLLATE NOCASE";
      }
      order += "(" + value + " IS NULL OR " + Value(key.field, s) + " = '') ASC, " + sortable +
               (key.descending ? " DESC, " : " ASC, ");
    }
    return "row_number() OVER (PARTITION BY " + s.contact + ".account_id, CASE WHEN " + s.contact +
           ".account_id IS NULL THEN " + s.contact + ".id END ORDER BY " + order + s.contact +
           ".email ASC)";
  }

  // A condition inside another: inline, or read from a temporary table when it is
  // too heavy for the parser (see kMaxWeight).
  std::string Child(const FilterNode& n, const Scope& s) {
    if (Weight(n) <= kMaxWeight) return Node(n, s);
    if (!shared_.tables.contains(&n)) {
      model::ContactFilter part;
      part.root = std::shared_ptr<const FilterNode>(std::shared_ptr<const FilterNode>{}, &n);
      part.mailable_only = false;
      shared_.parts.push_back(std::move(part));
    }
    const model::ContactFilter* part = nullptr;
    for (const auto& p : shared_.parts)
      if (p.root.get() == &n) part = &p;
    return "(" + s.contact + ".id IN " + Materialised(*part, &n) + ")";
  }

  std::string Node(const FilterNode& n, const Scope& s) {
    switch (n.kind) {
      case Kind::kAnd:
      case Kind::kOr: {
        std::string sql = "(";
        for (std::size_t i = 0; i < n.children.size(); ++i) {
          if (i) sql += n.kind == Kind::kAnd ? " AND " : " OR ";
          sql += Child(*n.children[i], s);
        }
        return sql + ")";
      }
      case Kind::kNot:
        return Not(Child(*n.children.at(0), s));
      case Kind::kCompare:
        if (n.op == CompareOp::kNe) {
          FilterNode eq = n;
          eq.op = CompareOp::kEq;
          return Not(Compare(eq, s));
        }
        return Compare(n, s);
      case Kind::kIn:
        return In(n, s);
      case Kind::kNotIn:
        return Not(In(n, s));
      case Kind::kBetween:
        return Between(n, s);
      case Kind::kTextMatch:
        return TextMatch(n, s);
      case Kind::kEmpty:
        return Empty(n, s);
      case Kind::kEngagement:
        return Engagement(n.engagement, s);
      case Kind::kAccountHas:
        return AccountHas(n, s);
      case Kind::kInSelection:
        return InSelection(n, s);
    }
    throw Error(ErrorKind::kInternal, "unknown filter node");
  }

  // Predicates are false on unknown (NULL) values; `not` must then be true.
  // `x IS NOT 1` is NOT coalesce(x, 0) with one level of nesting less.
  static std::string Not(const std::string& sql) { return "(" + sql + " IS NOT 1)"; }

  // True when `n` is false for every contact without an account, so the account can
  // be joined as an inner join. Conservative: `not`, `!=`, `not in` and `is empty`
  // may hold without one.
  static bool RequiresAccount(const FilterNode& n) {
    bool account_field = n.field.entity == Entity::kAccount;
    switch (n.kind) {
      case Kind::kAnd:
        for (const auto& c : n.children)
          if (RequiresAccount(*c)) return true;
        return false;
      case Kind::kOr:
        for (const auto& c : n.children)
          if (!RequiresAccount(*c)) return false;
        return true;
      case Kind::kCompare:
        return account_field && n.op != CompareOp::kNe;
      case Kind::kIn:
      case Kind::kBetween:
      case Kind::kTextMatch:
        return account_field;
      case Kind::kAccountHas:
        return true;
      case Kind::kInSelection:
        // Inlined selections are their expression (see InSelection).
        return n.selection && n.selection->exclude.empty() && !n.selection->cap &&
               !n.selection->sample && n.selection->root && RequiresAccount(*n.selection->root);
      case Kind::kNot:
      case Kind::kNotIn:
      case Kind::kEmpty:
      case Kind::kEngagement:
        return false;
    }
    return false;
  }

  static bool IsDomain(const model::FieldRef& f) {
    return !f.custom && f.entity == Entity::kAccount && f.name == "domain";
  }

  // The column (or attribute) a field reads, for fields other than account.domain.
  std::string Value(const model::FieldRef& f, const Scope& s) {
    const std::string& table = f.entity == Entity::kContact ? s.contact : s.account;
    if (f.custom) return "json_extract(" + table + ".attrs, " + Param("$.\"" + f.name + "\"") + ")";
    return table + "." + f.name;
  }

  // How a field compares with `value`: the left side and the collation suffix.
  // Text ignores ASCII case; a custom attribute against a number is read as one.
  std::pair<std::string, std::string> Operand(const model::FieldRef& f, const FilterValue& value,
                                              const Scope& s) {
    if (f.custom && IsNumeric(value))
      return {std::string(kNumberFunction) + "(" + Value(f, s) + ")", ""};
    if (f.type == FieldType::kText) return {Value(f, s), " COLLATE NOCASE"};
    return {Value(f, s), ""};
  }

  static FilterValue Literal(const FilterValue& v) {
    // true/false compare with custom attributes as the text "true"/"false".
    if (auto* b = std::get_if<bool>(&v)) return std::string(*b ? "true" : "false");
    return v;
  }

  std::string DomainExists(const std::string& condition, const Scope& s) {
    return "EXISTS (SELECT 1 FROM account_domains d WHERE d.account_id = " + s.account +
           ".id AND " + condition + ")";
  }

  std::string Compare(const FilterNode& n, const Scope& s) {
    const auto& v = n.values.at(0);
    if (IsDomain(n.field))
      return DomainExists(
          "d.domain " + std::string(OpText(n.op)) + " " + Param(Literal(v)) + " COLLATE NOCASE", s);
    auto [lhs, collate] = Operand(n.field, v, s);
    return "(" + lhs + " " + OpText(n.op) + " " + Param(Literal(v)) + collate + ")";
  }

  std::string In(const FilterNode& n, const Scope& s) {
    if (IsDomain(n.field)) {
      std::string list;
      for (const auto& v : n.values) list += (list.empty() ? "" : ", ") + Param(Literal(v));
      return DomainExists("d.domain COLLATE NOCASE IN (" + list + ")", s);
    }
    bool mixed = false;
    for (const auto& v : n.values) mixed = mixed || IsNumeric(v) != IsNumeric(n.values[0]);
    if (mixed) {
      // A custom attribute against numbers and text: one comparison per value.
      std::string any;
      for (const auto& v : n.values) {
        FilterNode eq = n;
        eq.kind = Kind::kCompare;
        eq.op = CompareOp::kEq;
        eq.values = {v};
        any += (any.empty() ? "" : " OR ") + Compare(eq, s);
      }
      return "(" + any + ")";
    }
    auto [lhs, collate] = Operand(n.field, n.values[0], s);
    std::string list;
    for (const auto& v : n.values) list += (list.empty() ? "" : ", ") + Param(Literal(v));
    return "(" + lhs + collate + " IN (" + list + "))";
  }

  std::string Between(const FilterNode& n, const Scope& s) {
    const auto& low = n.values.at(0);
    const auto& high = n.values.at(1);
    if (IsDomain(n.field))
      return DomainExists("d.domain >= " + Param(Literal(low)) +
                              " COLLATE NOCASE AND d.domain <= " + Param(Literal(high)) +
                              " COLLATE NOCASE",
                          s);
    auto [lhs, collate] = Operand(n.field, low, s);
    std::string first = "(" + lhs + " >= " + Param(Literal(low)) + collate;
    auto [lhs2, collate2] = Operand(n.field, high, s);
    return first + " AND " + lhs2 + " <= " + Param(Literal(high)) + collate2 + ")";
  }

  // LIKE with the user's text escaped: '%' and '_' are literal characters.
  std::string TextMatch(const FilterNode& n, const Scope& s) {
    std::string escaped;
    for (char c : std::get<std::string>(n.values.at(0))) {
      if (c == '%' || c == '_' || c == '\\') escaped += '\\';
      escaped += c;
    }
    std::string pattern = n.match == model::TextMatch::kStartsWith ? escaped + "%"
                          : n.match == model::TextMatch::kEndsWith ? "%" + escaped
                                                                   : "%" + escaped + "%";
    if (IsDomain(n.field))
      return DomainExists("d.domain LIKE " + Param(pattern) + " ESCAPE '\\'", s);
    return "(" + Value(n.field, s) + " LIKE " + Param(pattern) + " ESCAPE '\\')";
  }

  std::string Empty(const FilterNode& n, const Scope& s) {
    if (IsDomain(n.field)) return "(NOT " + DomainExists("1", s) + ")";
    std::string v = Value(n.field, s);
    if (n.field.type == FieldType::kText) {
      std::string v2 = Value(n.field, s);
      return "(" + v + " IS NULL OR " + v2 + " = '')";
    }
    return "(" + v + " IS NULL)";
  }

  std::string Engagement(const model::Engagement& e, const Scope& s) {
    std::int64_t window = e.window.count();
    // The event type is one of our own enum names, written as a literal so that
    // SQLite can use the partial index of human opens and clicks (migration 0002).
    std::string where = "e.contact_id = " + s.contact + ".id AND e.type = '" +
                        std::string(model::Name(e.verb)) +
                        "' AND e.at >= " + Param(shared_.now - window) + " AND e.at <= " + Now();
    if (e.verb == model::EventType::kOpened || e.verb == model::EventType::kClicked)
      where += " AND e.bot = 0";
    if (!e.campaign.empty()) where += " AND e.campaign = " + Param(e.campaign);
    if (!e.kind.empty()) where += " AND e.detail = " + Param(e.kind) + " COLLATE NOCASE";
    return AtLeast("events e WHERE " + where, e.at_least);
  }

  // "at least n rows FROM <from_where>", stopping at the n-th match.
  std::string AtLeast(const std::string& from_where, std::int64_t n) {
    if (n <= 1) return "EXISTS (SELECT 1 FROM " + from_where + ")";
    std::string limit = Param(n);
    return "((SELECT count(*) FROM (SELECT 1 FROM " + from_where + " LIMIT " + limit +
           ")) >= " + limit + ")";
  }

  // The quantifier depends on the account only, so it is correlated with the account
  // row: when the plan visits accounts first, SQLite evaluates it once per account.
  std::string AccountHas(const FilterNode& n, const Scope& s) {
    Scope inner{"q" + std::to_string(shared_.aliases++), s.account};
    std::string from = "contacts " + inner.contact + " WHERE " + inner.contact +
                       ".account_id = " + s.account + ".id AND " + Child(*n.children.at(0), inner) +
                       " AND " + Mailable(inner.contact);
    if (n.quantifier.none)
      return "(" + s.account + ".id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + from + "))";
    return AtLeast(from, n.quantifier.at_least);
  }

  std::string InSelection(const FilterNode& n, const Scope& s) {
    if (!n.selection)
      throw Error(ErrorKind::kInternal, "segment '" + n.segment_id + "' was not resolved");
    const auto& sel = *n.selection;
    // A plain segment (no exclude, cap or sample) is its expression: inline it, so
    // the planner sees one query instead of materialising the other segment.
    if (Inlinable(sel) && (!sel.root || Weight(*sel.root) <= kMaxWeight)) {
      std::string sql = "(";
      if (sel.mailable_only) sql += Mailable(s.contact);
      if (sel.root) sql += std::string(sel.mailable_only ? " AND " : "") + Node(*sel.root, s);
      if (!sel.mailable_only && !sel.root) sql += "1";
      return sql + ")";
    }
    return "(" + s.contact + ".id IN " + Materialised(sel) + ")";
  }

  Shared& shared_;
  std::vector<FilterValue> params_;
};

}  // namespace

CompiledFilter CompileFilter(const model::ContactFilter& filter, const std::string& rows) {
  CompiledFilter out;
  Shared shared;
  shared.now =
      std::chrono::duration_cast<std::chrono::seconds>(filter.now.time_since_epoch()).count();
  shared.out = &out;
  Compiler c(shared);
  out.rows_selected = !rows.empty() && !filter.cap && !filter.sample;
  out.select = c.Selection(filter, out.rows_selected ? rows : "");
  out.params = std::move(c.params());
  return out;
}

}  // namespace b2bmail::store
