#pragma once

#include <span>
#include <string>
#include <vector>

#include "b2bmail/model/event.h"
#include "b2bmail/store/database.h"
#include "column_map.h"
#include "row_problems.h"

namespace b2bmail::ingest {

// Turns the cells of an events file into model::Event values, one batch at a time.
// Not thread-safe.
class EventRowParser {
 public:
  explicit EventRowParser(const ColumnMap& columns) : columns_(columns) {}

  // Validates one row into batch slot `slot` (slots are filled 0, 1, ...). Returns the
  // problems, empty when the row is valid. REQUIRES: fields.size() >= columns.width().
  const RowProblems& Parse(std::span<const std::string> fields, std::size_t slot);
  // Inserts slots [0, count) with their side effects; one result per slot.
  std::vector<store::RowResult> Store(store::Database& db, std::size_t count);

 private:
  const ColumnMap& columns_;
  std::vector<model::Event> rows_;
  RowProblems problems_;
};

}  // namespace b2bmail::ingest
