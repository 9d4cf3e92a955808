#pragma once
// Which header column holds which field of an import file, and which columns are
// custom attributes: resolved once from the header row, then used for every row.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/ingest/csv_reader.h"
#include "b2bmail/ingest/importer.h"

namespace b2bmail::ingest {

// Known columns, by kind; the values index ColumnMap::index.
enum AccountField : int {
  kAccountId,
  kAccountName,
  kAccountDomains,
  kAccountIndustry,
  kAccountEmployees,
  kAccountCountry,
  kAccountTimezone,
  kAccountStage,
  kAccountTier,
  kAccountBuyingStep,
  kAccountPurchaseType,
  kAccountFieldCount
};
enum ContactField : int {
  kContactEmail,
  kContactFirstName,
  kContactLastName,
  kContactTitle,
  kContactAccountId,
  kContactRole,
  kContactSeniority,
  kContactDepartment,
  kContactLanguage,
  kContactCountry,
  kContactTimezone,
  kContactConsent,
  kContactUnsubscribed,
  kContactFieldCount
};
enum EventField : int {
  kEventEmail,
  kEventType,
  kEventAt,
  kEventCampaign,
  kEventBot,
  kEventDetail,
  kEventValue,
  kEventFieldCount
};

struct CustomColumn {
  std::size_t index = 0;  // 0-based header position
  std::string name;       // attribute name: the header name, trimmed and lower-cased
};

// A resolved header. Immutable after ResolveHeader; thread-compatible.
class ColumnMap {
 public:
  // Header position of known field `field`, or -1 when the file has no such column.
  int index(int field) const { return index_[static_cast<std::size_t>(field)]; }
  bool has(int field) const { return index(field) >= 0; }
  // Name of a known field, as written in headers ("buying_step").
  std::string_view name(int field) const { return names_[static_cast<std::size_t>(field)]; }
  const std::vector<CustomColumn>& custom() const { return custom_; }
  std::size_t width() const { return width_; }

  // The trimmed cell of `field` in `fields`, or "" when the column is absent.
  // REQUIRES: fields.size() >= width().
  std::string_view Cell(std::span<const std::string> fields, int field) const;

 private:
  friend ColumnMap ResolveHeader(ImportKind, const CsvRecord&, const std::string&,
                                 base::Diagnostics&);
  std::vector<int> index_;
  std::span<const std::string_view> names_;
  std::vector<CustomColumn> custom_;
  std::size_t width_ = 0;
};

// Matches the header record against the kind's columns. Reports, at line 1 with the
// 1-based column: empty or duplicate names, missing required columns (column 0), and,
// for events, unknown columns (a warning: they are ignored). The header is unusable when
// `diagnostics` has errors afterwards.
ColumnMap ResolveHeader(ImportKind kind, const CsvRecord& header, const std::string& file,
                        base::Diagnostics& diagnostics);

}  // namespace b2bmail::ingest
