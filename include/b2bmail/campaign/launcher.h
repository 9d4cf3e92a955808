#pragma once
// `campaign launch`: select the segment's mailable contacts, compose and sign one
// message each, and put them in the persistent outbox. Launching again queues only
// contacts that have no message for this campaign yet.

#include <cstdint>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/campaign/send_composer.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/render/message_template.h"
#include "b2bmail/segment/segment.h"
#include "b2bmail/store/database.h"

namespace b2bmail::campaign {

struct LaunchOptions {
  // Links, tokens, bulk headers, envelope sender (compose.tokens is required).
  ComposeOptions compose;
  // Messages written per store transaction (and signed per batch).
  std::size_t batch_size = 500;
  // Signs every message when set ([[dkim]] in b2bmail.toml).
  const mime::DkimSigner* signer = nullptr;
  // Threads that sign each batch (0: one per core; mime::SigningPool). Signing RSA-2048
  // costs far more than rendering (perf-baselines.md §5) and scales with cores.
  unsigned signing_threads = 0;
};

struct LaunchReport {
  std::int64_t selected = 0;        // mailable contacts in the segment now
  std::int64_t queued = 0;          // messages added to the outbox by this launch
  std::int64_t already_queued = 0;  // contacts skipped: queued by an earlier launch
  // Problems that do not stop a launch but hurt delivery (e.g. an http unsubscribe URL).
  std::vector<std::string> warnings;
};

// Thread safety: uses `db`, `tmpl` and `random` exclusively while it runs.
LaunchReport Launch(store::Database& db, const model::Campaign& campaign,
                    const segment::SegmentDefinition& segment, render::MessageTemplate& tmpl,
                    const LaunchOptions& options, const base::Clock& clock, base::Random& random);

}  // namespace b2bmail::campaign
