// RFC 4155 (the application/mbox media type): each message starts with a "From " line
// that is not part of it.
#include "mbox_source.h"

#include "message_file.h"

namespace b2bmail::bounce {

MboxSource::MboxSource(std::filesystem::path file)
    : file_(std::move(file)), name_(file_.string()) {}

std::int64_t MboxSource::Read(const MessageVisitor& visit) {
  std::string text = ReadMessageFile(file_);
  std::int64_t count = 0;
  std::size_t start = text.rfind("From ", 0) == 0 ? 0 : text.find("\nFrom ");
  while (start != std::string::npos && start < text.size()) {
    if (text[start] == '\n') ++start;
    std::size_t next = text.find("\nFrom ", start + 1);
    std::size_t end = next == std::string::npos ? text.size() : next + 1;
    std::string message = text.substr(start, end - start);
    // The separator line is not part of the message; ">From " unquoting is left alone
    // (it only touches body lines).
    auto first = message.find('\n');
    message = first == std::string::npos ? "" : message.substr(first + 1);
    ++count;
    visit(file_.filename().string() + "#" + std::to_string(count), message);
    start = next;
  }
  return count;
}

}  // namespace b2bmail::bounce
