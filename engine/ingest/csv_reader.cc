#include "b2bmail/ingest/csv_reader.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"

namespace b2bmail::ingest {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path, int err) {
  throw Error(ErrorKind::kIo, what + " " + path + ": " + std::strerror(err));
}

// Byte offset of the first invalid UTF-8 sequence or NUL in `s`, or npos.
std::size_t FindBadByte(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Most fields are ASCII: skip them without the decoder.
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80 && s[i] != '\0') ++i;
    if (i == s.size()) return std::string_view::npos;
    if (s[i] == '\0') return i;
    std::size_t start = i;
    while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80) ++i;
    if (!base::IsValidUtf8(s.substr(start, i - start))) return start;
  }
  return std::string_view::npos;
}

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

}  // namespace

CsvReader::CsvReader(const std::string& path, CsvReaderOptions options)
    : path_(path), options_(options) {
  if (options_.chunk_bytes == 0) options_.chunk_bytes = 1;
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) ThrowIo("cannot open", path, errno);
  struct stat st {};
  if (fstat(fileno(file_), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      std::fclose(file_);
      file_ = nullptr;
      ThrowIo("cannot read", path, EISDIR);
    }
    if (S_ISREG(st.st_mode)) size_ = static_cast<std::uint64_t>(st.st_size);
  }
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

