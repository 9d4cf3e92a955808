#pragma once
// A buffered CSV file for the benchmark generators (bench/*_generate.cc): RFC 4180
// fields, quoted when needed; exits with a message when the file cannot be written
// (a generator has no one to report to).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace b2bmail::bench {

// Appends one RFC 4180 field, quoted when it holds a comma, a quote or a line end.
inline void AppendCsvField(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

class CsvOut {
 public:
  explicit CsvOut(const std::string& path) : f_(std::fopen(path.c_str(), "wb")), path_(path) {
    if (!f_) {
      std::perror(path.c_str());
      std::exit(1);
    }
  }
  ~CsvOut() {
    Flush();
    std::fclose(f_);
  }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;

  CsvOut& Field(std::string_view v) {
    if (!first_) buf_.push_back(',');
    first_ = false;
    AppendCsvField(buf_, v);
    return *this;
  }
  CsvOut& Field(std::int64_t v) { return Field(std::string_view(std::to_string(v))); }
  // Ends the row.
  void End() {
    buf_.push_back('\n');
    first_ = true;
    ++rows_;
    if (buf_.size() > (1 << 20)) Flush();
  }
  // Text written as it is (a SQL script, a comment).
  void Raw(std::string_view s) { buf_.append(s); }
  long rows() const { return rows_; }

 private:
  void Flush() {
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror(path_.c_str());
      std::exit(1);
    }
    buf_.clear();
  }
  std::FILE* f_;
  std::string path_;
  std::string buf_;
  bool first_ = true;
  long rows_ = 0;
};

}  // namespace b2bmail::bench
