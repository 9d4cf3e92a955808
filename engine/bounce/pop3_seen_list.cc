#include "pop3_seen_list.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"

namespace b2bmail::bounce {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const fs::path& path, int err) {
  throw Error(ErrorKind::kIo, what + " " + path.string() + ": " + std::strerror(err));
}

// Writes `text` to `fd` and syncs it.
void WriteSynced(int fd, const std::string& text, const fs::path& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ThrowIo("cannot write", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ThrowIo("cannot sync", path, err);
  }
  if (::close(fd) != 0) ThrowIo("cannot write", path, errno);
}

}  // namespace

Pop3SeenList::Pop3SeenList(fs::path file) : file_(std::move(file)) {
  std::error_code ec;
  fs::create_directories(file_.parent_path(), ec);
  if (ec) ThrowIo("cannot create", file_.parent_path(), ec.value());
  if (!fs::exists(file_)) return;
  std::ifstream in(file_, std::ios::binary);
  if (!in) ThrowIo("cannot read", file_, errno);
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  std::size_t start = 0;
  for (auto end = all.find('\n'); end != std::string::npos; end = all.find('\n', start)) {
    if (end > start) seen_.insert(all.substr(start, end - start));
    start = end + 1;
  }
  needs_newline_ = start < all.size();
}

void Pop3SeenList::Add(const std::string& uidl) {
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("cannot open", file_, errno);
  // One write per line, so a crash leaves at most one torn last line.
  WriteSynced(fd, (needs_newline_ ? "\n" : "") + uidl + "\n", file_);
  needs_newline_ = false;
  seen_.insert(uidl);
}

void Pop3SeenList::KeepOnly(const std::set<std::string>& on_server) {
  std::set<std::string> kept;
  for (const auto& uidl : seen_)
    if (on_server.contains(uidl)) kept.insert(uidl);
  if (kept.size() == seen_.size() && !needs_newline_) return;
  std::string text;
  for (const auto& uidl : kept) text += uidl + "\n";
  fs::path tmp = file_;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("cannot create", tmp, errno);
  WriteSynced(fd, text, tmp);
  if (::rename(tmp.c_str(), file_.c_str()) != 0) ThrowIo("cannot replace", file_, errno);
  seen_ = std::move(kept);
  needs_newline_ = false;
}

}  // namespace b2bmail::bounce
