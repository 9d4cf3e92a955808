// RFC 2369 §3.2 (List-Unsubscribe), RFC 8058 §3.1 (List-Unsubscribe-Post), RFC 2919 §2-3
// (List-Id), Gmail's Feedback-ID (deliverability.md §1), RFC 5321 §4.5.3.1.1 (local part
// length) for VERP addresses.
#include "b2bmail/mime/bulk_headers.h"

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/mime/header_encoding.h"

namespace b2bmail::mime {
namespace {

// A Feedback-ID field appended to `out`: colons separate the fields, so they become '-';
// whitespace goes.
void AppendFeedbackField(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == ':')
      out += '-';
    else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      out += c;
  }
}

// RFC 2919 list-label: dot-atom-text; anything else becomes '-'.
std::string ListLabel(std::string_view id) {
  std::string out;
  for (char c : id) {
    bool atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
    out += atext ? c : '-';
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> BulkHeaderFields(const BulkHeaders& h) {
  // Built with reserved strings: this runs once per message of a launch.
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(4);
  std::string unsubscribe;
  unsubscribe.reserve(h.unsubscribe_url.size() + h.unsubscribe_mailto.size() + 40);
  unsubscribe += '<';
  unsubscribe += h.unsubscribe_url;
  unsubscribe += '>';
  if (!h.unsubscribe_mailto.empty()) {
    unsubscribe += ", <mailto:";
    unsubscribe += h.unsubscribe_mailto;
    unsubscribe += "?subject=unsubscribe>";
  }
  out.emplace_back("List-Unsubscribe", std::move(unsubscribe));
  out.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  const auto& f = h.feedback_id;
  if (!f.sender.empty()) {
    std::string id;
    id.reserve(f.campaign.size() + f.segment.size() + f.mail_type.size() + f.sender.size() + 3);
    AppendFeedbackField(id, f.campaign);
    id += ':';
    AppendFeedbackField(id, f.segment);
    id += ':';
    AppendFeedbackField(id, f.mail_type);
    id += ':';
    AppendFeedbackField(id, f.sender);
    out.emplace_back("Feedback-ID", std::move(id));
  }
  if (!h.list_id.empty()) {
    std::string id = "<" + ListLabel(h.list_id) + "." + std::string(h.list_domain) + ">";
    out.emplace_back("List-Id", h.list_name.empty() ? id : FormatPhrase(h.list_name) + " " + id);
  }
  return out;
}

std::string VerpAddress(std::string_view prefix, std::string_view token, std::string_view domain) {
  std::string local = std::string(prefix) + "+" + std::string(token);
  if (local.size() > 64)
    throw Error(ErrorKind::kUsage, "the bounce address local part '" + local +
                                       "' is longer than 64 octets (RFC 5321): use a shorter "
                                       "prefix than '" +
                                       std::string(prefix) + "'");
  return local + "@" + std::string(domain);
}

std::optional<std::string> VerpToken(std::string_view address, std::string_view prefix) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string local = base::AsciiLower(address.substr(0, at));
  std::string want = base::AsciiLower(prefix) + "+";
  if (!local.starts_with(want) || local.size() == want.size()) return std::nullopt;
  return local.substr(want.size());
}

}  // namespace b2bmail::mime
