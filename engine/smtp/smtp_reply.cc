#include "smtp_reply.h"

#include <cctype>

#include "b2bmail/base/error.h"
#include "b2bmail/smtp/reply_classifier.h"

namespace b2bmail::smtp {
namespace {

// §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it, so be lenient.
constexpr std::size_t kMaxReplyLine = 8192;
constexpr std::size_t kMaxReplyLines = 1000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Number of leading digits of `s`, at most `max`.
std::size_t CountDigits(std::string_view s, std::size_t max) {
  std::size_t n = 0;
  while (n < s.size() && n < max && IsDigit(s[n])) ++n;
  return n;
}

}  // namespace

std::string SmtpReply::Text() const {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) text += '\n';
    text += line;
  }
  return text;
}

std::optional<SmtpReply> ReplyAssembler::AddLine(std::string_view raw) {
  std::string_view line = raw;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() > kMaxReplyLine) throw Error(ErrorKind::kProtocol, "reply line too long");
  if (line.size() < 3 || CountDigits(line, 3) != 3 ||
      (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
    throw Error(ErrorKind::kProtocol,
                "malformed reply line \"" + std::string(line.substr(0, 80)) + "\"");
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599) {
    throw Error(ErrorKind::kProtocol, "reply code " + std::to_string(code) + " is not 2yz-5yz");
  }
  if (!reply_.lines.empty() && code != reply_.code) {
    throw Error(ErrorKind::kProtocol, "reply code changed from " + std::to_string(reply_.code) +
                                          " to " + std::to_string(code) + " within one reply");
  }
  reply_.code = code;
  bool last = line.size() == 3 || line[3] == ' ';
  reply_.lines.emplace_back(line);
  if (!last) {
    if (reply_.lines.size() >= kMaxReplyLines) {
      throw Error(ErrorKind::kProtocol,
                  "reply longer than " + std::to_string(kMaxReplyLines) + " lines");
    }
    return std::nullopt;
  }
  SmtpReply reply = std::move(reply_);
  reply_ = SmtpReply{};
  std::string_view first = reply.lines.front();
  reply.enhanced = ParseEnhancedCode(reply.code, first.size() > 4 ? first.substr(4) : "");
  return reply;
}

std::string ParseEnhancedCode(int reply_code, std::string_view text) {
  // RFC 3463 §2: status-code = class "." subject "." detail; class is 2, 4 or 5,
  // subject and detail 1 to 3 digits.
  if (text.size() < 5 || !IsDigit(text[0]) || text[0] - '0' != reply_code / 100 || text[1] != '.') {
    return {};
  }
  std::size_t pos = 2;
  std::size_t subject = CountDigits(text.substr(pos), 3);
  if (subject == 0) return {};
  pos += subject;
  if (pos >= text.size() || text[pos] != '.') return {};
  ++pos;
  std::size_t detail = CountDigits(text.substr(pos), 3);
  if (detail == 0) return {};
  pos += detail;
  if (pos < text.size() && text[pos] != ' ') return {};
  return std::string(text.substr(0, pos));
}

DeliveryOutcome ToOutcome(const SmtpReply& reply) {
  DeliveryOutcome outcome;
  outcome.reply_code = reply.code;
  outcome.enhanced = reply.enhanced;
  outcome.text = reply.Text();
  auto classified = ClassifyReply(reply.code, outcome.enhanced, outcome.text);
  outcome.status = classified.status;
  outcome.category = classified.category;
  return outcome;
}

}  // namespace b2bmail::smtp
