#include "import_file.h"

#include "b2bmail/base/strings.h"

namespace b2bmail::ingest {

bool ReadFirstRecord(CsvReader& reader, CsvRecord& record, const std::string& path,
                     std::string_view needs, base::Diagnostics& diagnostics) {
  if (!reader.Next(record)) {
    diagnostics.Error(path, {1, 0}, "empty-file",
                      "the file is empty; it needs " + std::string(needs));
  } else if (reader.utf16()) {
    diagnostics.Error(path, {1, 0}, "not-utf8",
                      "the file is UTF-16; save it as CSV UTF-8 (comma delimited)");
  } else if (!record.error.empty()) {
    diagnostics.Error(path, {static_cast<int>(record.line), static_cast<int>(record.error_column)},
                      "malformed-header", "the header row is not valid CSV: " + record.error);
  } else {
    return true;
  }
  return false;
}

std::string MalformedRowReason(const CsvRecord& record, std::span<const std::string> header) {
  std::string reason = "line " + std::to_string(record.line) + ": ";
  const std::size_t width = header.size();
  if (!record.error.empty()) {
    std::size_t col = record.error_column;
    reason += "malformed CSV in column " + std::to_string(col);
    // The header's name for the column helps find it in a wide file.
    if (col >= 1 && col <= width) reason += " (" + std::string(base::Trim(header[col - 1])) + ")";
    reason += ": " + record.error;
  } else {
    reason += std::to_string(record.size) + (record.size == 1 ? " field" : " fields") +
              " but the header has " + std::to_string(width);
  }
  return reason + "; the raw line is in the first column";
}

}  // namespace b2bmail::ingest
