// RFC 9051 (IMAP4rev2) and RFC 3501 (IMAP4rev1): §6.3.2 SELECT, §6.3.4 CREATE, §6.3.9
// LIST, §6.4.4 SEARCH, §6.4.5 FETCH (BODY.PEEK[] does not set \Seen), §6.4.6 STORE,
// §6.4.9 UID; RFC 6851 MOVE; RFC 4315 §2.1 UID EXPUNGE. The login is libcurl's
// (mail_connection.h).
#include "imap_source.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "b2bmail/base/error.h"
#include "mail_connection.h"

namespace b2bmail::bounce {
namespace {

constexpr std::size_t kMaxMessage = 256u << 20;

// One untagged response. Its text is split at the literals it carries: segments[i] is
// the text before literals[i] (ending in "{n}"), segments.back() the rest of the line.
struct Untagged {
  std::vector<std::string> segments;
  std::vector<std::string> literals;
  const std::string& text() const { return segments.front(); }
};

struct Response {
  std::vector<Untagged> untagged;
  bool ok = false;
  std::string text;  // the tagged line after the tag, e.g. "NO [TRYCREATE] No such mailbox"
};

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The size of a literal "{123}" or "{123+}" ending `line`, or nullopt.
std::optional<std::size_t> LiteralAtEnd(const std::string& line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string::npos) return std::nullopt;
  std::string digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.pop_back();
  if (digits.empty() || digits.size() > 12 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoull(digits);
}

// A quoted string (RFC 9051 §4.3). The caller checked that `s` is printable ASCII.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool PrintableAscii(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Tagged commands over one logged-in connection.
class ImapSession {
 public:
  explicit ImapSession(MailConnection& connection) : connection_(connection) {}

  // Sends `command` and reads up to its tagged response. When `must_succeed`, a NO or
  // BAD throws Error{kNetwork} "<url>: <what> refused: <text>".
  Response Run(const std::string& command, const std::string& what, bool must_succeed = true) {
    std::string tag = "b" + std::to_string(++tags_);
    connection_.SendLine(tag + " " + command);
    Response response;
    for (;;) {
      Untagged line = ReadResponseLine();
      const std::string& first = line.segments.front();
      if (first.rfind(tag + " ", 0) == 0) {
        response.text = first.substr(tag.size() + 1);
        response.ok = Upper(response.text.substr(0, 3)) == "OK " || Upper(response.text) == "OK";
        break;
      }
      if (first.rfind("* ", 0) == 0) {
        if (Upper(first.substr(2, 4)) == "BYE " && what != "LOGOUT")
          connection_.Fail(ErrorKind::kNetwork,
                           "the server closed the session: " + first.substr(6));
        response.untagged.push_back(std::move(line));
        continue;
      }
      // We send no literals, so a continuation request ("+ ") or anything else is a
      // server out of step with us.
      connection_.Fail(ErrorKind::kProtocol, "unexpected reply to " + what + ": " + first);
    }
    if (must_succeed && !response.ok)
      connection_.Fail(ErrorKind::kNetwork, what + " refused: " + response.text);
    return response;
  }

 private:
  // A response line with the literals it announces ("... {12}" CRLF 12 bytes ...).
  Untagged ReadResponseLine() {
    Untagged out;
    std::string line = connection_.ReadLine();
    while (auto size = LiteralAtEnd(line)) {
      if (*size > kMaxMessage) connection_.Fail(ErrorKind::kProtocol, "a message over 256 MiB");
      out.segments.push_back(std::move(line));
      out.literals.push_back(connection_.ReadBytes(*size));
      line = connection_.ReadLine();
    }
    out.segments.push_back(std::move(line));
    return out;
  }

