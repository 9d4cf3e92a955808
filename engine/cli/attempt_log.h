#pragma once
// The delivery attempt log: one JSON object per line, appended, one per recorded
// attempt, so that `jq`, a log shipper or a later report can read what happened to
// every message without asking the database.

#include <cstdio>
#include <string>

#include "b2bmail/smtp/delivery_engine.h"

namespace b2bmail::cli {

class AttemptLog {
 public:
  // Appends to `path` (its folder is created); throws Error{kIo}. Empty path: no log.
  explicit AttemptLog(const std::string& path);
  ~AttemptLog();
  AttemptLog(const AttemptLog&) = delete;
  AttemptLog& operator=(const AttemptLog&) = delete;

  void Write(const smtp::AttemptLogEntry& entry);
  // Flushes to the kernel (a crash of this process then loses nothing written).
  void Flush();

 private:
  std::FILE* file_ = nullptr;
};

// The line Write() writes, without the newline.
std::string FormatAttempt(const smtp::AttemptLogEntry& entry);

}  // namespace b2bmail::cli
