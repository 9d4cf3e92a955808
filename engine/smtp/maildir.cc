#include "maildir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::filesystem::path& path, int err) {
  throw Error(ErrorKind::kIo, what + " " + path.string() + ": " + std::strerror(err));
}

void WriteAll(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowIo("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

Maildir::Maildir(std::filesystem::path root, std::string_view hostname) : root_(std::move(root)) {
  for (char c : hostname) {
    if (c == '/') {
      host_ += "\\057";
    } else if (c == ':') {
      host_ += "\\072";
    } else {
      host_ += c;
    }
  }
  if (host_.empty()) host_ = "localhost";
}

void Maildir::Create() const {
  for (const char* sub : {"tmp", "new", "cur"}) {
    std::error_code ec;
    std::filesystem::create_directories(root_ / sub, ec);
    if (ec)
      throw Error(ErrorKind::kIo, "cannot create " + (root_ / sub).string() + ": " + ec.message());
  }
}

std::filesystem::path Maildir::Deliver(std::string_view head, std::string_view body) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - seconds);
  std::string name = std::to_string(seconds.count()) + ".M" + std::to_string(micros.count()) + "P" +
                     std::to_string(::getpid()) + "Q" + std::to_string(++count_) + "." + host_;
  std::filesystem::path tmp = root_ / "tmp" / name;
  std::filesystem::path dest = root_ / "new" / name;

  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("cannot create", tmp, errno);
  try {
    WriteAll(fd, head, tmp);
    WriteAll(fd, body, tmp);
    // The convention: the message is on disk before it appears in new/.
    if (::fsync(fd) != 0) ThrowIo("cannot sync", tmp, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    ThrowIo("cannot close", tmp, err);
  }
  if (::rename(tmp.c_str(), dest.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    ThrowIo("cannot move into new/", dest, err);
  }
  return dest;
}

}  // namespace b2bmail::smtp
