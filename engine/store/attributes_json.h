#pragma once
// Reads the `attrs` column: a flat JSON object of strings, written by the store
// itself. Parsed in C++ because exporting a segment reads it for every row, and a
// json_each query per row cost more than the rest of the export.

#include <optional>
#include <string_view>

#include "b2bmail/model/account.h"

namespace b2bmail::store {

// The key/value pairs in document order; nullopt when `json` is not a flat object
// of strings (the caller then treats the column as corrupt).
std::optional<model::Attributes> ParseAttributesJson(std::string_view json);

}  // namespace b2bmail::store
