#pragma once
// Checks the values a segment compares a field with: types, enum names (with
// suggestions), ranges; and lowers enum orderings to lists, since an enum's order
// is a property of the language, not of any store.

#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/model/contact_filter.h"
#include "token.h"

namespace b2bmail::segment {

class ValueChecker {
 public:
  ValueChecker(const std::string& file, base::Diagnostics& diags) : file_(file), diags_(diags) {}

  // A value for =, != and in (...): appended to `out`, or a diagnostic.
  void Equality(const model::FieldRef& field, const Token& value,
                std::vector<model::FilterValue>& out);
  // A value for <, <=, >, >= and between.
  void Ordered(const model::FieldRef& field, const Token& value,
               std::vector<model::FilterValue>& out);
  // The text of contains / starts with / ends with.
  void Matchable(const model::FieldRef& field, const Token& op, const Token& value,
                 std::vector<model::FilterValue>& out);

  // An ordering on an enum becomes `in (...)` of the values it admits.
  model::FilterNodePtr LowerOrdering(const model::FieldRef& field, const Token& op,
                                     std::shared_ptr<model::FilterNode> node);
  // `between` on an enum becomes `in (...)`; an empty range is an error.
  model::FilterNodePtr LowerRange(const model::FieldRef& field, const Token& op,
                                  std::shared_ptr<model::FilterNode> node);

 private:
  bool Enum(const model::FieldRef& field, const Token& value, std::vector<model::FilterValue>& out);
  void TypeError(const model::FieldRef& field, const Token& value, const std::string& expected);

  const std::string& file_;
  base::Diagnostics& diags_;
};

}  // namespace b2bmail::segment
