#pragma once
// Delivery into a Maildir as described at https://cr.yp.to/proto/maildir.html: write
// the file under tmp/, flush it to disk, then rename it into new/ under a unique name
// "<seconds>.M<microseconds>P<pid>Q<count>.<host>".

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace b2bmail::smtp {

// Thread-safe: Deliver may be called from several sessions at once.
class Maildir {
 public:
  // `hostname` becomes the last part of file names ('/' and ':' escaped as the
  // convention asks).
  Maildir(std::filesystem::path root, std::string_view hostname);

  // Creates root/tmp, root/new and root/cur. Throws Error{kIo}.
  void Create() const;

  // Writes `head` followed by `body` as one new message and returns its path in new/.
  // Throws Error{kIo}; no partial file is left in new/.
  std::filesystem::path Deliver(std::string_view head, std::string_view body);

 private:
  std::filesystem::path root_;
  std::string host_;
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace b2bmail::smtp
