#include "mailbox_reader.h"

#include <algorithm>
#include <vector>

#include "b2bmail/base/error.h"
#include "workspace.h"

namespace b2bmail::cli {
namespace fs = std::filesystem;
namespace {

// Maildir info (after ":2,") holds the flags; S is "seen".
bool Seen(const std::string& name) {
  auto info = name.find(":2,");
  return info != std::string::npos && name.find('S', info + 3) != std::string::npos;
}

std::int64_t ReadMaildir(const fs::path& root,
                         const std::function<void(const std::string&, const std::string&)>& visit) {
  std::vector<fs::path> files;
  for (const char* sub : {"new", "cur"}) {
    if (!fs::is_directory(root / sub)) continue;
    for (const auto& entry : fs::directory_iterator(root / sub))
      if (entry.is_regular_file() && !Seen(entry.path().filename().string()))
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    visit(file.filename().string(), ReadTextFile(file));
    std::string name = file.filename().string();
    auto info = name.find(":2,");
    std::string seen = info == std::string::npos ? name + ":2,S" : name + "S";
    std::error_code ignored;
    fs::rename(file, root / "cur" / seen, ignored);
  }
  return static_cast<std::int64_t>(files.size());
}

std::int64_t ReadMbox(const fs::path& file,
                      const std::function<void(const std::string&, const std::string&)>& visit) {
  std::string text = ReadTextFile(file);
  std::int64_t count = 0;
  std::size_t start = text.rfind("From ", 0) == 0 ? 0 : text.find("\nFrom ");
  while (start != std::string::npos && start < text.size()) {
    if (text[start] == '\n') ++start;
    std::size_t next = text.find("\nFrom ", start + 1);
    std::size_t end = next == std::string::npos ? text.size() : next + 1;
    std::string message = text.substr(start, end - start);
    // RFC 4155: the separator line is not part of the message; ">From " unquoting is
    // left alone (it only touches body lines).
    auto first = message.find('\n');
    message = first == std::string::npos ? "" : message.substr(first + 1);
    ++count;
    visit(file.filename().string() + "#" + std::to_string(count), message);
    start = next;
  }
  return count;
}

}  // namespace

std::int64_t ReadMailbox(const fs::path& path,
                         const std::function<void(const std::string&, const std::string&)>& visit) {
  if (fs::is_directory(path)) {
    if (!fs::is_directory(path / "new") && !fs::is_directory(path / "cur"))
      throw Error(ErrorKind::kIo,
                  path.string() + " is a folder but not a Maildir (no new/ or cur/)");
    return ReadMaildir(path, visit);
  }
  if (!fs::is_regular_file(path)) throw Error(ErrorKind::kIo, "cannot read " + path.string());
  return ReadMbox(path, visit);
}

}  // namespace b2bmail::cli
