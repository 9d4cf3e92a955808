#pragma once
// Where returned mail is read from: a Maildir, an mbox file (RFC 4155), an IMAP mailbox
// (RFC 9051/3501) or a POP3 maildrop (RFC 1939). One rule for all of them: processed
// mail is marked or moved, and mail that was not processed is never deleted. A message
// counts as processed when the visitor returned for it; when the visitor throws, that
// message and the ones after it are left as they were and are read again next time.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace b2bmail::bounce {

// How a mailbox is read and what happens to what was read. The defaults mark and keep.
struct MailboxOptions {
  // IMAP: after a message is processed it is marked \Seen and then moved into this
  // folder, which is created when missing. Empty (default): it is only marked \Seen.
  std::string move_to;
  // POP3: DELE each message once it has been processed (also ones processed by an
  // earlier run). Default false: nothing is ever deleted from the server.
  bool delete_processed = false;
  // The password for an imap/pop3 URL without one. The URL's own wins.
  std::string password;
  // Where that password would come from, for the error when there is none
  // (e.g. "the B2BMAIL_MAILBOX_PASSWORD environment variable").
  std::string password_origin = "the mailbox options";
  // TLS (imaps://, pop3s://): the server's certificate and name are verified against
  // the system's CAs, or against `ca_file` (PEM) when it is set. `verify_tls = false`
  // accepts any certificate: for tests and trusted networks only.
  bool verify_tls = true;
  std::string ca_file;
  // POP3 has no flags: the UIDL of each processed message is appended to
  // <state_dir>/pop3-seen-<host>-<port>-<user>.txt so that a later run skips it.
  // Required for pop3 URLs.
  std::filesystem::path state_dir;
  // Longest wait for a connection, a login or a reply.
  std::chrono::seconds timeout{60};
};

// Called once per unprocessed message with an id for messages (file name, "INBOX;UID=7",
// a UIDL) and the raw message. When it returns the message counts as processed.
using MessageVisitor = std::function<void(const std::string& id, const std::string& raw)>;

// One opened mailbox. Not thread-safe; use one per thread.
class MailboxSource {
 public:
  virtual ~MailboxSource() = default;

  // Calls `visit` for each unprocessed message in order and marks (Maildir: moved to cur/
  // with the S flag; IMAP: \Seen, then moved when `move_to` is set; POP3: UIDL
  // remembered, DELE when `delete_processed`) each one right after `visit` returned.
  // An mbox file is only read: every message in it is visited on every run. Returns the
  // number of messages visited. Throws Error{kIo} for a file that cannot be read,
  // Error{kNetwork} for a server that cannot be reached, refuses the login, has an
  // untrusted certificate or refuses a command, Error{kProtocol} for a server that
  // breaks its protocol, and rethrows what `visit` throws.
  virtual std::int64_t Read(const MessageVisitor& visit) = 0;

  // The location as given, without a password: for messages.
  virtual const std::string& name() const = 0;
};

// Opens `location`: a Maildir folder (with new/ or cur/), an mbox file, or a URL
// imap://, imaps://, pop3:// or pop3s:// of the form `SCHEME://USER[:PASSWORD]@HOST
// [:PORT][/MAILBOX]` (user, password and mailbox percent-encoded; the mailbox is
// IMAP's, INBOX by default; ports 143, 993, 110, 995 by default). Nothing is read or
// connected yet. Throws Error{kUsage} for a malformed URL, a URL without user or
// password, an option that does not apply to the source (move_to but not IMAP,
// delete_processed but not POP3) and a POP3 URL without `state_dir`; Error{kIo} for a
// path that is neither a Maildir nor a file.
std::unique_ptr<MailboxSource> OpenMailboxSource(const std::string& location,
                                                 const MailboxOptions& options);

}  // namespace b2bmail::bounce
