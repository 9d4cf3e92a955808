#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "b2bmail/model/contact.h"
#include "b2bmail/store/database.h"
#include "column_map.h"
#include "row_problems.h"

namespace b2bmail::ingest {

// Turns the cells of a contacts file into model::Contact values, one batch at a time,
// checking account ids and filling missing ones from the account directory.
// Owns the batch so that its strings keep their allocations. Not thread-safe.
class ContactRowParser {
 public:
  // `directory`: the accounts as they were when the import started; must outlive this.
  ContactRowParser(const ColumnMap& columns, const store::AccountDirectory& directory);

  // Validates one row into batch slot `slot` (slots are filled 0, 1, ...). Returns the
  // problems, empty when the row is valid. REQUIRES: fields.size() >= columns.width().
  const RowProblems& Parse(std::span<const std::string> fields, std::size_t slot);
  // Upserts slots [0, count); one result per slot, in slot order.
  std::vector<store::RowResult> Store(store::Database& db, std::size_t count);

 private:
  // The account owning `domain` or one of its parent domains; nullptr when none.
  const std::string* AccountForDomain(std::string_view domain);
  // Which columns a row may overwrite: the header's, adjusted per row (see Store).
  store::ContactColumns ColumnsFor(std::uint8_t key) const;

  const ColumnMap& columns_;
  const store::AccountDirectory& directory_;
  store::ContactColumns present_;
  std::vector<model::Contact> rows_;
  // Per slot: bit 0 = the row sets consent, bit 1 = the row sets account_id.
  std::vector<std::uint8_t> keys_;
  RowProblems problems_;
  std::string domain_key_;  // reused lookup key
};

}  // namespace b2bmail::ingest
