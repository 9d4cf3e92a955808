#pragma once
// What every CSV import shares (importer.cc, suppression_csv.cc): checking the file's
// first record, and the reason a malformed row is rejected with.

#include <span>
#include <string>
#include <string_view>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/ingest/csv_reader.h"

namespace b2bmail::ingest {

// Reads the file's first record (its header row) into `record`. An empty file, a
// UTF-16 one and a malformed record are errors in `diagnostics` (codes empty-file,
// not-utf8, malformed-header), and then it returns false. `needs` ends "the file is
// empty; it needs ..." ("a header row naming its columns").
bool ReadFirstRecord(CsvReader& reader, CsvRecord& record, const std::string& path,
                     std::string_view needs, base::Diagnostics& diagnostics);

// "line 7: malformed CSV in column 2 (email): <error>; the raw line is in the first
// column", or "line 9: 3 fields but the header has 14; ..." for a record of another
// width than `header`. REQUIRES: record.error is set or record.size != header.size().
std::string MalformedRowReason(const CsvRecord& record, std::span<const std::string> header);

}  // namespace b2bmail::ingest