  MailConnection& connection_;
  int tags_ = 0;
};

// The words after "* KEYWORD" in every such untagged response:
// "* CAPABILITY IMAP4rev1 MOVE" → {"IMAP4rev1", "MOVE"}; "* SEARCH 3 7" → {"3", "7"}.
std::vector<std::string> UntaggedWords(const Response& response, const std::string& keyword) {
  std::vector<std::string> out;
  for (const auto& u : response.untagged) {
    std::istringstream words(u.text());
    std::string star, first, word;
    words >> star >> first;
    if (Upper(first) != keyword) continue;
    while (words >> word) out.push_back(word);
  }
  return out;
}

std::set<std::string> Capabilities(const Response& response) {
  std::set<std::string> out;
  for (const auto& word : UntaggedWords(response, "CAPABILITY")) out.insert(Upper(word));
  return out;
}

// The UIDs a UID SEARCH found, ascending.
std::vector<std::uint64_t> SearchResult(const Response& response) {
  std::vector<std::uint64_t> uids;
  for (const auto& word : UntaggedWords(response, "SEARCH"))
    if (std::isdigit(static_cast<unsigned char>(word[0]))) uids.push_back(std::stoull(word));
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

// The BODY[] literal of "* n FETCH (UID u BODY[] {size}" CRLF <bytes> ")", or nullopt
// when the message is gone (expunged by someone else since the search).
std::optional<std::string> FetchedBody(Response& response) {
  for (auto& u : response.untagged) {
    if (Upper(u.text()).find(" FETCH ") == std::string::npos) continue;
    for (std::size_t i = 0; i < u.literals.size(); ++i) {
      std::string before = Upper(u.segments[i]);
      auto body = before.rfind("BODY[]");
      if (body != std::string::npos && before.find('{', body) == body + 7)
        return std::move(u.literals[i]);
    }
  }
  return std::nullopt;
}

}  // namespace

ImapSource::ImapSource(MailboxUrl url, std::string password, MailboxOptions options)
    : url_(std::move(url)), password_(std::move(password)), options_(std::move(options)) {
  if (!PrintableAscii(url_.mailbox))
    throw Error(ErrorKind::kUsage, url_.name + ": the mailbox name must be printable ASCII");
  if (!options_.move_to.empty() && !PrintableAscii(options_.move_to))
    throw Error(ErrorKind::kUsage,
                url_.name + ": the folder to move to must be printable ASCII: " + options_.move_to);
}

std::int64_t ImapSource::Read(const MessageVisitor& visit) {
  MailConnection connection(url_, password_, options_);
  ImapSession imap(connection);
  // The capabilities after the login (the greeting's may be fewer).
  auto capabilities = Capabilities(imap.Run("CAPABILITY", "CAPABILITY"));
  imap.Run("SELECT " + Quote(url_.mailbox), "SELECT " + url_.mailbox);
  const std::string& folder = options_.move_to;
  if (!folder.empty()) {
    bool exists = !imap.Run("LIST \"\" " + Quote(folder), "LIST " + folder).untagged.empty();
    if (!exists) {
      imap.Run("CREATE " + Quote(folder), "CREATE " + folder);
      // So that mail clients show it; a server without subscriptions is no reason to stop.
      imap.Run("SUBSCRIBE " + Quote(folder), "SUBSCRIBE " + folder, false);
    }
  }
  std::int64_t count = 0;
  for (std::uint64_t uid : SearchResult(imap.Run("UID SEARCH UNSEEN", "UID SEARCH UNSEEN"))) {
    std::string id = std::to_string(uid);
    auto fetched = imap.Run("UID FETCH " + id + " BODY.PEEK[]", "UID FETCH " + id);
    auto body = FetchedBody(fetched);
    if (!body) continue;
    visit(url_.mailbox + ";UID=" + id, *body);
    // Processed: only now is it marked, so a crash before this line reads it again.
    imap.Run("UID STORE " + id + " +FLAGS.SILENT (\\Seen)", "UID STORE " + id);
    if (!folder.empty()) {
      if (capabilities.contains("MOVE")) {
        imap.Run("UID MOVE " + id + " " + Quote(folder), "UID MOVE " + id);
      } else {
        // Without MOVE: copy, then flag the original deleted; expunge it alone when the
        // server can (UIDPLUS), never the whole mailbox (other \Deleted mail is not ours).
        imap.Run("UID COPY " + id + " " + Quote(folder), "UID COPY " + id);
        imap.Run("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)", "UID STORE " + id);
        if (capabilities.contains("UIDPLUS")) imap.Run("UID EXPUNGE " + id, "UID EXPUNGE " + id);
      }
    }
    ++count;
  }
  // Everything is marked already: a session that ends badly now loses nothing.
  try {
    imap.Run("LOGOUT", "LOGOUT", false);
  } catch (const Error&) {
  }
  return count;
}

}  // namespace b2bmail::bounce
