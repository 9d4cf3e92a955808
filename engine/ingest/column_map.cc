#include "column_map.h"

#include <array>

#include "b2bmail/base/strings.h"

namespace b2bmail::ingest {
namespace {

constexpr std::array<std::string_view, kAccountFieldCount> kAccountNames = {
    "id",       "name",  "domains", "industry",    "employees",    "country",
    "timezone", "stage", "tier",    "buying_step", "purchase_type"};
constexpr std::array<std::string_view, kContactFieldCount> kContactNames = {
    "email",      "first_name", "last_name", "title",    "account_id", "role",        "seniority",
    "department", "language",   "country",   "timezone", "consent",    "unsubscribed"};
constexpr std::array<std::string_view, kEventFieldCount> kEventNames = {
    "email", "type", "at", "campaign", "bot", "detail", "value"};

std::span<const std::string_view> NamesOf(ImportKind kind) {
  switch (kind) {
    case ImportKind::kAccounts:
      return kAccountNames;
    case ImportKind::kContacts:
      return kContactNames;
    case ImportKind::kEvents:
      return kEventNames;
  }
  return kAccountNames;
}

std::vector<int> RequiredOf(ImportKind kind) {
  switch (kind) {
    case ImportKind::kAccounts:
      return {kAccountId};
    case ImportKind::kContacts:
      return {kContactEmail};
    case ImportKind::kEvents:
      return {kEventEmail, kEventType, kEventAt};
  }
  return {};
}

}  // namespace

std::string_view ColumnMap::Cell(std::span<const std::string> fields, int field) const {
  int i = index(field);
  if (i < 0) return {};
  return base::Trim(fields[static_cast<std::size_t>(i)]);
}

ColumnMap ResolveHeader(ImportKind kind, const CsvRecord& header, const std::string& file,
                        base::Diagnostics& diagnostics) {
  ColumnMap map;
  map.names_ = NamesOf(kind);
  map.index_.assign(map.names_.size(), -1);
  map.width_ = header.size;
  const int line = static_cast<int>(header.line);
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < header.size; ++i) {
    const int column = static_cast<int>(i + 1);
    std::string name = base::AsciiLower(base::Trim(header.fields[i]));
    if (name.empty()) {
      diagnostics.Error(file, {line, column}, "empty-column-name",
                        "column " + std::to_string(column) +
                            " of the header has no name; name it or delete the column");
      seen.push_back(name);
      continue;
    }
    for (std::size_t k = 0; k < seen.size(); ++k) {
      if (seen[k] == name) {
        diagnostics.Error(file, {line, column}, "duplicate-column",
                          "column '" + name + "' appears twice (columns " + std::to_string(k + 1) +
                              " and " + std::to_string(column) + ")");
        break;
      }
    }
    seen.push_back(name);
    bool known = false;
    for (std::size_t f = 0; f < map.names_.size(); ++f) {
      if (map.names_[f] == name) {
        if (map.index_[f] < 0) map.index_[f] = static_cast<int>(i);
        known = true;
      }
    }
    if (known) continue;
    if (kind == ImportKind::kEvents) {
      diagnostics.Warning(file, {line, column}, "unknown-column",
                          "column '" + name +
                              "' is not an event column and is ignored (event columns: " +
                              base::Join({map.names_.begin(), map.names_.end()}, ", ") + ")");
    } else {
      map.custom_.push_back({i, std::move(name)});
    }
  }
  for (int required : RequiredOf(kind)) {
    if (map.has(required)) continue;
    std::string_view name = map.names_[static_cast<std::size_t>(required)];
    std::string message = "the header has no '" + std::string(name) + "' column, which " +
                          std::string(ToString(kind)) + " files need";
    // A near miss ("e-mail", "Email Address") deserves a pointer.
    for (std::size_t i = 0; i < header.size; ++i) {
      std::string have = base::AsciiLower(base::Trim(header.fields[i]));
      if (!have.empty() && have != name &&
          (base::EditDistance(have, name) <= 2 || have.find(name) != std::string::npos)) {
        message += " (column " + std::to_string(i + 1) + " is '" + have + "')";
        break;
      }
    }
    diagnostics.Error(file, {line, 0}, "missing-column", message);
  }
  return map;
}

}  // namespace b2bmail::ingest
