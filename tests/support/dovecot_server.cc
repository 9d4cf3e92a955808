#include "support/dovecot_server.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/run_command.h"

namespace b2bmail::testing {
namespace fs = std::filesystem;
namespace {

// Binds a socket to 127.0.0.1:0 and returns it; its port is free until it is closed.
int BindFreePort(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  port = ntohs(a.sin_port);
  return fd;
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

void Chown(const fs::path& path, unsigned uid, unsigned gid) {
  if (::getuid() != 0) return;
  if (::chown(path.c_str(), uid, gid) != 0)
    throw std::runtime_error("cannot chown " + path.string());
}

}  // namespace

DovecotServer::DovecotServer() {
  const char* dovecot = "/usr/sbin/dovecot";
  if (::access(dovecot, X_OK) != 0)
    throw std::runtime_error(
        "no /usr/sbin/dovecot: install dovecot-imapd and dovecot-pop3d (scripts/install-deps)");
  // Root: Dovecot will not log in or read mail as root, so it runs them as nobody.
  const passwd* user = ::getuid() == 0 ? ::getpwnam("nobody") : ::getpwuid(::getuid());
  if (!user) throw std::runtime_error("cannot look up the user for Dovecot");
  const group* grp = ::getgrgid(user->pw_gid);
  std::string user_name = user->pw_name;
  std::string group_name = grp ? grp->gr_name : std::to_string(user->pw_gid);
  uid_ = user->pw_uid;
  gid_ = user->pw_gid;
  // nobody must reach the mail and the password file inside the temporary directory.
  fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
  auto root = dir_.path();
  for (const char* sub : {"run", "state", "home", "mail/new", "mail/cur", "mail/tmp"})
    fs::create_directories(root / sub);
  for (const char* sub : {"home", "mail", "mail/new", "mail/cur", "mail/tmp"})
    Chown(root / sub, uid_, gid_);
  auto cert = RunCommand("/bin/sh " + ShellQuote(B2BMAIL_SUPPORT_DIR "/make_test_cert.sh") + " " +
                         ShellQuote(dir_.File("tls")));
  if (cert.exit_code != 0) throw std::runtime_error("make_test_cert.sh failed");
  dir_.Write("passwd", std::string(kUser) + ":{PLAIN}" + kPassword + "\n");

  int fds[4];
  for (int i = 0; i < 4; ++i) fds[i] = BindFreePort(ports_[i]);
  for (int fd : fds) ::close(fd);
  const std::string r = root.string();
  std::string listeners[4] = {"imap", "imaps", "pop3", "pop3s"};
  auto listener = [&](int i) {
    return "  inet_listener " + listeners[i] + " {\n    port = " + std::to_string(ports_[i]) +
           (i % 2 ? "\n    ssl = yes" : "") + "\n  }\n";
  };
  std::string conf =
      "# Written by tests/support/dovecot_server.cc for one test.\n"
      "base_dir = " +
      r +
      "/run\n"
      "state_dir = " +
      r +
      "/state\n"
      "instance_name = b2bmail-test-" +
      std::to_string(::getpid()) + "-" + std::to_string(ports_[0]) +
      "\n"
      "listen = 127.0.0.1\n"
      "protocols = imap pop3\n"
      "log_path = " +
      r +
      "/dovecot.log\n"
      "ssl = yes\n"
      "ssl_cert = <" +
      r +
      "/tls/cert.pem\n"
      "ssl_key = <" +
      r +
      "/tls/key.pem\n"
      "default_internal_user = " +
      user_name +
      "\n"
      "default_internal_group = " +
      group_name +
      "\n"
      "default_login_user = " +
      user_name +
      "\n"
      "first_valid_uid = 1\n"
      "disable_plaintext_auth = no\n"
      "auth_mechanisms = plain login\n"
      "auth_failure_delay = 0\n"
      "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN " +
      r +
      "/passwd\n}\n"
      "userdb {\n  driver = static\n  args = uid=" +
      std::to_string(uid_) + " gid=" + std::to_string(gid_) + " home=" + r +
      "/home\n}\n"
      "mail_location = maildir:" +
      r +
      "/mail\n"
      // Not root, or root with everything run as nobody: no chroot, no root workers.
      "service anvil {\n  chroot =\n}\n"
      "service auth-worker {\n  user = $default_internal_user\n}\n"
      "service imap-login {\n  chroot =\n" +
      listener(0) + listener(1) +
      "}\n"
      "service pop3-login {\n  chroot =\n" +
      listener(2) + listener(3) + "}\n";
  dir_.Write("dovecot.conf", conf);

  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{dovecot, "-F", "-c", dir_.File("dovecot.conf")});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!std::all_of(std::begin(ports_), std::end(ports_), Accepts)) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("Dovecot did not start; its log:\n" + Log());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string DovecotServer::Url(const std::string& scheme, const std::string& path) const {
  int port = scheme == "imap"    ? imap_port()
             : scheme == "imaps" ? imaps_port()
             : scheme == "pop3"  ? pop3_port()
                                 : pop3s_port();
  return scheme + "://" + kUser + "@127.0.0.1:" + std::to_string(port) + path;
}

fs::path DovecotServer::Folder(const std::string& folder) const {
  return dir_.path() / "mail" / (folder.empty() ? "" : "." + folder);
}

void DovecotServer::Deliver(const std::string& name, const std::string& message,
                            const std::string& folder) const {
  auto maildir = Folder(folder);
  auto tmp = maildir / "tmp" / name;
  std::ofstream(tmp, std::ios::binary) << message;
  Chown(tmp, uid_, gid_);
  fs::rename(tmp, maildir / "new" / name);
}

std::vector<DovecotServer::Stored> DovecotServer::Messages(const std::string& folder) const {
  std::vector<Stored> out;
  for (const char* sub : {"new", "cur"}) {
    auto dir = Folder(folder) / sub;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string file = entry.path().filename().string();
      auto info = file.find(":2,");
      out.push_back({file.substr(0, info), info == std::string::npos ? "" : file.substr(info + 3)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Stored& a, const Stored& b) { return a.name < b.name; });
  return out;
}

std::string DovecotServer::Log() const {
  std::ifstream in(dir_.File("dovecot.log"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

}  // namespace b2bmail::testing
