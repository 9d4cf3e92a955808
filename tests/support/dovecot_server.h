#pragma once
// A real Dovecot 2.3 (Debian's dovecot-imapd and dovecot-pop3d) for tests: its own
// dovecot.conf, base_dir, state and log in a temporary directory, IMAP, IMAPS, POP3 and
// POP3S on free ports of 127.0.0.1 only, one user (kUser, kPassword) whose INBOX is a
// Maildir the test fills and inspects. It neither needs nor disturbs a system Dovecot.
//
// Running as root (CI) Dovecot refuses root for its login and mail processes, so they
// all run as "nobody" and the mail files belong to nobody; as any other user everything
// runs as that user (no chroot). Stopped (SIGTERM, reaped) when the object dies.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace b2bmail::testing {

class DovecotServer {
 public:
  static constexpr const char* kUser = "bounces";
  // Has a character that a URL must %-encode.
  static constexpr const char* kPassword = "Bounce@pass 7";

  // Writes the configuration and a self-signed certificate (tests/support/make_test_cert.sh),
  // starts /usr/sbin/dovecot -F and waits until all four ports accept connections.
  // Throws std::runtime_error (with the end of Dovecot's log) when it does not start.
  DovecotServer();

  int imap_port() const { return ports_[0]; }
  int imaps_port() const { return ports_[1]; }
  int pop3_port() const { return ports_[2]; }
  int pop3s_port() const { return ports_[3]; }
  // "imaps://bounces@127.0.0.1:PORT" + path, for "imap", "imaps", "pop3", "pop3s".
  std::string Url(const std::string& scheme, const std::string& path = "") const;
  // The server's certificate, to trust it (--ca-file).
  std::string ca_file() const { return dir_.File("tls/cert.pem"); }

  // Puts `message` into the Maildir of `folder` ("" is INBOX) as new, unseen mail named
  // `name` (tmp/ then rename, owned by the mail user).
  void Deliver(const std::string& name, const std::string& message,
               const std::string& folder = "") const;

  struct Stored {
    std::string name;   // the base name, before ":2,"
    std::string flags;  // Maildir flags after ":2,", e.g. "S"; "" for new mail
    bool seen() const { return flags.find('S') != std::string::npos; }
  };
  // The messages of `folder` ("" is INBOX) in new/ and cur/, sorted by name.
  std::vector<Stored> Messages(const std::string& folder = "") const;
  // The Maildir of `folder` (Maildir++: INBOX is the root, others are .NAME).
  std::filesystem::path Folder(const std::string& folder = "") const;

  // Dovecot's log so far, for INFO() when something fails.
  std::string Log() const;

 private:
  TempDir dir_;  // declared first: it outlives the process
  int ports_[4] = {0, 0, 0, 0};
  unsigned uid_ = 0, gid_ = 0;  // the user the mail files belong to
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace b2bmail::testing
