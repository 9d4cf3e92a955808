#include "b2bmail/campaign/bounce_applier.h"

#include "b2bmail/base/strings.h"
#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::campaign {

void BounceApplier::Apply(const bounce::BounceReport& report, base::TimePoint at,
                          BounceApplyCounts& counts) {
  using Kind = bounce::BounceReport::Kind;
  if (report.kind != Kind::kDsn && report.kind != Kind::kComplaint) return;
  // The token names the send, and with it the campaign and the address we used (the
  // report may give it in another case, or after forwarding).
  std::optional<store::SendRef> send;
  if (!report.verp_token.empty())
    if (auto key = tokens_.Verify(track::TokenPurpose::kBounce, report.verp_token))
      send = db_.FindSend(*key);
  // No (valid) token: a forwarded bounce, or a gateway that rewrote the envelope. The
  // Message-ID the report quotes names the send as well.
  if (!send && !report.original_message_id.empty())
    send = db_.FindSendByMessageId(report.original_message_id);
  std::vector<model::Event> events;
  for (const auto& r : report.recipients) {
    if (report.kind == Kind::kDsn && r.action != bounce::BounceAction::kFailed) continue;
    ++counts.recipients;
    std::string email = r.recipient;
    std::string campaign;
    bool one_recipient = report.recipients.size() == 1;
    if (send && (base::EqualsIgnoreCase(send->recipient, r.recipient) || one_recipient)) {
      email = send->recipient;
      campaign = send->campaign;
      ++counts.matched;
    } else if (auto contact = db_.FindContact(email)) {
      email = contact->email;
      ++counts.by_address;
    } else if (auto lower = db_.FindContact(base::AsciiLower(email))) {
      email = lower->email;
      ++counts.by_address;
    } else {
      ++counts.unknown;
      continue;
    }
    model::Event e;
    e.email = email;
    e.at = at;
    e.campaign = campaign;
    if (report.kind == Kind::kComplaint) {
      e.type = model::EventType::kComplained;
      e.detail = report.feedback_type;
      ++counts.complaints;
    } else {
      e.type = model::EventType::kBounced;
      // "hard:bad-mailbox", "soft:policy-or-spam-block": reports tell blocks from bad
      // addresses; the store suppresses hard ones at once and soft ones by its policy.
      e.detail =
          model::FormatBounceDetail({r.hard, std::string(smtp::FailureCategoryName(r.category))});
      ++(r.hard ? counts.hard : counts.soft);
    }
    events.push_back(std::move(e));
  }
  if (!events.empty()) db_.InsertEvents(events);
}

}  // namespace b2bmail::campaign
