#include "value_checker.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "b2bmail/base/strings.h"

namespace b2bmail::segment {
namespace {

using model::FieldType;

bool IsNumber(const Token& t) {
  return t.kind == TokenKind::kInteger || t.kind == TokenKind::kDecimal;
}
bool IsBool(const Token& t) {
  return t.kind == TokenKind::kWord &&
         (base::EqualsIgnoreCase(t.text, "true") || base::EqualsIgnoreCase(t.text, "false"));
}

// Numbers keep their kind: integers stay exact, decimals are doubles.
std::optional<model::FilterValue> Number(const Token& t) {
  if (t.kind == TokenKind::kInteger) {
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
    if (ec == std::errc() && ptr == t.text.data() + t.text.size()) return n;
    return std::nullopt;
  }
  double d = std::strtod(t.text.c_str(), nullptr);
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

double AsDouble(const model::FilterValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  return 0;
}

bool IsNumeric(const model::FilterValue& v) {
  return std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v);
}

}  // namespace

void ValueChecker::TypeError(const model::FieldRef& field, const Token& v,
                             const std::string& expected) {
  if (v.kind == TokenKind::kEnd || v.kind == TokenKind::kPunct) {
    diags_.Error(file_, v.position, "syntax",
                 "expected a value for " + field.Spelling() + ", found " + Describe(v));
    return;
  }
  diags_.Error(file_, v.position, "type-mismatch",
               field.Spelling() + " compares with " + expected + ", not " + Describe(v));
}

bool ValueChecker::Enum(const model::FieldRef& field, const Token& v,
                        std::vector<model::FilterValue>& out) {
  auto names = model::EnumValuesOf(field.type);
  if (v.kind != TokenKind::kWord && v.kind != TokenKind::kString) {
    TypeError(field, v, "one of its values as a bare word");
    return false;
  }
  std::string lower = base::AsciiLower(v.text);
  if (std::find(names.begin(), names.end(), lower) == names.end()) {
    std::string best = base::Nearest(lower, names);
    std::string list;
    for (auto c : names) list += (list.empty() ? "" : ", ") + std::string(c);
    diags_.Error(file_, v.position, "unknown-value",
                 "'" + v.text + "' is not a " + std::string(field.name) + " (one of " + list + ")" +
                     (best.empty() ? "" : "; did you mean " + best + "?"));
    return false;
  }
  out.emplace_back(lower);
  return true;
}

void ValueChecker::Equality(const model::FieldRef& field, const Token& v,
                            std::vector<model::FilterValue>& out) {
  if (!model::EnumValuesOf(field.type).empty()) {
    Enum(field, v, out);
    return;
  }
  if (field.type == FieldType::kInteger) {
    auto n = IsNumber(v) ? Number(v) : std::nullopt;
    if (n)
      out.push_back(*n);
    else
      TypeError(field, v, "a number");
    return;
  }
  if (v.kind == TokenKind::kString) {
    out.emplace_back(v.text);
    return;
  }
  if (field.custom) {
    // Custom attributes take any literal; its kind says how to compare.
    if (IsNumber(v)) {
      if (auto n = Number(v)) {
        out.push_back(*n);
        return;
      }
    } else if (v.kind == TokenKind::kDate) {
      out.emplace_back(v.text);
      return;
    } else if (IsBool(v)) {
      out.emplace_back(base::EqualsIgnoreCase(v.text, "true"));
      return;
    }
    TypeError(field, v, "text in double quotes, a number, a date or true/false");
    return;
  }
  TypeError(field, v, "text in double quotes");
}

void ValueChecker::Ordered(const model::FieldRef& field, const Token& v,
                           std::vector<model::FilterValue>& out) {
  if (field.custom && IsBool(v)) {
    diags_.Error(file_, v.position, "type-mismatch",
                 "true and false have no order; use = or != with " + field.Spelling());
    return;
  }
  Equality(field, v, out);
}

void ValueChecker::Matchable(const model::FieldRef& field, const Token& op, const Token& v,
                             std::vector<model::FilterValue>& out) {
  if (field.type != FieldType::kText) {
    diags_.Error(file_, op.position, "type-mismatch",
                 "'" + op.text + "' works on text fields; " + field.Spelling() +
                     (field.type == FieldType::kInteger ? " is a number" : " is an enum (use in)"));
    return;
  }
  out.emplace_back(v.text);
}

model::FilterNodePtr ValueChecker::LowerOrdering(const model::FieldRef& field, const Token& op,
                                                 std::shared_ptr<model::FilterNode> n) {
  if (model::EnumValuesOf(field.type).empty()) return n;
  int rank = *model::EnumRank(field.type, std::get<std::string>(n->values[0]));
  std::vector<model::FilterValue> admitted;
  for (auto name : model::EnumValuesOf(field.type)) {
    int r = *model::EnumRank(field.type, name);
    bool keep = n->op == model::CompareOp::kLt   ? r < rank
                : n->op == model::CompareOp::kLe ? r <= rank
                : n->op == model::CompareOp::kGt ? r > rank
                                                 : r >= rank;
    if (keep) admitted.emplace_back(std::string(name));
  }
  // An ordering that admits no value is always false: surely a mistake.
  if (admitted.empty())
    diags_.Error(file_, op.position, "empty-range",
                 "'" + op.text + " " + std::get<std::string>(n->values[0]) +
                     "' selects nothing: no " + field.name + " is " +
                     (n->op == model::CompareOp::kLt ? "below" : "above") + " it");
  n->kind = model::FilterNode::Kind::kIn;
  n->values = std::move(admitted);
  return n;
}

model::FilterNodePtr ValueChecker::LowerRange(const model::FieldRef& field, const Token& op,
                                              std::shared_ptr<model::FilterNode> n) {
  const auto& low = n->values[0];
  const auto& high = n->values[1];
  bool empty = false;
  if (!model::EnumValuesOf(field.type).empty()) {
    int lo = *model::EnumRank(field.type, std::get<std::string>(low));
    int hi = *model::EnumRank(field.type, std::get<std::string>(high));
    empty = lo > hi;
    if (!empty) {
      std::vector<model::FilterValue> admitted;
      for (auto name : model::EnumValuesOf(field.type)) {
        int r = *model::EnumRank(field.type, name);
        if (r >= lo && r <= hi) admitted.emplace_back(std::string(name));
      }
      n->kind = model::FilterNode::Kind::kIn;
      n->values = std::move(admitted);
    }
  } else if (IsNumeric(low) != IsNumeric(high)) {
    diags_.Error(file_, op.position, "type-mismatch",
                 "both ends of 'between' must be numbers, or both text or dates");
    return n;
  } else if (IsNumeric(low)) {
    empty = AsDouble(low) > AsDouble(high);
  } else {
    empty = base::AsciiLower(std::get<std::string>(low)) >
            base::AsciiLower(std::get<std::string>(high));
  }
  if (empty)
    diags_.Error(file_, op.position, "empty-range",
                 "'between' selects nothing: the first end is above the second");
  return n;
}

}  // namespace b2bmail::segment
