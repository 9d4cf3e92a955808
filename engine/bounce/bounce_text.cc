// Shared reading of bounce text (bounce_text.h).
#include "bounce_text.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "b2bmail/base/strings.h"
#include "b2bmail/smtp/reply_classifier.h"

namespace b2bmail::bounce {
namespace {

bool IsReturnedMessage(const mime::ContentType& type) {
  return type.Is("message/rfc822") || type.Is("message/global") || type.Is("text/rfc822-headers") ||
         type.Is("message/global-headers") || type.Is("message/partial") ||
         type.Is("message/external-body");
}

bool IsLocalChar(unsigned char c) {
  return std::isalnum(c) || c >= 0x80 ||
         std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool IsDomainChar(unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c >= 0x80; }

}  // namespace

BounceMessage ReadBounceMessage(const mime::MimePart& root) {
  BounceMessage m{root,
                  base::AsciiLower(root.HeaderValue("From")),
                  base::AsciiLower(root.HeaderValue("Subject")),
                  {},
                  nullptr};
  // Depth first, in document order, without descending into a returned message: its
  // text is the message that bounced, not the notice.
  std::vector<const mime::MimePart*> stack{&root};
  std::string html;
  while (!stack.empty()) {
    const mime::MimePart* part = stack.back();
    stack.pop_back();
    const auto& type = part->content_type();
    if (part != &root && IsReturnedMessage(type)) {
      if (!m.returned) m.returned = part->children().empty() ? part : part->children().front();
      continue;
    }
    if (!part->children().empty()) {
      for (auto it = part->children().rbegin(); it != part->children().rend(); ++it)
        stack.push_back(*it);
      continue;
    }
    if (type.Is("text/html")) {
      if (html.empty()) html = part->text();
    } else if (type.type == "text" || type.type == "multipart" || type.type.empty()) {
      if (part->content_disposition().type == "attachment" && part != &root) continue;
      if (!m.notice.empty() && m.notice.back() != '\n') m.notice += '\n';
      m.notice += part->text();
    }
  }
  if (TrimText(m.notice).empty() && !html.empty()) {
    // HTML-only notices (some Exchange and Google ones): read as text.
    mime::ParsedMessage wrapped =
        mime::ParseMessage("Content-Type: text/html; charset=utf-8\n\n" + html);
    m.notice = wrapped.root().BestText();
  }
  return m;
}

std::string_view TrimText(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> TextLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::string AddressOf(std::string_view field) {
  auto semi = field.find(';');
  std::string_view address =
      TrimText(semi == std::string_view::npos ? field : field.substr(semi + 1));
  if (!address.empty() && address.front() == '<') address.remove_prefix(1);
  if (!address.empty() && address.back() == '.') address.remove_suffix(1);
  if (!address.empty() && address.back() == '>') address.remove_suffix(1);
  return std::string(TrimText(address));
}

std::string TextAfterType(std::string_view field) {
  auto semi = field.find(';');
  std::string_view text = semi == std::string_view::npos ? field : field.substr(semi + 1);
  return std::string(TrimText(text));
}

std::string FindStatus(std::string_view text) {
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    char c = text[i];
    if ((c != '2' && c != '4' && c != '5') || text[i + 1] != '.') continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))
      continue;
    std::size_t j = i + 2, digits = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && digits < 3) {
      ++j;
      ++digits;
    }
    if (!digits || j >= text.size() || text[j] != '.') continue;
    std::size_t k = j + 1, detail = 0;
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) && detail < 3) {
      ++k;
      ++detail;
    }
    if (!detail) continue;
    if (k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '.'))
      continue;
    return std::string(text.substr(i, k - i));
  }
  return {};
}

int ReplyCodeOf(std::string_view text) {
  text = TrimText(text);
  if (text.size() < 3) return 0;
  for (int i = 0; i < 3; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return 0;
  if (text.size() > 3 && std::isdigit(static_cast<unsigned char>(text[3]))) return 0;
  int code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
  return code >= 200 && code <= 599 ? code : 0;
}

std::vector<std::string> AddressesIn(std::string_view text) {
  std::vector<std::string> found;
  std::unordered_set<std::string> seen;
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && IsLocalChar(static_cast<unsigned char>(text[begin - 1]))) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && IsDomainChar(static_cast<unsigned char>(text[end]))) ++end;
    std::string_view local = text.substr(begin, at - begin);
    std::string_view domain = text.substr(at + 1, end - at - 1);
    while (!local.empty() && local.front() == '.') local.remove_prefix(1);
    while (!domain.empty() && (domain.back() == '.' || domain.back() == '-'))
      domain.remove_suffix(1);
    if (local.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
        domain.front() == '-')
      continue;
    std::string address = std::string(local) + "@" + std::string(domain);
    // A set, so that a message listing many addresses costs linear time, not quadratic.
    if (seen.insert(base::AsciiLower(address)).second) found.push_back(std::move(address));
  }
  return found;
}