bool CsvReader::Fill(std::size_t& keep_from) {
  if (eof_) return false;
  if (keep_from > 0) {
    // Only the record being parsed is kept, so the buffer stays about one chunk.
    std::memmove(buffer_.data(), buffer_.data() + keep_from, end_ - keep_from);
    end_ -= keep_from;
    pos_ -= keep_from;
    buffer_offset_ += keep_from;
    keep_from = 0;
  }
  if (buffer_.size() < end_ + options_.chunk_bytes) buffer_.resize(end_ + options_.chunk_bytes);
  std::size_t n = std::fread(buffer_.data() + end_, 1, options_.chunk_bytes, file_);
  if (n == 0) {
    if (std::ferror(file_)) ThrowIo("cannot read", path_, errno ? errno : EIO);
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

void CsvReader::SetError(CsvRecord& record, std::size_t column, std::string message) {
  if (!record.error.empty()) return;  // the first problem is the one to report
  record.error = std::move(message);
  record.error_column = column;
}

bool CsvReader::Next(CsvRecord& record) {
  if (!started_) {
    started_ = true;
    std::size_t keep = pos_;
    while (end_ - pos_ < 3 && Fill(keep)) {
    }
    std::string_view head(buffer_.data() + pos_, end_ - pos_);
    if (head.starts_with("\xEF\xBB\xBF")) {
      pos_ += 3;
    } else if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
      utf16_ = true;
    }
  }
  while (true) {
    switch (ParseRecord(record)) {
      case Scan::kRecord:
        return true;
      case Scan::kEof:
        return false;
      case Scan::kBlank:
        break;
    }
  }
}

// One record, as a small state machine over the buffer. Positions that must survive
// Fill() (which moves the data) are kept relative to `start`.
CsvReader::Scan CsvReader::ParseRecord(CsvRecord& record) {
  std::size_t start = pos_;
  if (pos_ == end_ && !Fill(start)) return Scan::kEof;

  record.size = 0;
  record.error.clear();
  record.error_column = 0;
  record.raw = {};
  record.line = line_;
  // Offset (from start) where the record's first physical line ends, once a quoted
  // field has crossed it: where reading resumes if the quote turns out unterminated.
  std::size_t first_line_end = std::string::npos;
  std::int64_t line_at_first_end = 0;
  bool any_quoted = false;

  auto at_end = [&]() { return pos_ == end_ && !Fill(start); };
  // Consumes the line end at pos_ (LF, CRLF or CR), if any.
  auto consume_line_end = [&]() {
    if (at_end()) return;
    char c = buffer_[pos_];
    if (c == '\n') {
      ++pos_;
      ++line_;
    } else if (c == '\r') {
      ++pos_;
      ++line_;
      if (!at_end() && buffer_[pos_] == '\n') ++pos_;
    }
  };
  // After an error: the rest of the physical line belongs to the broken record.
  auto skip_to_line_end = [&]() {
    while (!at_end() && !IsLineEnd(buffer_[pos_])) ++pos_;
  };
  std::size_t record_end = 0;  // relative to start, set when the record ends
  auto finish = [&]() {
    record_end = pos_ - start;
    consume_line_end();
  };

  while (true) {
    if (record.fields.size() <= record.size) record.fields.emplace_back();
    std::string& field = record.fields[record.size++];
    field.clear();
    const std::size_t column = record.size;

    if (at_end()) {  // a trailing separator at the end of the file: one more empty field
      finish();
      break;
    }
    if (buffer_[pos_] != '"') {
      // Unquoted: copy up to the next separator, line end or (erroneous) quote.
      std::size_t s = pos_;
      while (true) {
        while (pos_ < end_) {
          char c = buffer_[pos_];
          if (c == ',' || c == '\n' || c == '\r' || c == '"') break;
          ++pos_;
        }
        if (pos_ < end_) break;
        field.append(buffer_, s, pos_ - s);
        bool more = Fill(start);
        s = pos_;
        if (!more) break;
      }
      field.append(buffer_, s, pos_ - s);
      if (at_end()) {
        finish();
        break;
      }
      char c = buffer_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      if (c == '"') {
        SetError(record, column,
                 "unexpected '\"' inside an unquoted field (quote the whole field and double "
                 "the quotes inside it)");
        skip_to_line_end();
      }
      finish();
      break;
    }

    // Quoted field.
    any_quoted = true;
    ++pos_;
    bool closed = false;
    while (!closed) {
      std::size_t s = pos_;
      while (pos_ < end_) {
        char c = buffer_[pos_];
        if (c == '"' || c == '\n' || c == '\r') break;
        ++pos_;
      }
      field.append(buffer_, s, pos_ - s);
      if (pos_ == end_) {
        if (!Fill(start)) break;  // end of file inside the quotes
        continue;                 // the chunk ended mid-value: scan on
      }
      char c = buffer_[pos_];
      if (c == '"') {
        ++pos_;
        if (!at_end() && buffer_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          closed = true;
        }
        continue;
      }
      // A line end inside quotes is part of the value.
      if (first_line_end == std::string::npos) {
        first_line_end = pos_ - start;
        line_at_first_end = line_;
      }
      field.push_back(c);
      ++pos_;
      ++line_;
      if (c == '\r' && !at_end() && buffer_[pos_] == '\n') {
        field.push_back('\n');
        ++pos_;
      }
      if (pos_ - start > options_.max_record_bytes) break;
    }
    if (!closed) {
      const bool reached_eof = pos_ == end_ && eof_;
      if (first_line_end != std::string::npos) {
        // Unterminated: give up on this record after its first line and read the
        // following lines afresh, instead of losing everything up to the end.
        pos_ = start + first_line_end;
        line_ = line_at_first_end;
        SetError(record, column,
                 reached_eof ? "quoted field is not closed before the end of the file"
                             : "quoted field is not closed within " +
                                   std::to_string(options_.max_record_bytes) + " bytes");
      } else {
        SetError(record, column, "quoted field is not closed before the end of the file");
      }
      finish();
      break;
    }
    if (at_end()) {
      finish();
      break;
    }
    char c = buffer_[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    if (!IsLineEnd(c)) {
      if (first_line_end != std::string::npos) {
        // The quote that crossed the line end was a stray one: keep the following lines.
        SetError(record, column,
                 "unbalanced quote: the quoted field is not closed on this line (it runs to line " +
                     std::to_string(line_) + ", where '" + c + "' follows a quote)");
        pos_ = start + first_line_end;
        line_ = line_at_first_end;
      } else {
        SetError(
            record, column,
            std::string("unexpected '") + c +
                "' after the closing quote (a quoted field must end at a ',' or the line end)");
        skip_to_line_end();
      }
    }
    finish();
    break;
  }
  if (record.error.empty() && first_line_end != std::string::npos && expected_fields_ != 0 &&
      record.size != expected_fields_) {
    // Balanced quotes, but over several lines and the wrong width: a stray quote that
    // happened to meet another one. Reject only the first line.
    const std::int64_t spanned = line_ - record.line;
    pos_ = start + first_line_end;
    line_ = line_at_first_end;
    SetError(record, 1,
             "a quoted field runs over " + std::to_string(spanned) + " lines into a row of " +
                 std::to_string(record.size) + " fields instead of " +
                 std::to_string(expected_fields_) + " (unbalanced quote?)");
    finish();
  }

  record.raw = std::string_view(buffer_.data() + start, record_end);

  if (!any_quoted && record.size == 1 && base::Trim(record.fields[0]).empty() &&
      record.error.empty())
    return Scan::kBlank;

  if (record.error.empty()) {
    std::size_t bad = FindBadByte(record.raw);
    if (bad != std::string_view::npos) {
      for (std::size_t i = 0; i < record.size; ++i) {
        std::size_t at = FindBadByte(record.fields[i]);
        if (at == std::string_view::npos) continue;
        SetError(record, i + 1,
                 record.fields[i][at] == '\0' ? "contains a NUL byte" : "invalid UTF-8");
        break;
      }
    }
  }
  return Scan::kRecord;
}

void AppendCsvField(std::string& out, std::string_view field) {
  bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ' ||
                                  field.find_first_of(",\"\r\n") != std::string_view::npos);
  if (!quote) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace b2bmail::ingest
