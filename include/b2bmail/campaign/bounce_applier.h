#pragma once
// What a parsed bounce or complaint does to the store (ARCHITECTURE.md: campaign owns
// bounce application): it finds the send by the VERP token (verified, so a forged or
// mistyped address names nothing), else by the Message-ID the report quotes, records a
// `bounced` event (detail "hard:<category>" or "soft:<category>", model::BounceDetail)
// or a `complained` one (detail: the feedback type) for the contact and campaign. The
// store, in the same transaction, suppresses hard bounces and complainers at once and
// soft bounces by its SuppressionPolicy (store::Database::InsertEvents). Delayed
// notices are not bounces and record nothing.

#include <cstdint>

#include "b2bmail/base/clock.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/store/database.h"
#include "b2bmail/track/token_signer.h"

namespace b2bmail::campaign {

struct BounceApplyCounts {
  std::int64_t recipients = 0;  // failed recipients and complainers in the reports
  std::int64_t matched = 0;     // to a send by a valid token or its Message-ID
  std::int64_t by_address = 0;  // no valid token: matched to a contact by address only
  std::int64_t unknown = 0;     // neither: nothing recorded
  std::int64_t hard = 0, soft = 0, complaints = 0;  // events recorded
};

// Borrows `db` and `tokens`. Not thread-safe.
class BounceApplier {
 public:
  BounceApplier(store::Database& db, const track::TokenSigner& tokens) : db_(db), tokens_(tokens) {}

  // Records the report's events at `at` (the bounce's Date, so re-ingesting the same
  // message records nothing twice), adding to `counts`.
  void Apply(const bounce::BounceReport& report, base::TimePoint at, BounceApplyCounts& counts);

 private:
  store::Database& db_;
  const track::TokenSigner& tokens_;
};

}  // namespace b2bmail::campaign
