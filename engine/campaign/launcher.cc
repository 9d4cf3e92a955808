#include "b2bmail/campaign/launcher.h"

#include "b2bmail/mime/message_builder.h"

namespace b2bmail::campaign {

LaunchReport Launch(store::Database& db, const model::Campaign& campaign,
                    const segment::SegmentDefinition& segment, render::MessageTemplate& tmpl,
                    const LaunchOptions& options, const base::Clock& clock, base::Random& random) {
  LaunchReport report;
  auto now = clock.Now();
  auto recipients = db.SelectRecipients(segment::ToFilter(segment, now));
  report.selected = static_cast<std::int64_t>(recipients.size());
  auto queued = db.QueuedContactIds(campaign.id);
  db.SaveCampaign(campaign, now);

  mime::MessageBuilder builder(clock, random);
  std::vector<store::OutboxRow> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    report.queued += db.Enqueue(batch, now);
    batch.clear();
  };
  for (const auto& r : recipients) {
    if (queued.contains(r.contact.id)) {
      ++report.already_queued;
      continue;
    }
    store::OutboxRow row;
    row.campaign = campaign.id;
    row.contact_id = r.contact.id;
    row.recipient = r.contact.email;
    row.sender = campaign.from_address;
    // Opaque and unguessable: the unsubscribe link must not reveal or enumerate addresses.
    row.token = base::RandomToken(random, 26);
    std::string unsubscribe_url = options.tracking_base_url + "/u/" + row.token;

    auto rendered = tmpl.Render(
        {r.contact, r.account ? &*r.account : nullptr, campaign, unsubscribe_url, &options.sender});
    mime::MessageSpec spec;
    spec.from = {campaign.from_address, campaign.from_name};
    spec.to = {r.contact.email,
               r.contact.first_name +
                   (r.contact.first_name.empty() || r.contact.last_name.empty() ? "" : " ") +
                   r.contact.last_name};
    if (!campaign.reply_to.empty()) spec.reply_to = {campaign.reply_to, ""};
    spec.subject = rendered.subject;
    spec.text = rendered.text;
    spec.html = rendered.html;
    spec.extra_headers = {{"List-Unsubscribe", "<" + unsubscribe_url + ">"},
                          {"X-B2bmail-Campaign", campaign.id}};
    row.message = builder.Build(spec).data;
    if (options.signer) row.message = options.signer->Sign(row.message, clock.Now());
    batch.push_back(std::move(row));
    if (batch.size() >= options.batch_size) flush();
  }
  flush();
  return report;
}

}  // namespace b2bmail::campaign
