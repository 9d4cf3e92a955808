#pragma once
// Writes selected contacts as CSV or JSON lines for `segment export`
// (docs/segments.md lists the columns).

#include <ostream>
#include <string>

#include "b2bmail/store/database.h"

namespace b2bmail::cli {

enum class ExportFormat { kCsv, kJsonLines };

class RecipientWriter {
 public:
  RecipientWriter(std::ostream& out, ExportFormat format);
  ~RecipientWriter();  // flushes
  void Write(const store::Recipient& r);

 private:
  void Flush();
  std::ostream& out_;
  ExportFormat format_;
  std::string buffer_;
};

}  // namespace b2bmail::cli
