#pragma once
// A POP3 maildrop as a MailboxSource (RFC 1939; UIDL §7). POP3 has no flags: the UIDLs
// of processed messages are kept in a Pop3SeenList in options.state_dir, and a message
// is deleted only when asked (delete_processed) and only after it was processed.

#include "b2bmail/bounce/mailbox_source.h"
#include "mailbox_url.h"

namespace b2bmail::bounce {

class Pop3Source : public MailboxSource {
 public:
  // REQUIRES: url.protocol == kPop3, options.state_dir not empty.
  Pop3Source(MailboxUrl url, std::string password, MailboxOptions options);

  std::int64_t Read(const MessageVisitor& visit) override;
  const std::string& name() const override { return url_.name; }

  // <state_dir>/pop3-seen-<host>-<port>-<user>.txt, with characters other than
  // letters, digits and ._@- written as '_'.
  std::filesystem::path SeenFile() const;

 private:
  MailboxUrl url_;
  std::string password_;
  MailboxOptions options_;
};

}  // namespace b2bmail::bounce
