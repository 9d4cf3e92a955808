#pragma once
// Reading one mail file whole (a Maildir message, an mbox).

#include <filesystem>
#include <string>

namespace b2bmail::bounce {

// The bytes of `path`. Throws Error{kIo} "cannot read <path>".
std::string ReadMessageFile(const std::filesystem::path& path);

}  // namespace b2bmail::bounce
