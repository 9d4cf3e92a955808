#pragma once
// Reads what a SinkServer stored, for byte-for-byte checks.

#include <filesystem>
#include <map>
#include <string>

#include "support/temp_dir.h"

namespace b2bmail::testing {

// Files in `maildir`/new, keyed by their Delivered-To line ("<b@example.com>").
inline std::multimap<std::string, std::string> MaildirByRecipient(
    const std::filesystem::path& maildir) {
  std::multimap<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(maildir / "new")) {
    std::string content = ReadFile(entry.path());
    auto start = content.find("Delivered-To: ");
    auto end = content.find("\r\n", start);
    std::string key =
        start == std::string::npos ? "" : content.substr(start + 14, end - start - 14);
    files.emplace(key, content);
  }
  return files;
}

inline std::size_t CountFiles(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace b2bmail::testing
