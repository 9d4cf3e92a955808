// RFC 3464 (delivery status notifications) and RFC 5965 (feedback reports), read with
// the tolerant MIME parser; RFC 3463 status codes; classification by the sender's table.

#include <algorithm>
#include <cctype>
#include <utility>

#include "auto_reply.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/mime/mime_parser.h"
#include "b2bmail/smtp/reply_classifier.h"
#include "bounce_text.h"
#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

std::string_view Trim(std::string_view s) { return TrimText(s); }

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

// One recipient's fields of a delivery-status part (RFC 3464 §2.3).
struct RecipientFields {
  std::string final_recipient, original_recipient, action, status, diagnostic, remote;
  bool Empty() const { return final_recipient.empty() && original_recipient.empty(); }
};

void AddDsnRecipient(const RecipientFields& f, BounceReport& report) {
  if (f.Empty()) return;
  // RFC 3464 §2.3.3: delivered, relayed and expanded are successes, not bounces.
  BouncedRecipient r;
  if (f.action.rfind("failed", 0) == 0) {
    r.action = BounceAction::kFailed;
  } else if (f.action.rfind("delayed", 0) == 0) {
    r.action = BounceAction::kDelayed;
  } else if (f.action.rfind("expired", 0) == 0) {
    // Not in RFC 3464, but SendGrid's word for giving up after retrying: a failure
    // whose reason is the queue's time limit unless the text says more.
    r.action = BounceAction::kFailed;
    if (f.status.empty() && FindStatus(f.diagnostic).empty()) r.status = "4.4.7";
  } else if (f.action.empty() && !f.status.empty() && (f.status[0] == '5' || f.status[0] == '4')) {
    r.action = f.status[0] == '5' ? BounceAction::kFailed : BounceAction::kDelayed;
  } else {
    return;
  }
  // The address we sent to: Original-Recipient (RCPT TO as given), when it is an
  // address; Final-Recipient is after aliasing and forwarding.
  r.recipient = f.original_recipient.find('@') != std::string::npos ? f.original_recipient
                                                                    : f.final_recipient;
  // Exim names a pipe or file it delivered to ("|/usr/bin/prog kim@example.com"):
  // the address in it is the one we sent to.
  if (!r.recipient.empty() && (r.recipient.front() == '|' || r.recipient.front() == '/')) {
    auto inside = AddressesIn(r.recipient);
    r.recipient = inside.size() == 1 ? inside.front() : std::string();
  }
  // A bare local part ("rfc822; neko") names no address we could have sent to; a
  // source route ("@mx.example.org") neither: Sendmail's text lists the address.
  auto at = r.recipient.find('@');
  if (at == std::string::npos || at == 0) return;
  if (r.status.empty()) r.status = f.status.empty() ? FindStatus(f.diagnostic) : f.status;
  r.diagnostic = f.diagnostic;
  r.remote_mta = f.remote;
  ClassifyRecipient(r);
  report.recipients.push_back(std::move(r));
}

