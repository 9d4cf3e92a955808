#pragma once
// The POP3 messages already processed, by UIDL (RFC 1939 §7), in a small text file: one
// UIDL a line. POP3 has no flags to mark a message with, so this file is the mark.

#include <filesystem>
#include <set>
#include <string>

namespace b2bmail::bounce {

class Pop3SeenList {
 public:
  // Reads `file` when it exists (a last line without its newline, torn by a crash, is
  // not counted). Throws Error{kIo} when it cannot be read or its folder created.
  explicit Pop3SeenList(std::filesystem::path file);

  bool Contains(const std::string& uidl) const { return seen_.contains(uidl); }

  // Appends `uidl` and syncs the file before returning, so that a crash right after a
  // message was processed does not process it again. Throws Error{kIo}.
  void Add(const std::string& uidl);

  // Forgets the UIDLs not in `on_server` (deleted messages), rewriting the file through
  // a temporary file and a rename so that it is never half written. Throws Error{kIo}.
  void KeepOnly(const std::set<std::string>& on_server);

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::set<std::string> seen_;
  bool needs_newline_ = false;  // the file ends in a torn line
};

}  // namespace b2bmail::bounce