std::string FirstAddressIn(std::string_view text) {
  auto all = AddressesIn(text);
  return all.empty() ? std::string() : all.front();
}

void ClassifyRecipient(BouncedRecipient& r) {
  int code = ReplyCodeOf(r.diagnostic);
  if (code == 0) {
    // No reply code: the status class decides (a delayed notice is temporary by nature).
    char klass = r.status.empty() ? (r.action == BounceAction::kDelayed ? '4' : '5') : r.status[0];
    code = klass == '4' ? 450 : klass == '2' ? 250 : 550;
  }
  if (r.action == BounceAction::kDelayed && code >= 500) code = 450;
  // The remote server's own enhanced code, when its text gives one of the status's
  // class, says more than the status field: Sendmail reports "5.1.1" for a remote
  // "550 5.7.1 IP address blacklisted".
  std::string quoted = FindStatus(r.diagnostic);
  std::string enhanced = r.status.empty() ? quoted : r.status;
  if (!quoted.empty() && !r.status.empty() && quoted[0] == r.status[0]) enhanced = quoted;
  if (!r.status.empty() && code / 100 != r.status[0] - '0' && r.status[0] != '2') {
    // The status field outranks a reply code of another class quoted in the text.
    code = r.status[0] == '4' ? 450 : 550;
  }
  auto c = smtp::ClassifyReply(code, enhanced, r.diagnostic);
  r.category = c.category;
  // A failure after temporary errors only (connection timeouts, "4.4.1") is the queue
  // giving up: that is what the notice reports.
  bool temporary_reason = code / 100 == 4 || (!enhanced.empty() && enhanced[0] == '4');
  if (r.action == BounceAction::kFailed && temporary_reason &&
      (c.category == smtp::FailureCategory::kNetwork ||
       c.category == smtp::FailureCategory::kUnclassified))
    r.category = smtp::FailureCategory::kExpired;
  // A failed recipient is the queue's last word, even when the last reply was
  // temporary ("Action: failed" with "4.0.0 DNS Error ... NXDOMAIN" after days of
  // lookups): a bad mailbox or domain it gave up on is a hard bounce.
  r.hard = r.action == BounceAction::kFailed && (r.category == smtp::FailureCategory::kBadMailbox ||
                                                 r.category == smtp::FailureCategory::kBadDomain);
}

BouncedRecipient MakeRecipient(std::string address, BounceAction action, std::string status,
                               std::string diagnostic) {
  BouncedRecipient r;
  r.recipient = std::move(address);
  r.action = action;
  r.diagnostic = std::string(TrimText(diagnostic));
  r.status = status.empty() ? FindStatus(r.diagnostic) : std::move(status);
  ClassifyRecipient(r);
  return r;
}

void AddRecipient(BounceReport& report, BouncedRecipient r) {
  // No real report names a thousand recipients; the bound keeps this loop's cost linear
  // in the message for hostile ones.
  if (report.recipients.size() >= kMaxReportRecipients) return;
  for (const auto& existing : report.recipients)
    if (base::EqualsIgnoreCase(existing.recipient, r.recipient)) return;
  report.recipients.push_back(std::move(r));
}

