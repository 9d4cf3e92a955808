// OpenMailboxSource: which MailboxSource a location names, and which options apply to it.
#include "b2bmail/bounce/mailbox_source.h"

#include "b2bmail/base/error.h"
#include "imap_source.h"
#include "mailbox_url.h"
#include "maildir_source.h"
#include "mbox_source.h"
#include "pop3_source.h"

namespace b2bmail::bounce {
namespace fs = std::filesystem;

std::unique_ptr<MailboxSource> OpenMailboxSource(const std::string& location,
                                                 const MailboxOptions& options) {
  if (IsMailboxUrl(location)) {
    MailboxUrl url = ParseMailboxUrl(location);
    if (!url.password && options.password.empty())
      throw Error(ErrorKind::kUsage,
                  url.name + ": no password, neither in the URL nor in " + options.password_origin);
    std::string password = url.password.value_or(options.password);
    if (url.protocol == MailboxUrl::Protocol::kImap) {
      if (options.delete_processed)
        throw Error(ErrorKind::kUsage,
                    url.name + ": deleting is for POP3; IMAP messages are marked or moved");
      return std::make_unique<ImapSource>(std::move(url), std::move(password), options);
    }
    if (!options.move_to.empty())
      throw Error(ErrorKind::kUsage, url.name + ": POP3 has no folders to move messages to");
    if (options.state_dir.empty())
      throw Error(ErrorKind::kUsage,
                  url.name + ": POP3 needs a state folder to remember processed messages");
    return std::make_unique<Pop3Source>(std::move(url), std::move(password), options);
  }
  if (!options.move_to.empty() || options.delete_processed)
    throw Error(ErrorKind::kUsage, location +
                                       ": a Maildir is marked and an mbox only read; moving and "
                                       "deleting are for IMAP and POP3 mailboxes");
  fs::path path(location);
  if (fs::is_directory(path)) {
    if (!fs::is_directory(path / "new") && !fs::is_directory(path / "cur"))
      throw Error(ErrorKind::kIo, location + " is a folder but not a Maildir (no new/ or cur/)");
    return std::make_unique<MaildirSource>(path);
  }
  if (!fs::is_regular_file(path)) throw Error(ErrorKind::kIo, "cannot read " + location);
  return std::make_unique<MboxSource>(path);
}

}  // namespace b2bmail::bounce
