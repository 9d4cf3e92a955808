#include "filter_compiler.h"

#include <cctype>

#include "b2bmail/base/error.h"

namespace b2bmail::store {
namespace {

using model::CompareOp;
using model::Entity;
using model::FilterNode;

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

class Compiler {
 public:
  explicit Compiler(CompiledFilter& out) : out_(out) {}

  std::string Node(const FilterNode& n) {
    switch (n.kind) {
      case FilterNode::Kind::kAnd:
      case FilterNode::Kind::kOr: {
        std::string sql = "(";
        for (std::size_t i = 0; i < n.children.size(); ++i) {
          if (i) sql += n.kind == FilterNode::Kind::kAnd ? " AND " : " OR ";
          sql += Node(*n.children[i]);
        }
        return sql + ")";
      }
      case FilterNode::Kind::kNot:
        // A predicate on an unknown (NULL) value is false; NOT of it must be true.
        return "(NOT coalesce(" + Node(*n.children.at(0)) + ", 0))";
      case FilterNode::Kind::kCompare:
        return Compare(n);
      case FilterNode::Kind::kIn:
      case FilterNode::Kind::kNotIn:
        return In(n);
    }
    throw Error(ErrorKind::kInternal, "unknown filter node");
  }

 private:
  // Text compares ignore ASCII case, as marketers type values by hand.
  std::string Collate(const FilterNode& n) const {
    return n.field.type == model::FieldType::kInteger ? "" : " COLLATE NOCASE";
  }

  std::string Column(const model::FieldRef& f) {
    std::string table = f.entity == Entity::kContact ? "c" : "a";
    if (f.custom) {
      // Attribute names come from CSV headers through the segment checker; only
      // identifier characters may reach the JSON path literal.
      for (char ch : f.name)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-'))
          throw Error(ErrorKind::kUsage, "attribute name '" + f.name + "' is not an identifier");
      return "json_extract(" + table + ".attrs, '$.\"" + f.name + "\"')";
    }
    return table + "." + f.name;
  }

  std::string Param(const model::FilterValue& v) {
    out_.params.push_back(v);
    return "?";
  }

  bool IsDomain(const FilterNode& n) const {
    return !n.field.custom && n.field.entity == Entity::kAccount && n.field.name == "domain";
  }

  std::string Compare(const FilterNode& n) {
    const auto& value = n.values.at(0);
    if (IsDomain(n)) {
      // An account has several domains: "domain = x" means one of them is x,
      // "domain != x" means none of them is.
      bool negate = n.op == CompareOp::kNe;
      std::string op = negate ? "=" : OpText(n.op);
      return std::string(negate ? "NOT " : "") +
             "EXISTS (SELECT 1 FROM account_domains d WHERE d.account_id = a.id AND d.domain " +
             op + " " + Param(value) + " COLLATE NOCASE)";
    }
    std::string col = Column(n.field);
    if (n.op == CompareOp::kNe)  // "not equal" includes contacts where the value is unknown
      return "(" + col + " IS NULL OR " + col + " <> " + Param(value) + Collate(n) + ")";
    return "(" + col + " " + OpText(n.op) + " " + Param(value) + Collate(n) + ")";
  }

  std::string In(const FilterNode& n) {
    bool negate = n.kind == FilterNode::Kind::kNotIn;
    std::string list;
    if (IsDomain(n)) {
      for (std::size_t i = 0; i < n.values.size(); ++i)
        list += (i ? ", " : "") + Param(n.values[i]);
      return std::string(negate ? "NOT " : "") +
             "EXISTS (SELECT 1 FROM account_domains d WHERE d.account_id = a.id AND d.domain "
             "COLLATE NOCASE IN (" +
             list + "))";
    }
    std::string col = Column(n.field);
    for (std::size_t i = 0; i < n.values.size(); ++i) list += (i ? ", " : "") + Param(n.values[i]);
    if (negate) return "(" + col + " IS NULL OR " + col + Collate(n) + " NOT IN (" + list + "))";
    return "(" + col + Collate(n) + " IN (" + list + "))";
  }

  CompiledFilter& out_;
};

}  // namespace

CompiledFilter CompileFilter(const model::ContactFilter& filter) {
  CompiledFilter out;
  if (!filter.root) {
    out.where = "1";
    return out;
  }
  Compiler c(out);
  out.where = c.Node(*filter.root);
  return out;
}

}  // namespace b2bmail::store
