#pragma once
// The `-- name: <id>` blocks of engine/store/sql/*.sql, looked up by id.

#include <string>
#include <string_view>
#include <unordered_map>

namespace b2bmail::store {

class NamedQueries {
 public:
  // Parses every embedded SQL file once (thread-safe static).
  static const NamedQueries& Instance();
  // REQUIRES: `name` exists (a missing name is a bug: throws Error{kInternal}).
  std::string_view Get(std::string_view name) const;

  // Splits one file's text into its named blocks.
  static std::unordered_map<std::string, std::string> Parse(std::string_view text);

 private:
  std::unordered_map<std::string, std::string> queries_;
};

}  // namespace b2bmail::store
