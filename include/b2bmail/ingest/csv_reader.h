#pragma once
// A streaming reader for RFC 4180 CSV files (https://www.rfc-editor.org/rfc/rfc4180,
// section 2), as exported by spreadsheets and CRMs, with the recovery an import needs:
// a malformed record is returned with an error and its raw text, and reading goes on
// at the next line, so one broken row never swallows the rest of the file.
//
// Accepted beyond the letter of RFC 4180: a UTF-8 byte order mark at the start of the
// file (skipped), LF and lone CR line ends as well as CRLF, a last line without a line
// end, and blank lines (skipped). Quoted fields may contain separators, doubled quotes
// and line ends.
//
// Errors in a record (CsvRecord::error): a quote inside an unquoted field, characters
// after a closing quote, a quoted field not closed before the end of the file (or
// within max_record_bytes), invalid UTF-8 and NUL bytes. The reader does not know
// how many fields a record should have; callers compare with their header.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::ingest {

struct CsvReaderOptions {
  // Bytes read from the file at a time; memory use is about this plus the longest record.
  std::size_t chunk_bytes = 1 << 20;
  // A quoted field that crosses a line end and is still open after this many bytes of
  // the record is taken as an unterminated quote: the record is reported malformed and
  // reading resumes after its first line. Bounds memory and the cost of re-reading.
  std::size_t max_record_bytes = 1 << 20;
};

// One record. Reuse the same object across calls to avoid allocations.
struct CsvRecord {
  // Decoded fields (quotes removed, doubled quotes undone). When `error` is set they
  // hold whatever could be decoded and must not be trusted.
  std::vector<std::string> fields;
  // Number of valid entries in `fields` (the vector keeps spare strings for reuse).
  std::size_t size = 0;
  // Physical 1-based line of the file where the record starts.
  std::int64_t line = 0;
  // The record's bytes exactly as in the file, without its final line end. For a record
  // with an unterminated quote this is only its first line.
  std::string_view raw;
  // Empty for a well-formed record; otherwise what is wrong, e.g.
  // "unexpected '\"' inside an unquoted field", and the 1-based field it is in.
  std::string error;
  std::size_t error_column = 0;

  std::string_view operator[](std::size_t i) const { return fields[i]; }
};

// Reads records from a file in chunks. Not thread-safe; one reader per file.
class CsvReader {
 public:
  // Opens `path` for reading. Throws Error{kIo} when it cannot be opened.
  explicit CsvReader(const std::string& path, CsvReaderOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank record into `record`; false at the end of the file.
  // `record.raw` stays valid until the next call. Throws Error{kIo} on a read error.
  bool Next(CsvRecord& record);

  // Size of the file in bytes when it was opened (0 if unknown, e.g. a pipe).
  std::uint64_t size() const { return size_; }
  // Bytes of the file consumed by the records returned so far.
  std::uint64_t bytes_done() const { return buffer_offset_ + pos_; }
  // True when the file started with a UTF-16 byte order mark (it is not UTF-8; the
  // records are then garbage and the caller should refuse the file).
  bool utf16() const { return utf16_; }

  // The number of fields a good record has (the header's width), 0 when unknown.
  // A record whose quoted field spans lines and that then turns out malformed, or has
  // another width, is almost always a stray quote: it is reported malformed and
  // reading resumes after its first line, so the lines it swallowed are read afresh.
  void set_expected_fields(std::size_t n) { expected_fields_ = n; }

 private:
  enum class Scan { kRecord, kBlank, kEof };
  // Makes at least one more byte available at buffer_[end_]; false at end of file.
  // Keeps everything from `keep_from` on; may move it, so positions are relative.
  bool Fill(std::size_t& keep_from);
  Scan ParseRecord(CsvRecord& record);
  void SetError(CsvRecord& record, std::size_t column, std::string message);

  std::string path_;
  CsvReaderOptions options_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool utf16_ = false;
  std::string buffer_;
  std::size_t pos_ = 0;              // next unread byte in buffer_
  std::size_t end_ = 0;              // bytes of buffer_ holding file data
  std::uint64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  std::int64_t line_ = 1;            // physical line of buffer_[pos_]
  std::size_t expected_fields_ = 0;
};

// Appends `field` to `out` as one CSV field, quoted when it contains a separator, a
// quote, a line end or leading/trailing spaces (RFC 4180 section 2, rules 6 and 7).
void AppendCsvField(std::string& out, std::string_view field);

}  // namespace b2bmail::ingest
