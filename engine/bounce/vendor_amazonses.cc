// Amazon SES notifications mailed through SNS: a JSON body, either the SES event itself
// ({"notificationType":"Bounce",...}) or the SNS envelope whose "Message" is that event
// as a string. Bounces and complaints name recipients; "Delivery" (and anything else)
// is a success report and names nobody. SES's bounce DSNs (multipart/report) are RFC
// 3464 and never reach this reader.
// https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
#include "json_lite.h"
#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

// The SES event: the body itself, or the SNS envelope's "Message".
std::optional<JsonValue> SesEvent(std::string_view notice) {
  auto brace = notice.find('{');
  if (brace == std::string_view::npos) return std::nullopt;
  auto body = ParseJson(notice.substr(brace));
  if (!body || body->type != JsonValue::Type::kObject) return std::nullopt;
  if (body->Get("notificationType") || body->Get("eventType")) return body;
  if (body->StringAt("Type") == "Notification") {
    std::string_view message = body->StringAt("Message");
    if (message.empty()) return std::nullopt;
    auto event = ParseJson(message);
    if (event && event->type == JsonValue::Type::kObject) return event;
  }
  return std::nullopt;
}

// bounceSubType, when the recipient has no diagnostic: SES's own reason as a status.
std::string StatusOfSubType(std::string_view sub_type) {
  if (sub_type == "NoEmail" || sub_type == "Suppressed" || sub_type == "OnAccountSuppressionList")
    return "5.1.1";
  if (sub_type == "MailboxFull") return "5.2.2";
  if (sub_type == "MessageTooLarge") return "5.3.4";
  if (sub_type == "ContentRejected" || sub_type == "AttachmentRejected") return "5.6.0";
  return {};
}

bool ReadBounce(const JsonValue& bounce, BounceReport& report) {
  const JsonValue* recipients = bounce.Get("bouncedRecipients");
  if (!recipients) return false;
  // "Transient": SES gave up on a temporary failure; the address may work later.
  const bool transient = bounce.StringAt("bounceType") == "Transient";
  const std::string sub_status = StatusOfSubType(bounce.StringAt("bounceSubType"));
  report.reporting_mta = TextAfterType(bounce.StringAt("reportingMTA"));
  for (const JsonValue& item : recipients->items) {
    std::string address(item.StringAt("emailAddress"));
    if (address.find('@') == std::string::npos) continue;
    std::string status = FindStatus(item.StringAt("status"));
    std::string diagnostic = TextAfterType(item.StringAt("diagnosticCode"));
    if (status.empty() && diagnostic.empty()) status = sub_status;
    if (status.empty() && diagnostic.empty() && transient) status = "4.0.0";
    BounceAction action =
        item.StringAt("action") == "delayed" ? BounceAction::kDelayed : BounceAction::kFailed;
    AddRecipient(report, MakeRecipient(std::move(address), action, std::move(status), diagnostic));
  }
  return !report.recipients.empty();
}

bool ReadComplaint(const JsonValue& complaint, BounceReport& report) {
  const JsonValue* recipients = complaint.Get("complainedRecipients");
  if (!recipients) return false;
  report.kind = BounceReport::Kind::kComplaint;
  report.feedback_type = std::string(complaint.StringAt("complaintFeedbackType"));
  if (report.feedback_type.empty()) report.feedback_type = "abuse";
  for (const JsonValue& item : recipients->items) {
    std::string address(item.StringAt("emailAddress"));
    if (address.find('@') == std::string::npos) continue;
    // As an ARF report: the complainer is suppressed at once.
    BouncedRecipient r;
    r.recipient = std::move(address);
    r.category = smtp::FailureCategory::kPolicyOrSpamBlock;
    r.hard = true;
    AddRecipient(report, std::move(r));
  }
  return !report.recipients.empty();
}

}  // namespace

bool ParseAmazonSes(const BounceMessage& message, BounceReport& report) {
  if (message.notice.find("notificationType") == std::string::npos &&
      message.notice.find("eventType") == std::string::npos)
    return false;
  auto event = SesEvent(message.notice);
  if (!event) return false;
  std::string_view type = event->StringAt("notificationType");
  if (type.empty()) type = event->StringAt("eventType");
  BounceReport attempt = report;
  bool found = false;
  if (type == "Bounce") {
    if (const JsonValue* bounce = event->Get("bounce")) found = ReadBounce(*bounce, attempt);
  } else if (type == "Complaint") {
    if (const JsonValue* complaint = event->Get("complaint"))
      found = ReadComplaint(*complaint, attempt);
  }
  if (!found) return false;
  if (const JsonValue* mail = event->Get("mail"))
    attempt.original_message_id = std::string(mail->StringAt("messageId"));
  report = std::move(attempt);
  return true;
}

}  // namespace b2bmail::bounce
