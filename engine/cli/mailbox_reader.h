#pragma once
// Reads returned mail from where it lands: a Maildir (messages in new/ and unseen ones
// in cur/) or an mbox file (messages split at "From " lines, RFC 4155). Nothing is ever
// deleted: a Maildir message is marked seen (moved to cur/ with the S flag) once it has
// been processed; an mbox file is only read.

#include <filesystem>
#include <functional>
#include <string>

namespace b2bmail::cli {

// Calls `visit(name, message)` for each unprocessed message; when it returns, the
// message counts as processed (Maildir: marked seen). Throws Error{kIo} when `path` is
// neither a Maildir nor a readable file. Returns the number of messages visited.
std::int64_t ReadMailbox(const std::filesystem::path& path,
                         const std::function<void(const std::string&, const std::string&)>& visit);

}  // namespace b2bmail::cli
