#pragma once
// A small JSON reader for the notifications some providers mail instead of a DSN
// (Amazon SES through SNS). Only what a bounce reader needs: values as a tree, read in
// one pass, nesting bounded, so that a hostile message costs linear time and bounded
// stack. Lenient where mail transport damages JSON: raw line breaks inside strings.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b2bmail::bounce {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  std::string text;              // kString: decoded UTF-8; kNumber and kBool: as written
  std::vector<JsonValue> items;  // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject, in order

  // The member `key` of an object, or nullptr.
  const JsonValue* Get(std::string_view key) const;
  // The member `key` when it is a string, else empty.
  std::string_view StringAt(std::string_view key) const;
};

// The JSON value that starts at `text` (after blanks); what follows it is ignored.
// nullopt when it is not JSON or nests deeper than 64 levels.
std::optional<JsonValue> ParseJson(std::string_view text);

}  // namespace b2bmail::bounce
