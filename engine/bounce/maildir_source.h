#pragma once
// A Maildir as a MailboxSource: the messages in new/ and the ones in cur/ without the
// S (seen) flag; each is moved to cur/ with the S flag once processed, never deleted.

#include "b2bmail/bounce/mailbox_source.h"

namespace b2bmail::bounce {

class MaildirSource : public MailboxSource {
 public:
  // REQUIRES: `root` has new/ or cur/.
  explicit MaildirSource(std::filesystem::path root);

  std::int64_t Read(const MessageVisitor& visit) override;
  const std::string& name() const override { return name_; }

 private:
  std::filesystem::path root_;
  std::string name_;
};

}  // namespace b2bmail::bounce
