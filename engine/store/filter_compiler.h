#pragma once
// Turns a model::ContactFilter into a SQLite WHERE fragment over `contacts c`
// LEFT JOIN `accounts a`. Values are never spliced into the text: each becomes a
// positional parameter, returned in order.

#include <string>
#include <vector>

#include "b2bmail/model/contact_filter.h"

namespace b2bmail::store {

struct CompiledFilter {
  std::string where;  // boolean SQL expression; "1" when there is no filter
  std::vector<model::FilterValue> params;
};

CompiledFilter CompileFilter(const model::ContactFilter& filter);

}  // namespace b2bmail::store