std::size_t FindIgnoreCase(std::string_view haystack, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string_view::npos;
  auto it = std::search(haystack.begin() + std::min(from, haystack.size()), haystack.end(),
                        needle.begin(), needle.end(), [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it == haystack.end() ? std::string_view::npos
                              : static_cast<std::size_t>(it - haystack.begin());
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  return FindIgnoreCase(haystack, needle) != std::string_view::npos;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         base::EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// --- added for MTA text readers ---

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::size_t IndentOf(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && IsBlank(line[n])) ++n;
  return n;
}

// The address that `line` starts with (after an optional list marker), or empty.
std::string LeadingAddress(std::string_view line) {
  line = TrimText(line);
  for (std::string_view marker : {"* ", ">>> ", "- ", "recipient:"}) {
    if (StartsWithIgnoreCase(line, marker)) {
      line = TrimText(line.substr(marker.size()));
      break;
    }
  }
  bool angle = !line.empty() && line.front() == '<';
  if (angle) line.remove_prefix(1);
  std::size_t end = 0;
  while (end < line.size() && !IsBlank(line[end]) && line[end] != '>' && line[end] != '[' &&
         line[end] != ',' && line[end] != ';')
    ++end;
  std::string_view word = line.substr(0, end);
  // "a@b:" and "a@b..." (Sendmail) end the address; a colon inside one ends it too.
  if (auto colon = word.find(':'); colon != std::string_view::npos) word = word.substr(0, colon);
  while (!word.empty() && word.back() == '.') word.remove_suffix(1);
  if (word.find('@') == std::string_view::npos) return {};
  std::string address = FirstAddressIn(word);
  // The whole first word must be the address, not a URL or a "key=a@b" pair.
  return address.size() == word.size() ? address : std::string();
}

bool IsReplyCodeAt(std::string_view text, std::size_t i) {
  if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  if (i > 0) {
    char before = text[i - 1];
    if (!(IsBlank(before) || before == ':' || before == '[' || before == '(' || before == '\n' ||
          before == '"'))
      return false;
  }
  if (ReplyCodeOf(text.substr(i, 4)) < 400) return false;
  return i + 3 == text.size() || IsBlank(text[i + 3]) || text[i + 3] == '-' || text[i + 3] == '\n';
}

}  // namespace

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  for (auto needle : needles)
    if (ContainsIgnoreCase(text, needle)) return true;
  return false;
}

std::string_view TextBetween(std::string_view text, std::string_view start,
                             std::initializer_list<std::string_view> ends) {
  std::size_t begin = 0;
  if (!start.empty()) {
    std::size_t at = FindIgnoreCase(text, start);
    if (at == std::string_view::npos) return {};
    begin = text.find('\n', at);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  std::size_t stop = text.size();
  for (auto end : ends) {
    std::size_t at = FindIgnoreCase(text, end, begin);
    if (at == std::string_view::npos) continue;
    std::size_t line_start = text.rfind('\n', at);
    line_start =
        line_start == std::string_view::npos || line_start < begin ? begin : line_start + 1;
    stop = std::min(stop, line_start);
  }
  return text.substr(begin, stop - begin);
}

std::vector<TextBlock> TextBlocks(std::string_view section, std::size_t max_indent) {
  std::vector<TextBlock> blocks;
  for (std::string_view line : TextLines(section)) {
    std::string address = IndentOf(line) <= max_indent ? LeadingAddress(line) : std::string();
    if (!address.empty()) {
      blocks.push_back({std::move(address), {}});
      auto at = line.find(blocks.back().address);
      line.remove_prefix(at == std::string_view::npos ? 0 : at + blocks.back().address.size());
      while (!line.empty() && (line.front() == '>' || line.front() == ':' || line.front() == '.'))
        line.remove_prefix(1);
    }
    if (blocks.empty()) continue;
    std::string& text = blocks.back().text;
    std::string_view rest = TrimText(line);
    if (rest.empty()) continue;
    if (!text.empty()) text += ' ';
    text += OneLine(rest);
  }
  return blocks;
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : TrimText(text)) {
    bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

std::string ReplyIn(std::string_view text) {
  for (std::size_t i = 0; i + 3 <= text.size(); ++i)
    if (IsReplyCodeAt(text, i)) return OneLine(text.substr(i));
  return OneLine(text);
}

std::string UndoPercentHack(std::string address) {
  auto at = address.rfind('@');
  auto percent = address.rfind('%', at);
  if (at == std::string::npos || percent == std::string::npos || percent == 0) return address;
  std::string original =
      address.substr(0, percent) + "@" + address.substr(percent + 1, at - percent - 1);
  return FirstAddressIn(original) == original ? original : address;
}

bool AddTextRecipient(BounceReport& report, std::string address, BounceAction action,
                      std::string diagnostic) {
  BouncedRecipient r = MakeRecipient(std::move(address), action, {}, std::move(diagnostic));
  int code = ReplyCodeOf(r.diagnostic);
  if ((code >= 200 && code < 300) || (!r.status.empty() && r.status[0] == '2')) return false;
  std::size_t before = report.recipients.size();
  AddRecipient(report, std::move(r));
  return report.recipients.size() > before;
}

bool AddTextBlocks(BounceReport& report, const std::vector<TextBlock>& blocks,
                   BounceAction action) {
  bool added = false;
  for (const TextBlock& block : blocks)
    added = AddTextRecipient(report, block.address, action, ReplyIn(block.text)) || added;
  return added;
}

bool AddAddresses(BounceReport& report, const std::vector<std::string>& addresses,
                  BounceAction action, std::string_view diagnostic) {
  bool added = false;
  for (const std::string& address : addresses)
    added = AddTextRecipient(report, address, action, ReplyIn(diagnostic)) || added;
  return added;
}

std::string_view ValueAfter(std::string_view text, std::string_view label) {
  std::size_t at = FindIgnoreCase(text, label);
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + label.size());
  return TrimText(rest.substr(0, rest.find('\n')));
}

}  // namespace b2bmail::bounce

