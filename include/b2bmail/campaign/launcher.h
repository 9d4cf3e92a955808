#pragma once
// `campaign launch`: select the segment's mailable contacts, render and build one
// message each, and put them in the persistent outbox. Launching again queues only
// contacts that have no message for this campaign yet.

#include <cstdint>
#include <functional>
#include <string>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/render/message_template.h"
#include "b2bmail/segment/segment.h"
#include "b2bmail/store/database.h"

namespace b2bmail::campaign {

struct LaunchOptions {
  // Base of the unsubscribe link; the per-send token is appended as `/u/<token>`.
  // The tracking server that answers it arrives with issue 9.
  std::string tracking_base_url = "http://127.0.0.1:8080";
  // Messages written per store transaction.
  std::size_t batch_size = 500;
  // sender.* in templates (company, postal address, website).
  render::Sender sender;
  // Signs every message when set ([[dkim]] in b2bmail.toml).
  const mime::DkimSigner* signer = nullptr;
};

struct LaunchReport {
  std::int64_t selected = 0;        // mailable contacts in the segment now
  std::int64_t queued = 0;          // messages added to the outbox by this launch
  std::int64_t already_queued = 0;  // contacts skipped: queued by an earlier launch
};

// Thread safety: uses `db`, `tmpl` and `random` exclusively while it runs.
LaunchReport Launch(store::Database& db, const model::Campaign& campaign,
                    const segment::SegmentDefinition& segment, render::MessageTemplate& tmpl,
                    const LaunchOptions& options, const base::Clock& clock, base::Random& random);

}  // namespace b2bmail::campaign
