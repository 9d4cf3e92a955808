// Maildir (https://cr.yp.to/proto/maildir.html): new/ holds unread mail, cur/ mail that
// a reader has seen; the info after ":2," carries the flags, S meaning seen.
#include "maildir_source.h"

#include <algorithm>
#include <vector>

#include "message_file.h"

namespace b2bmail::bounce {
namespace fs = std::filesystem;
namespace {

bool Seen(const std::string& name) {
  auto info = name.find(":2,");
  return info != std::string::npos && name.find('S', info + 3) != std::string::npos;
}

}  // namespace

MaildirSource::MaildirSource(fs::path root) : root_(std::move(root)), name_(root_.string()) {}

std::int64_t MaildirSource::Read(const MessageVisitor& visit) {
  std::vector<fs::path> files;
  for (const char* sub : {"new", "cur"}) {
    if (!fs::is_directory(root_ / sub)) continue;
    for (const auto& entry : fs::directory_iterator(root_ / sub))
      if (entry.is_regular_file() && !Seen(entry.path().filename().string()))
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string name = file.filename().string();
    visit(name, ReadMessageFile(file));
    // Processed: marked seen (cur/, flag S), never deleted.
    auto info = name.find(":2,");
    std::string seen = info == std::string::npos ? name + ":2,S" : name + "S";
    std::error_code ignored;
    fs::rename(file, root_ / "cur" / seen, ignored);
  }
  return static_cast<std::int64_t>(files.size());
}

}  // namespace b2bmail::bounce
