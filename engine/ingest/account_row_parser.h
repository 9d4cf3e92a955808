#pragma once

#include <span>
#include <string>
#include <vector>

#include "b2bmail/model/account.h"
#include "b2bmail/store/database.h"
#include "column_map.h"
#include "row_problems.h"

namespace b2bmail::ingest {

// Turns the cells of an accounts file into model::Account values, one batch at a time.
// Owns the batch so that its strings keep their allocations from batch to batch.
// Not thread-safe.
class AccountRowParser {
 public:
  explicit AccountRowParser(const ColumnMap& columns);

  // Validates one row into batch slot `slot` (slots are filled 0, 1, ...). Returns the
  // problems, empty when the row is valid. REQUIRES: fields.size() >= columns.width().
  const RowProblems& Parse(std::span<const std::string> fields, std::size_t slot);
  // Upserts slots [0, count) in one call; one result per slot.
  std::vector<store::RowResult> Store(store::Database& db, std::size_t count);

 private:
  const ColumnMap& columns_;
  store::AccountColumns present_;
  std::vector<model::Account> rows_;
  RowProblems problems_;
};

}  // namespace b2bmail::ingest
