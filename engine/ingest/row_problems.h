#pragma once
// Collects what is wrong with one row, so a rejected row lists all its problems at once
// ("seniority 'cxo' is not one of ...; country 'XX' is not ...") and the user fixes the
// row in one go.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "b2bmail/ingest/field_validators.h"
#include "column_map.h"

namespace b2bmail::ingest {

class RowProblems {
 public:
  // Starts a new row; keeps the buffer's allocation.
  void Clear() { text_.clear(); }
  // "<column> '<value>' <problem>", or "<column> <problem>" when the value is empty.
  void Add(std::string_view column, std::string_view value, std::string_view problem) {
    if (!text_.empty()) text_ += "; ";
    text_ += column;
    if (!value.empty()) text_ += " " + QuoteForMessage(value);
    text_ += " ";
    text_ += problem;
  }
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Reads an optional enum cell: empty means unknown; anything else must be a name of E.
template <typename E>
void ParseEnum(const ColumnMap& columns, std::span<const std::string> fields, int field,
               std::optional<E>& out, RowProblems& problems) {
  std::string_view text = columns.Cell(fields, field);
  out.reset();
  if (text.empty()) return;
  auto v = CheckEnum<E>(text);
  if (v.ok())
    out = v.value;
  else
    problems.Add(columns.name(field), text, v.problem);
}

}  // namespace b2bmail::ingest