void ReadDsn(std::string_view fields, BounceReport& report) {
  // Recipients are separated by blank lines (RFC 3464 §2.1), but some servers (AOL)
  // write them all in one block: a recipient field that repeats starts the next.
  for (const auto& block : mime::ParseHeaderBlocks(fields)) {
    RecipientFields f;
    for (const auto& h : block) {
      if (base::EqualsIgnoreCase(h.name, "Reporting-MTA")) {
        report.reporting_mta = TextAfterType(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Final-Recipient")) {
        if (!f.final_recipient.empty()) AddDsnRecipient(std::exchange(f, {}), report);
        f.final_recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Original-Recipient")) {
        if (!f.original_recipient.empty()) AddDsnRecipient(std::exchange(f, {}), report);
        f.original_recipient = AddressOf(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Action")) {
        f.action = base::AsciiLower(Trim(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Status")) {
        f.status = FindStatus(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Diagnostic-Code")) {
        f.diagnostic = TextAfterType(h.value);
      } else if (base::EqualsIgnoreCase(h.name, "Remote-MTA")) {
        f.remote = TextAfterType(h.value);
      }
    }
    AddDsnRecipient(f, report);
  }
}

BouncedRecipient Complainer(std::string address) {
  BouncedRecipient r;
  r.recipient = std::move(address);
  r.action = BounceAction::kFailed;
  r.category = smtp::FailureCategory::kPolicyOrSpamBlock;
  r.hard = true;  // a complaint suppresses at once, like a hard bounce
  return r;
}

// The complainer when the report does not name one: the To of the reported message.
// Many providers redact it ("Undisclosed Recipients", "redacted"), and then nobody can
// be named; so can nobody when it lists several.
void AddReportedTo(const mime::MimePart& root, BounceReport& report) {
  std::vector<std::string> to = AddressesIn(OriginalHeader(root, "To"));
  if (to.size() == 1) AddRecipient(report, Complainer(to.front()));
}

void ReadFeedbackReport(const mime::MimePart& root, const mime::MimePart& part,
                        BounceReport& report) {
  report.kind = BounceReport::Kind::kComplaint;
  std::vector<std::string> recipients;
  for (const auto& block : mime::ParseHeaderBlocks(part.decoded_body())) {
    for (const auto& h : block) {
      if (base::EqualsIgnoreCase(h.name, "Feedback-Type")) {
        report.feedback_type = base::AsciiLower(Trim(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Original-Rcpt-To") ||
                 // RFC 5965 §7.3's opt-out reports name who asked to be removed.
                 base::EqualsIgnoreCase(h.name, "Removal-Recipient")) {
        // One field per complainer: a report may carry several (RFC 5965 §3.2).
        recipients.push_back(AddressOf(h.value));
      } else if (base::EqualsIgnoreCase(h.name, "Reporting-MTA")) {
        report.reporting_mta = TextAfterType(h.value);
      }
    }
  }
  // RFC 6591 authentication-failure reports (DMARC forensic reports) say our mail
  // failed SPF or DKIM somewhere, not that anybody complained: no recipient is at
  // fault, none is named, and nothing is suppressed.
  if (report.feedback_type == "auth-failure") {
    report.kind = BounceReport::Kind::kNone;
    return;
  }
  for (auto& address : recipients)
    if (address.find('@') != std::string::npos) AddRecipient(report, Complainer(address));
  if (report.recipients.empty()) AddReportedTo(root, report);
}

// RFC 3464 fields written into the text of a message whose MIME structure broke (a
// boundary that never appears, a report sent as one text part): read from the first
// line of the notice that starts them (ParseRfc3464Text, vendor_parsers.h).
bool ReadInlineDsn(std::string_view notice, BounceReport& report) {
  std::size_t start = std::string_view::npos;
  for (std::string_view field : {"Reporting-MTA:", "Final-Recipient:"}) {
    for (std::size_t at = FindIgnoreCase(notice, field); at != std::string_view::npos;
         at = FindIgnoreCase(notice, field, at + 1)) {
      if (at == 0 || notice[at - 1] == '\n') {
        start = std::min(start, at);
        break;
      }
    }
  }
  if (start == std::string_view::npos) return false;
  ReadDsn(notice.substr(start), report);
  return !report.recipients.empty();
}

// What Sendmail's human-readable part adds to its delivery-status part, which often
// leaves both out: the address a local alias was expanded from ("(expanded from:
// <kim@example.org>)", the address we sent to), and, for a recipient without a
// Diagnostic-Code, the transcript's words ("mail.local: unknown user: kim").
void AddNoticeDetails(std::string_view notice, BounceReport& report) {
  if (report.recipients.size() == 1) {
    constexpr std::string_view kExpanded = "(expanded from:";
    std::size_t at = FindIgnoreCase(notice, kExpanded);
    if (at != std::string_view::npos &&
        FindIgnoreCase(notice, kExpanded, at + 1) == std::string_view::npos) {
      std::size_t end = notice.find(')', at);
      auto inside = AddressesIn(notice.substr(at, end == std::string_view::npos ? 200 : end - at));
      if (inside.size() == 1) report.recipients.front().recipient = inside.front();
    }
  }
  constexpr std::string_view kTranscript = "Transcript of session follows";
  std::size_t at = FindIgnoreCase(notice, kTranscript);
  if (at == std::string_view::npos) return;
  std::string transcript;
  for (std::string_view line : TextLines(notice.substr(at + kTranscript.size()))) {
    line = TrimText(line);
    if (line.empty() || line.front() == '-') {
      if (!transcript.empty()) break;
      continue;
    }
    if (line.find(':') == std::string_view::npos && ReplyCodeOf(line) == 0) continue;
    if (StartsWithIgnoreCase(line, "Reporting-MTA:") ||
        StartsWithIgnoreCase(line, "Final-Recipient:"))
      break;
    if (!transcript.empty()) transcript += ' ';
    transcript += line;
  }
  if (transcript.empty()) return;
  for (auto& r : report.recipients) {
    if (!r.diagnostic.empty()) continue;
    r.diagnostic = transcript;
    ClassifyRecipient(r);
  }
}

// Hotmail's older complaint format (before it sent ARF): "complaint about message from
// <IP>" from staff@hotmail.com, the reported message attached as message/rfc822.
bool ReadHotmailComplaint(const mime::MimePart& root, BounceReport& report) {
  std::string from = base::AsciiLower(root.HeaderValue("From"));
  std::string subject = base::AsciiLower(Trim(root.HeaderValue("Subject")));
  if (from.find("staff@hotmail.com") == std::string::npos ||
      subject.rfind("complaint about message from", 0) != 0)
    return false;
  report.kind = BounceReport::Kind::kComplaint;
  report.feedback_type = "abuse";
  AddReportedTo(root, report);
  return true;
}

}  // namespace

bool ParseRfc3464Text(const BounceMessage& message, BounceReport& report) {
  if (!ReadInlineDsn(message.notice, report)) return false;
  AddNoticeDetails(message.notice, report);
  return true;
}

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
    report.format = "arf";
    report.original_message_id = MessageIdOf(root);
    return report;
  }
  if (ReadHotmailComplaint(root, report)) {
    report.format = "hotmail-complaint";
    report.original_message_id = MessageIdOf(root);
    return report;
  }
  const mime::MimePart* status = root.FindFirst("message/delivery-status");
  if (!status) status = root.FindFirst("message/global-delivery-status");
  BounceMessage text = ReadBounceMessage(root);
  if (status) {
    ReadDsn(status->decoded_body(), report);
    AddNoticeDetails(text.notice, report);
    report.original_message_id = MessageIdOf(root);
    if (report.verp_token.empty())
      report.verp_token = VerpToken(OriginalHeader(root, "Return-Path"), options.verp_prefix);
    if (!report.recipients.empty()) {
      report.kind = BounceReport::Kind::kDsn;
      report.format = "rfc3464";
      return report;
    }
  }
  // A vendor's own format, or a delivery-status part that named nobody usable.
  for (const VendorEntry& vendor : VendorParsers()) {
    BounceReport attempt = report;
    if (vendor.parse(text, attempt) && !attempt.recipients.empty()) {
      // A reader may say it read a complaint (Amazon SES's notifications); else it is a
      // non-delivery report.
      if (attempt.kind != BounceReport::Kind::kComplaint) attempt.kind = BounceReport::Kind::kDsn;
      attempt.format = std::string(vendor.name);
      if (attempt.original_message_id.empty()) attempt.original_message_id = MessageIdOf(root);
      return attempt;
    }
  }
  if (BounceReport generic = report;
      ParseGenericText(text, generic) && !generic.recipients.empty()) {
    generic.kind = BounceReport::Kind::kDsn;
    generic.format = "generic-text";
    if (generic.original_message_id.empty()) generic.original_message_id = MessageIdOf(root);
    return generic;
  }
  if (status) return report;  // a delivery-status part without failures: not a bounce
  // Something from a mailer daemon, or with a returned message inside, that no reader
  // understood: never guessed at.
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
