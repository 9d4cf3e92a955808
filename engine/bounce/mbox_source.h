#pragma once
// An mbox file as a MailboxSource (RFC 4155): messages split at "From " lines. The file
// is only read; every message in it is visited on every run.

#include "b2bmail/bounce/mailbox_source.h"

namespace b2bmail::bounce {

class MboxSource : public MailboxSource {
 public:
  explicit MboxSource(std::filesystem::path file);

  std::int64_t Read(const MessageVisitor& visit) override;
  const std::string& name() const override { return name_; }

 private:
  std::filesystem::path file_;
  std::string name_;
};

}  // namespace b2bmail::bounce
