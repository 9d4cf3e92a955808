// Amazon SES notifications mailed through SNS: a JSON body, either the SES event itself
// ({"notificationType":"Bounce",...}) or the SNS envelope whose "Message" is that event
// as a string. Bounces and complaints name recipients; "Delivery" (and anything else)
// is a success report and names nobody. SES's bounce DSNs (multipart/report) are RFC
// 3464 and never reach this reader. The JSON is read by POCO's parser (depth-limited).
// https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The JSON object that starts at the first '{' of `text`, to its matching '}' (SNS
// appends an unsubscribe footer), without line breaks: mail transport wraps long lines,
// inside strings too, where JSON allows none. Empty when the braces never close.
std::string ObjectText(std::string_view text) {
  std::size_t start = text.find('{');
  if (start == std::string_view::npos) return {};
  std::string out;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') continue;
    out += c;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return out;
    }
  }
  return {};
}

Object::Ptr ParseObject(std::string_view text) {
  std::string json = ObjectText(text);
  if (json.empty()) return nullptr;
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(64);  // SES events nest 4 deep; a hostile message gets no further
    Poco::Dynamic::Var value = parser.parse(json);
    if (value.type() != typeid(Object::Ptr)) return nullptr;
    return value.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

// The member `key` when it is a string, else empty.
std::string Text(const Object::Ptr& object, const std::string& key) {
  if (!object || !object->has(key)) return {};
  Poco::Dynamic::Var value = object->get(key);
  return value.isString() ? value.extract<std::string>() : std::string();
}

// The objects of the array member `key`.
std::vector<Object::Ptr> Objects(const Object::Ptr& object, const std::string& key) {
  std::vector<Object::Ptr> out;
  Array::Ptr array = object ? object->getArray(key) : nullptr;
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i)
    if (Object::Ptr item = array->getObject(static_cast<unsigned int>(i))) out.push_back(item);
  return out;
}

// The SES event: the body itself, or the SNS envelope's "Message".
Object::Ptr SesEvent(std::string_view notice) {
  Object::Ptr body = ParseObject(notice);
  if (!body) return nullptr;
  if (body->has("notificationType") || body->has("eventType")) return body;
  if (Text(body, "Type") == "Notification") {
    std::string message = Text(body, "Message");
    if (!message.empty()) return ParseObject(message);
  }
  return nullptr;
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

bool ReadBounce(const Object::Ptr& bounce, BounceReport& report) {
  // "Transient": SES gave up on a temporary failure; the address may work later.
  const bool transient = Text(bounce, "bounceType") == "Transient";
  const std::string sub_status = StatusOfSubType(Text(bounce, "bounceSubType"));
  report.reporting_mta = TextAfterType(Text(bounce, "reportingMTA"));
  for (const Object::Ptr& item : Objects(bounce, "bouncedRecipients")) {
    std::string address = Text(item, "emailAddress");
    if (address.find('@') == std::string::npos) continue;
    std::string status = FindStatus(Text(item, "status"));
    std::string diagnostic = TextAfterType(Text(item, "diagnosticCode"));
    if (status.empty() && diagnostic.empty()) status = sub_status;
    if (status.empty() && diagnostic.empty() && transient) status = "4.0.0";
    BounceAction action =
        Text(item, "action") == "delayed" ? BounceAction::kDelayed : BounceAction::kFailed;
    AddRecipient(report, MakeRecipient(std::move(address), action, std::move(status), diagnostic));
  }
  return !report.recipients.empty();
}

bool ReadComplaint(const Object::Ptr& complaint, BounceReport& report) {
  report.kind = BounceReport::Kind::kComplaint;
  report.feedback_type = Text(complaint, "complaintFeedbackType");
  if (report.feedback_type.empty()) report.feedback_type = "abuse";
  for (const Object::Ptr& item : Objects(complaint, "complainedRecipients")) {
    std::string address = Text(item, "emailAddress");
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
  Object::Ptr event = SesEvent(message.notice);
  if (!event) return false;
  std::string type = Text(event, "notificationType");
  if (type.empty()) type = Text(event, "eventType");
  BounceReport attempt = report;
  bool found = false;
  if (type == "Bounce") {
    if (Object::Ptr bounce = event->getObject("bounce")) found = ReadBounce(bounce, attempt);
  } else if (type == "Complaint") {
    if (Object::Ptr complaint = event->getObject("complaint"))
      found = ReadComplaint(complaint, attempt);
  }
  if (!found) return false;
  if (Object::Ptr mail = event->getObject("mail"))
    attempt.original_message_id = Text(mail, "messageId");
  report = std::move(attempt);
  return true;
}

}  // namespace b2bmail::bounce
