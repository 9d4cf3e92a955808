#include "named_queries.h"

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "embedded_file.h"

namespace b2bmail::store {

std::unordered_map<std::string, std::string> NamedQueries::Parse(std::string_view text) {
  std::unordered_map<std::string, std::string> out;
  std::string current;
  std::string body;
  auto flush = [&] {
    if (!current.empty()) out[current] = std::string(base::Trim(body));
    body.clear();
  };
  for (auto line : base::Split(text, '\n')) {
    auto trimmed = base::Trim(line);
    constexpr std::string_view kMarker = "-- name:";
    if (trimmed.starts_with(kMarker)) {
      flush();
      current = std::string(base::Trim(trimmed.substr(kMarker.size())));
      continue;
    }
    if (trimmed.starts_with("--")) continue;  // comments between blocks
    body.append(line).push_back('\n');
  }
  flush();
  return out;
}

const NamedQueries& NamedQueries::Instance() {
  static const NamedQueries instance = [] {
    NamedQueries q;
    for (std::size_t i = 0; i < kNamedSqlCount; ++i)
      for (auto& [name, sql] : Parse(kNamedSql[i].text)) q.queries_[name] = sql;
    return q;
  }();
  return instance;
}

std::string_view NamedQueries::Get(std::string_view name) const {
  auto it = queries_.find(std::string(name));
  if (it == queries_.end())
    throw Error(ErrorKind::kInternal, "no named query '" + std::string(name) + "'");
  return it->second;
}

}  // namespace b2bmail::store
