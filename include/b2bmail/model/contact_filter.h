#pragma once
// A contact selection as a plain value: what a segment file's `where` clause means,
// independent of any database. The segment module builds it from text (with
// diagnostics); the store turns it into a query (with bound parameters only).

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/model/field.h"

namespace b2bmail::model {

// A literal from a segment file. Enum values are kept as their canonical names.
using FilterValue = std::variant<std::string, std::int64_t, double, bool>;

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterNode;
using FilterNodePtr = std::shared_ptr<const FilterNode>;

// One node of the expression tree. Invariants by kind:
//  kAnd/kOr: two or more children; kNot: one child;
//  kCompare: field + op + values.size()==1; kIn/kNotIn: field + values.size()>=1.
struct FilterNode {
  enum class Kind { kAnd, kOr, kNot, kCompare, kIn, kNotIn };
  Kind kind = Kind::kAnd;
  std::vector<FilterNodePtr> children;
  FieldRef field;
  CompareOp op = CompareOp::kEq;
  std::vector<FilterValue> values;
};

// Selects mailable contacts for which `root` holds (no root: every mailable contact).
// `now` is the evaluation time (suppression expiry, and time windows later).
struct ContactFilter {
  FilterNodePtr root;
  base::TimePoint now{};
};

}  // namespace b2bmail::model
