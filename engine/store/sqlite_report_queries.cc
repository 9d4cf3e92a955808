// store::Database's deliverability report queries over SQLite
// (engine/store/sql/deliverability.sql).
#include <algorithm>

#include "b2bmail/base/error.h"
#include "sqlite_database.h"
#include "unix_seconds.h"

namespace b2bmail::store {
namespace {

OutboxState ParseOutboxState(const std::string& name) {
  for (auto state : {OutboxState::kQueued, OutboxState::kSending, OutboxState::kSent,
                     OutboxState::kDeferred, OutboxState::kFailed, OutboxState::kCancelled})
    if (ToString(state) == name) return state;
  throw Error(ErrorKind::kDatabase, "unknown outbox state '" + name + "'");
}

}  // namespace

DeliveryFacts SqliteDatabase::LoadDeliveryFacts(const DeliveryWindow& window) {
  const std::int64_t since = Seconds(window.since), until = Seconds(window.until);
  // Without buckets, one bucket as long as the window: every row lands in bucket 0.
  const std::int64_t bucket =
      window.bucket.count() > 0 ? window.bucket.count() : std::max<std::int64_t>(1, until - since);
  auto bind = [&](SqliteStatement& s) -> SqliteStatement& {
    return s.Bind(":since", since).Bind(":until", until).Bind(":bucket", bucket);
  };
  // One read transaction, so that the three queries see the same snapshot.
  return InTransaction(
      [&] {
        DeliveryFacts facts;
        auto& t = bind(Query("delivery-tallies"));
        while (t.Step()) {
          DeliveryTally r;
          r.domain = t.Text(0);
          r.account_id = t.Text(1);
          r.provider = t.Text(2);
          r.bucket = t.Int(3);
          r.messages = t.Int(4);
          r.accepted = t.Int(5);
          r.deferred = t.Int(6);
          r.failed = t.Int(7);
          if (r.messages > 0) facts.tallies.push_back(std::move(r));
        }
        auto& f = bind(Query("delivery-refused"));
        while (f.Step()) {
          RefusedMessage r;
          r.outbox_id = f.Int(0);
          r.contact_id = f.Int(1);
          r.domain = f.Text(2);
          r.account_id = f.Text(3);
          r.provider = f.Text(4);
          r.state = ParseOutboxState(f.Text(5));
          r.reply = f.Text(6);
          r.at = FromSeconds(f.Int(7));
          r.policy_block = f.Int(8) != 0;
          facts.refused.push_back(std::move(r));
        }
        auto& e = bind(Query("delivery-outcome-events"));
        while (e.Step()) {
          OutcomeEvent r;
          r.contact_id = e.Int(0);
          r.domain = e.Text(1);
          r.account_id = e.Text(2);
          r.provider = e.Text(3);
          r.type = model::Parse<model::EventType>(e.Text(4)).value_or(model::EventType::kBounced);
          r.detail = e.Text(5);
          r.at = FromSeconds(e.Int(6));
          facts.outcomes.push_back(std::move(r));
        }
        return facts;
      },
      "begin-read");
}

}  // namespace b2bmail::store
