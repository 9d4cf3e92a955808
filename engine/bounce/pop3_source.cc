// RFC 1939 (POP3): §5 TRANSACTION state (RETR, DELE: deletions take effect only at a
// successful QUIT, §6), §7 UIDL; §3 multi-line responses end in "." and dot-stuff the
// lines that start with one. The login is libcurl's (mail_connection.h).
#include "pop3_source.h"

#include <cctype>
#include <set>
#include <utility>
#include <vector>

#include "b2bmail/base/error.h"
#include "mail_connection.h"
#include "pop3_seen_list.h"

namespace b2bmail::bounce {
namespace {

class Pop3Session {
 public:
  explicit Pop3Session(MailConnection& connection) : connection_(connection) {}

  // Sends `command`; returns the text after "+OK", throws Error{kNetwork} on "-ERR".
  std::string Run(const std::string& command) {
    connection_.SendLine(command);
    std::string reply = connection_.ReadLine();
    if (reply.rfind("+OK", 0) != 0) {
      std::string what = command.substr(0, command.find(' '));
      connection_.Fail(ErrorKind::kNetwork, what + " refused: " + reply);
    }
    return reply.substr(3);
  }

  // The lines of a multi-line response up to ".", un-dot-stuffed.
  std::vector<std::string> ReadLines() {
    std::vector<std::string> lines;
    for (std::string line = connection_.ReadLine(); line != "."; line = connection_.ReadLine())
      lines.push_back(line.rfind("..", 0) == 0 ? line.substr(1) : std::move(line));
    return lines;
  }

  // Ends the session; the server removes what was DELEted. Returns false when it did
  // not confirm (the deletions are then undone by the server).
  bool Quit() {
    try {
      Run("QUIT");
      return true;
    } catch (const Error&) {
      return false;
    }
  }

 private:
  MailConnection& connection_;
};

std::string Sanitize(const std::string& s) {
  std::string out;
  for (char c : s)
    out +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-'
            ? c
            : '_';
  return out;
}

}  // namespace

Pop3Source::Pop3Source(MailboxUrl url, std::string password, MailboxOptions options)
    : url_(std::move(url)), password_(std::move(password)), options_(std::move(options)) {}

std::filesystem::path Pop3Source::SeenFile() const {
  return options_.state_dir / ("pop3-seen-" + Sanitize(url_.host) + "-" +
                               std::to_string(url_.port) + "-" + Sanitize(url_.user) + ".txt");
}

std::int64_t Pop3Source::Read(const MessageVisitor& visit) {
  Pop3SeenList seen(SeenFile());
  MailConnection connection(url_, password_, options_);
  Pop3Session pop3(connection);
  // "1 whqtswO00WBw418f9t5JxYwZ": message numbers hold for this session only, UIDLs
  // for good.
  pop3.Run("UIDL");
  std::vector<std::pair<std::string, std::string>> messages;  // number, UIDL
  std::set<std::string> on_server;
  for (const auto& line : pop3.ReadLines()) {
    auto space = line.find(' ');
    if (space == std::string::npos || space + 1 >= line.size())
      connection.Fail(ErrorKind::kProtocol, "malformed UIDL line: " + line);
    messages.emplace_back(line.substr(0, space), line.substr(space + 1));
    on_server.insert(messages.back().second);
  }
  seen.KeepOnly(on_server);
  std::int64_t count = 0;
  try {
    for (const auto& [number, uidl] : messages) {
      if (!seen.Contains(uidl)) {
        pop3.Run("RETR " + number);
        std::string raw;
        for (const auto& line : pop3.ReadLines()) raw += line + "\r\n";
        visit(uidl, raw);
        // Processed: remembered before anything else, so a crash reads it again at most.
        seen.Add(uidl);
        ++count;
      }
      if (options_.delete_processed) pop3.Run("DELE " + number);
    }
  } catch (...) {
    // What was processed stays processed: QUIT so that its deletions happen; the rest
    // is untouched.
    pop3.Quit();
    throw;
  }
  if (!pop3.Quit() && options_.delete_processed)
    connection.Fail(ErrorKind::kNetwork, "QUIT refused: the server kept the processed messages");
  return count;
}

}  // namespace b2bmail::bounce
