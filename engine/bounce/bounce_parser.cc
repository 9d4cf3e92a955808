// RFC 3464 (delivery status notifications) and RFC 5965 (feedback reports), read with
// the tolerant MIME parser; RFC 3463 status codes; classification by the sender's table.

#include <algorithm>
#include <cctype>

#include "auto_reply.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/mime/mime_parser.h"
#include "b2bmail/smtp/reply_classifier.h"

namespace b2bmail::bounce {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "rfc822; <Anna@Example.com>" -> "Anna@Example.com" (RFC 3464 §2.3.1: address-type;
// address). Angle brackets and a trailing dot are seen in the wild.
std::string AddressOf(std::string_view field) {
  auto semi = field.find(';');
  std::string_view address = Trim(semi == std::string_view::npos ? field : field.substr(semi + 1));
  if (!address.empty() && address.front() == '<') address.remove_prefix(1);
  if (!address.empty() && address.back() == '>') address.remove_suffix(1);
  return std::string(Trim(address));
}

// "smtp; 550 5.1.1 <a@b>: User unknown" -> "550 5.1.1 <a@b>: User unknown".
std::string TextAfterType(std::string_view field) {
  auto semi = field.find(';');
  std::string_view text = semi == std::string_view::npos ? field : field.substr(semi + 1);
  return std::string(Trim(text));
}

// The first RFC 3463 code in `text` ("x.y.z" with x 2, 4 or 5), or empty.
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

// The three-digit SMTP reply code at the start of a diagnostic, or 0.
int ReplyCodeOf(std::string_view diagnostic) {
  if (diagnostic.size() < 3) return 0;
  for (int i = 0; i < 3; ++i)
    if (!std::isdigit(static_cast<unsigned char>(diagnostic[i]))) return 0;
  if (diagnostic.size() > 3 && std::isdigit(static_cast<unsigned char>(diagnostic[3]))) return 0;
  int code = (diagnostic[0] - '0') * 100 + (diagnostic[1] - '0') * 10 + (diagnostic[2] - '0');
  return code >= 200 && code <= 599 ? code : 0;
}

void Classify(BouncedRecipient& r) {
  int code = ReplyCodeOf(r.diagnostic);
  if (code == 0) {
    // No reply code: the status class decides (a delayed DSN is temporary by nature).
    char klass = r.status.empty() ? (r.action == BounceAction::kDelayed ? '4' : '5') : r.status[0];
    code = klass == '4' ? 450 : klass == '2' ? 250 : 550;
  }
  if (r.action == BounceAction::kDelayed && code >= 500) code = 450;
  std::string enhanced = r.status.empty() ? FindStatus(r.diagnostic) : r.status;
  if (!r.status.empty() && code / 100 != r.status[0] - '0') {
    // The status field outranks a reply code of another class quoted in the text.
    code = r.status[0] == '4' ? 450 : 550;
  }
  auto c = smtp::ClassifyReply(code, enhanced, r.diagnostic);
  r.category = c.category;
  smtp::DeliveryOutcome outcome;
  outcome.status = c.status;
  outcome.category = c.category;
  r.hard = r.action == BounceAction::kFailed && smtp::SuppressesAddress(outcome);
}

// The token of our bounce address <prefix>+TOKEN@domain among `addresses`.
std::string VerpToken(std::string_view addresses, const std::string& prefix) {
  std::string lower = base::AsciiLower(addresses);
  std::string marker = base::AsciiLower(prefix) + "+";
  for (std::size_t pos = lower.find(marker); pos != std::string::npos;
       pos = lower.find(marker, pos + 1)) {
    bool boundary = pos == 0 || !(std::isalnum(static_cast<unsigned char>(lower[pos - 1])) ||
                                  lower[pos - 1] == '.' || lower[pos - 1] == '-');
    std::size_t start = pos + marker.size();
    std::size_t at = lower.find('@', start);
    if (!boundary || at == std::string::npos || at == start) continue;
    std::string token = lower.substr(start, at - start);
    bool plain = std::all_of(token.begin(), token.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '=';
    });
    if (plain) return token;
  }
  return {};
}

const mime::MimePart* FindOriginalHeaders(const mime::MimePart& root) {
  for (const char* type :
       {"message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"}) {
    if (const mime::MimePart* part = root.FindFirst(type)) {
      if (!part->children().empty()) return part->children().front();
      return part;
    }
  }
  return nullptr;
}

// A header of the returned message: from a message/rfc822 part's message, or read out
// of a text/rfc822-headers body (RFC 3462 §2).
std::string OriginalHeader(const mime::MimePart& root, std::string_view name) {
  const mime::MimePart* original = FindOriginalHeaders(root);
  if (!original) return {};
  if (original->content_type().Is("text/rfc822-headers") ||
      original->content_type().Is("message/global-headers")) {
    for (const auto& block : mime::ParseHeaderBlocks(original->decoded_body()))
      for (const auto& h : block)
        if (base::EqualsIgnoreCase(h.name, name)) return std::string(Trim(h.value));
    return {};
  }
  return std::string(Trim(original->HeaderValue(name)));
}

std::string MessageIdOf(const mime::MimePart& root) { return OriginalHeader(root, "Message-ID"); }

void ReadDsn(const mime::MimePart& status_part, BounceReport& report) {
  auto blocks = mime::ParseHeaderBlocks(status_part.decoded_body());
  bool first = true;
  for (const auto& block : blocks) {
    std::string final_recipient, original_recipient, action, status, diagnostic, remote;
    bool per_message = false;
    for (const auto& h : block) {
      if (base::EqualsIgnoreCase(h.name, "Reporting-MTA")) {
        report.reporting_mta = TextAfterType(h.value);
        per_message = true;
      } else if (base::EqualsIgnoreCase(h.name, "Final-Recipient")) {
        final_recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Original-Recipient")) {
        original_recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Action")) {
        action = base::AsciiLower(Trim(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Status")) {
        status = FindStatus(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Diagnostic-Code")) {
        diagnostic = TextAfterType(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Remote-MTA")) {
        remote = TextAfterType(h.value);
      }
    }
    if (first && per_message && final_recipient.empty()) {
      first = false;
      continue;
    }
    first = false;
    if (final_recipient.empty() && original_recipient.empty()) continue;
    // RFC 3464 §2.3.3: delivered, relayed and expanded are successes, not bounces.
    BouncedRecipient r;
    if (action.rfind("failed", 0) == 0) {
      r.action = BounceAction::kFailed;
    } else if (action.rfind("delayed", 0) == 0) {
      r.action = BounceAction::kDelayed;
    } else if (action.empty() && !status.empty() && (status[0] == '5' || status[0] == '4')) {
      r.action = status[0] == '5' ? BounceAction::kFailed : BounceAction::kDelayed;
    } else {
      continue;
    }
    // The address we sent to: Original-Recipient (RCPT TO as given), when it is an
    // address; Final-Recipient is after aliasing and forwarding.
    r.recipient =
        original_recipient.find('@') != std::string::npos ? original_recipient : final_recipient;
    // A bare local part ("rfc822; neko") names no address we could have sent to.
    if (r.recipient.find('@') == std::string::npos) continue;
    r.status = status.empty() ? FindStatus(diagnostic) : status;
    r.diagnostic = diagnostic;
    r.remote_mta = remote;
    Classify(r);
    report.recipients.push_back(std::move(r));
  }
}

void ReadFeedbackReport(const mime::MimePart& root, const mime::MimePart& part,
                        BounceReport& report) {
  report.kind = BounceReport::Kind::kComplaint;
  std::string recipient;
  for (const auto& block : mime::ParseHeaderBlocks(part.decoded_body())) {
    for (const auto& h : block) {
      if (base::EqualsIgnoreCase(h.name, "Feedback-Type")) {
        report.feedback_type = base::AsciiLower(Trim(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Original-Rcpt-To") && recipient.empty()) {
        recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Reporting-MTA")) {
        report.reporting_mta = TextAfterType(h.value);
      }
    }
  }
  // Without Original-Rcpt-To (it is optional), the complainer is the To of the
  // original message; many providers redact it, and then nobody can be named.
  if (recipient.empty()) {
    if (const mime::MimePart* original = FindOriginalHeaders(root))
      recipient = AddressOf(original->HeaderValue("To"));
  }
  if (recipient.find('@') != std::string::npos) {
    BouncedRecipient r;
    r.recipient = recipient;
    r.action = BounceAction::kFailed;
    r.category = smtp::FailureCategory::kPolicyOrSpamBlock;
    r.hard = true;  // a complaint suppresses at once, like a hard bounce
    report.recipients.push_back(std::move(r));
  }
}

}  // namespace

std::string_view KindName(BounceReport::Kind kind) {
  switch (kind) {
    case BounceReport::Kind::kNone:
      return "none";
    case BounceReport::Kind::kDsn:
      return "dsn";
    case BounceReport::Kind::kComplaint:
      return "complaint";
    case BounceReport::Kind::kAutoReply:
      return "auto-reply";
    case BounceReport::Kind::kUnrecognised:
      return "unrecognised";
  }
  return "none";
}

BounceReport ParseBounce(std::string_view raw_message, const BounceParseOptions& options) {
  BounceReport report;
  mime::ParsedMessage message = mime::ParseMessage(raw_message);
  const mime::MimePart& root = message.root();
  std::string addressees = std::string(root.HeaderValue("To")) + " " +
                           std::string(root.HeaderValue("Delivered-To")) + " " +
                           std::string(root.HeaderValue("X-Original-To")) + " " +
                           std::string(root.HeaderValue("Envelope-To"));
  report.verp_token = VerpToken(addressees, options.verp_prefix);

  if (const mime::MimePart* feedback = root.FindFirst("message/feedback-report")) {
    ReadFeedbackReport(root, *feedback, report);
    report.original_message_id = MessageIdOf(root);
    return report;
  }
  const mime::MimePart* status = root.FindFirst("message/delivery-status");
  if (!status) status = root.FindFirst("message/global-delivery-status");
  if (status) {
    ReadDsn(*status, report);
    report.original_message_id = MessageIdOf(root);
    if (report.verp_token.empty())
      report.verp_token = VerpToken(OriginalHeader(root, "Return-Path"), options.verp_prefix);
    report.kind = report.recipients.empty() ? BounceReport::Kind::kNone : BounceReport::Kind::kDsn;
    return report;
  }
  // A non-delivery report in a vendor's own format (no delivery-status part): from a
  // mailer daemon, or with a returned message inside. Not read yet; never guessed at.
  // Checked before auto-replies: Exim marks its bounces "Auto-Submitted: auto-replied".
  std::string from = base::AsciiLower(root.HeaderValue("From"));
  std::string subject = base::AsciiLower(root.HeaderValue("Subject"));
  bool daemon = from.find("mailer-daemon") != std::string::npos ||
                from.find("postmaster") != std::string::npos ||
                from.find("mail delivery") != std::string::npos;
  bool returned = FindOriginalHeaders(root) != nullptr;
  bool sounds_like = subject.find("undeliver") != std::string::npos ||
                     subject.find("delivery") != std::string::npos ||
                     subject.find("failure") != std::string::npos ||
                     subject.find("returned") != std::string::npos;
  if (daemon || (returned && sounds_like)) {
    report.kind = BounceReport::Kind::kUnrecognised;
  } else if (IsAutoReply(root)) {
    report.kind = BounceReport::Kind::kAutoReply;
  }
  return report;
}

}  // namespace b2bmail::bounce
