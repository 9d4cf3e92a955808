#pragma once
// The rejects file of an import (`<FILE>.rejects.csv`): every row that was not imported,
// so that nothing is lost and the user can fix and re-import them.
//
// Layout (RFC 4180 CSV, UTF-8, LF line ends): the header row of the original file plus
// two columns, `line` (the physical 1-based line where the row starts in the original
// file) and `reason` (e.g. "line 17: seniority 'cxo' is not one of c_level, ...").
// A row that was valid CSV is written with its original fields. A row whose CSV is
// malformed (broken quoting, wrong number of fields, invalid UTF-8) cannot be split
// into fields reliably, so its raw text, byte for byte and without its line end, is
// written as the first field, the other original columns are left empty, and its
// reason says so ("...; the raw line is in the first column").

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::ingest {

// Writes a rejects file lazily: nothing is created until the first rejected row.
// Not thread-safe.
class RejectWriter {
 public:
  // `header`: the original file's header fields.
  RejectWriter(std::string path, std::vector<std::string> header);
  ~RejectWriter();
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;

  // A row that was valid CSV. Missing fields are written empty, extra ones dropped
  // (callers pass exactly the header's number). Throws Error{kIo}.
  void WriteFields(std::span<const std::string> fields, std::int64_t line, std::string_view reason);
  // A malformed row: `raw` goes into the first column. Throws Error{kIo}.
  void WriteRaw(std::string_view raw, std::int64_t line, std::string_view reason);

  // Flushes and closes the file. When no row was rejected, removes a rejects file left
  // by an earlier run (it would describe another import). Throws Error{kIo}.
  void Finish();

  std::int64_t rows() const { return rows_; }
  const std::string& path() const { return path_; }

 private:
  void Open();
  void Emit(std::int64_t line, std::string_view reason);

  std::string path_;
  std::vector<std::string> header_;
  std::FILE* file_ = nullptr;
  std::int64_t rows_ = 0;
  std::string buffer_;
};

}  // namespace b2bmail::ingest
