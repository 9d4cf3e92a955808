#include "b2bmail/ingest/reject_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "b2bmail/base/error.h"
#include "b2bmail/ingest/csv_reader.h"

namespace b2bmail::ingest {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path, int err) {
  throw Error(ErrorKind::kIo, what + " " + path + ": " + std::strerror(err));
}

}  // namespace

RejectWriter::RejectWriter(std::string path, std::vector<std::string> header)
    : path_(std::move(path)), header_(std::move(header)) {}

RejectWriter::~RejectWriter() {
  if (file_) std::fclose(file_);
}

void RejectWriter::Open() {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) ThrowIo("cannot write rejects file", path_, errno);
  buffer_.clear();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (i) buffer_.push_back(',');
    AppendCsvField(buffer_, header_[i]);
  }
  buffer_ += header_.empty() ? "line,reason\n" : ",line,reason\n";
}

void RejectWriter::Emit(std::int64_t line, std::string_view reason) {
  if (!header_.empty()) buffer_.push_back(',');
  buffer_ += std::to_string(line);
  buffer_.push_back(',');
  AppendCsvField(buffer_, reason);
  buffer_.push_back('\n');
  ++rows_;
  if (buffer_.size() >= (1 << 16)) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      ThrowIo("cannot write rejects file", path_, errno);
    buffer_.clear();
  }
}

void RejectWriter::WriteFields(std::span<const std::string> fields, std::int64_t line,
                               std::string_view reason) {
  if (!file_) Open();
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (i) buffer_.push_back(',');
    if (i < fields.size()) AppendCsvField(buffer_, fields[i]);
  }
  Emit(line, reason);
}

void RejectWriter::WriteRaw(std::string_view raw, std::int64_t line, std::string_view reason) {
  if (!file_) Open();
  // Always quoted, even when it needs no quoting, so that an empty first field and a
  // raw line are told apart at a glance; the bytes themselves are kept as they were.
  buffer_.push_back('"');
  for (char c : raw) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.push_back('"');
  for (std::size_t i = 1; i < header_.size(); ++i) buffer_.push_back(',');
  Emit(line, reason);
}

void RejectWriter::Finish() {
  if (!file_) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    if (ec) ThrowIo("cannot remove stale rejects file", path_, ec.value());
    return;
  }
  bool ok = std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
  int err = errno;
  buffer_.clear();
  ok = std::fclose(file_) == 0 && ok;
  if (!ok) err = errno;
  file_ = nullptr;
  if (!ok) ThrowIo("cannot write rejects file", path_, err);
}

}  // namespace b2bmail::ingest
