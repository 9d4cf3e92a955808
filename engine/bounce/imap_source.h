#pragma once
// An IMAP mailbox as a MailboxSource (RFC 9051, RFC 3501; MOVE RFC 6851; UIDPLUS
// RFC 4315): reads the UNSEEN messages with BODY.PEEK[] so that reading marks nothing,
// then marks each \Seen (and moves it when asked) only after it was processed.

#include "b2bmail/bounce/mailbox_source.h"
#include "mailbox_url.h"

namespace b2bmail::bounce {

class ImapSource : public MailboxSource {
 public:
  // REQUIRES: url.protocol == kImap. Throws Error{kUsage} for a mailbox or move_to name
  // that is not printable ASCII (modified UTF-7 names are not written for you).
  ImapSource(MailboxUrl url, std::string password, MailboxOptions options);

  std::int64_t Read(const MessageVisitor& visit) override;
  const std::string& name() const override { return url_.name; }

 private:
  MailboxUrl url_;
  std::string password_;
  MailboxOptions options_;
};

}  // namespace b2bmail::bounce
