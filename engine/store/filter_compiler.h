#pragma once
// Turns a model::ContactFilter into one SQLite query. Values are never spliced into
// the text: each literal (and every attribute path) becomes a numbered `?N`
// parameter; params[i] binds to ?(i+1). docs/segments.md states the semantics compiled here.

#include <string>
#include <vector>

#include "b2bmail/model/contact_filter.h"

namespace b2bmail::store {

struct CompiledStatement {
  std::string sql;
  std::vector<model::FilterValue> params;
};

struct CompiledFilter {
  // Run first, in order: they create and fill `temp_tables` (excluded segments, and
  // named segments that cannot be inlined), which `select` reads.
  std::vector<CompiledStatement> setup;
  std::vector<std::string> temp_tables;  // to drop afterwards
  // SELECT id, account_id, email: one row per selected contact, in no order; or, when
  // rows_selected, the caller's select list in email order.
  std::string select;
  std::vector<model::FilterValue> params;
  bool rows_selected = false;
};

// `rows`: a select list over `c` (the contact) and `a` (its account) that the caller
// would rather have than ids. Used when the filter has no cap or sample (those rank
// the selection first); check rows_selected.
CompiledFilter CompileFilter(const model::ContactFilter& filter, const std::string& rows = "");

// SQL functions the compiled text calls; SqliteDatabase registers them.
inline constexpr const char* kSampleKeyFunction = "b2b_sample_key";  // (seed, email) -> int
inline constexpr const char* kNumberFunction = "b2b_number";         // (text) -> real or NULL

}  // namespace b2bmail::store
