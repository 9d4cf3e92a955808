#include "b2bmail/campaign/launcher.h"

#include <optional>

#include "b2bmail/mime/signing_pool.h"

namespace b2bmail::campaign {

LaunchReport Launch(store::Database& db, const model::Campaign& campaign,
                    const segment::SegmentDefinition& segment, render::MessageTemplate& tmpl,
                    const LaunchOptions& options, const base::Clock& clock, base::Random& random) {
  LaunchReport report;
  if (!options.compose.tracking_base_url.starts_with("https://")) {
    report.warnings.push_back(
        "the unsubscribe URL " + options.compose.tracking_base_url +
        "/u/... is not https: Gmail, Yahoo and Outlook.com accept one-click unsubscribe "
        "(RFC 8058) only over https; set [track] base_url");
  }
  auto now = clock.Now();
  SendComposer composer(campaign, tmpl, options.compose, clock, random);
  auto recipients = db.SelectRecipients(segment::ToFilter(segment, now));
  report.selected = static_cast<std::int64_t>(recipients.size());
  auto queued = db.QueuedContactIds(campaign.id);
  db.SaveCampaign(campaign, now);

  std::optional<mime::SigningPool> pool;
  if (options.signer) pool.emplace(*options.signer, options.signing_threads);
  std::vector<store::OutboxRow> batch;
  std::vector<std::string> messages;
  auto flush = [&] {
    if (batch.empty()) return;
    if (pool) {
      messages.clear();
      for (auto& row : batch) messages.push_back(std::move(row.message));
      pool->SignAll(messages, clock.Now());
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i].message = std::move(messages[i]);
    }
    report.queued += db.Enqueue(batch, now);
    batch.clear();
  };
  for (const auto& r : recipients) {
    if (queued.contains(r.contact.id)) {
      ++report.already_queued;
      continue;
    }
    auto send = composer.Compose(r.contact, r.account ? &*r.account : nullptr);
    store::OutboxRow row;
    row.campaign = campaign.id;
    row.contact_id = r.contact.id;
    row.recipient = std::move(send.recipient);
    row.sender = std::move(send.envelope_from);
    row.token = std::move(send.send_key);
    row.message_id = send.message.message_id;
    row.message = std::move(send.message.data);
    batch.push_back(std::move(row));
    if (batch.size() >= options.batch_size) flush();
  }
  flush();
  return report;
}

}  // namespace b2bmail::campaign