// --- added for provider readers ---
namespace b2bmail::bounce {
namespace {

// The address a line starts with (after blanks and an opening '<' or quote), and
// where the rest of the line begins; empty when the line starts otherwise.
std::string LeadingAddress(std::string_view line, std::string_view& rest) {
  line = TrimText(line);
  while (!line.empty() && (line.front() == '<' || line.front() == '"' || line.front() == '\''))
    line.remove_prefix(1);
  std::size_t end = 0;
  while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) &&
         std::string_view("<>\"',:;()[]").find(line[end]) == std::string_view::npos)
    ++end;
  std::string_view token = line.substr(0, end);
  if (token.find('@') == std::string_view::npos) return {};
  std::string address = FirstAddressIn(token);
  if (address.empty() || !StartsWithIgnoreCase(token, address)) return {};
  rest = line.substr(end);
  while (!rest.empty() &&
         (std::string_view(">\"':,;.").find(rest.front()) != std::string_view::npos ||
          std::isspace(static_cast<unsigned char>(rest.front()))))
    rest.remove_prefix(1);
  return address;
}

void AppendWords(std::string& to, std::string_view words) {
  words = TrimText(words);
  if (words.empty()) return;
  if (!to.empty()) to += ' ';
  to.append(words);
}

}  // namespace

std::size_t AfterLineWith(std::string_view text, std::string_view marker, std::size_t from) {
  std::size_t at = FindIgnoreCase(text, marker, from);
  if (at == std::string_view::npos) return at;
  std::size_t nl = text.find('\n', at);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

std::vector<ListedRecipient> ListedRecipients(std::string_view text,
                                              std::initializer_list<std::string_view> ends) {
  std::vector<ListedRecipient> listed;
  for (std::string_view line : TextLines(text)) {
    bool end = false;
    for (std::string_view marker : ends) end = end || ContainsIgnoreCase(line, marker);
    if (end) break;
    std::string_view rest;
    std::string address = LeadingAddress(line, rest);
    // The same address again is a wrapped reason ("<a@b>... User unknown"), not a
    // second listing.
    if (!address.empty() && listed.size() < kMaxReportRecipients &&
        (listed.empty() || !base::EqualsIgnoreCase(listed.back().address, address))) {
      listed.push_back({std::move(address), {}});
      AppendWords(listed.back().diagnostic, rest);
    } else if (!listed.empty()) {
      AppendWords(listed.back().diagnostic, line);
    }
  }
  for (std::size_t i = listed.size(); i-- > 1;)
    if (listed[i - 1].diagnostic.empty()) listed[i - 1].diagnostic = listed[i].diagnostic;
  return listed;
}

bool AddListedRecipients(BounceReport& report, const std::vector<ListedRecipient>& listed,
                         BounceAction action) {
  // AddRecipient stops at kMaxReportRecipients; stop classifying there too.
  std::size_t before = report.recipients.size();
  for (const ListedRecipient& r : listed) {
    if (report.recipients.size() >= kMaxReportRecipients) break;
    AddRecipient(report, MakeRecipient(r.address, action, {}, r.diagnostic));
  }
  return report.recipients.size() > before;
}

}  // namespace b2bmail::bounce
