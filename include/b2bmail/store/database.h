#pragma once
// The store port: everything the engine persists, behind one interface so that the
// SQLite implementation (open_sqlite.h) can later be joined by PostgreSQL.
// Nothing here names SQL or SQLite.
//
// Errors: every method throws b2bmail::Error{kDatabase} when the store fails.
// Thread safety: a Database is used by one thread at a time; open one per thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/model/account.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/model/contact.h"
#include "b2bmail/model/contact_filter.h"
#include "b2bmail/model/event.h"

namespace b2bmail::store {

// Which optional columns an import file carried. An upsert only overwrites the
// columns that are present, so a file with `email,title` updates titles and
// leaves everything else as it was. Custom attributes are merged by name.
struct AccountColumns {
  bool name = true, domains = true, industry = true, employees = true, country = true,
       timezone = true, stage = true, tier = true, buying_step = true, purchase_type = true;
};
struct ContactColumns {
  bool first_name = true, last_name = true, title = true, account_id = true, role = true,
       seniority = true, department = true, language = true, country = true, timezone = true,
       consent = true, unsubscribed = true;
};

// Outcome of writing one row.
struct RowResult {
  enum class Status { kInserted, kUpdated, kUnchanged, kRejected };
  Status status = Status::kInserted;
  std::string reason;  // set when kRejected; AddSuppressions: also what kUnchanged kept
};

// Account keys for validating contact rows without a query per row.
struct AccountDirectory {
  std::unordered_set<std::string> ids;
  std::unordered_map<std::string, std::string> account_by_domain;  // lower-case domain -> id
};

// A mailable contact selected by a filter, with its account (when it has one).
struct Recipient {
  model::Contact contact;
  std::optional<model::Account> account;
};

struct SelectionCount {
  std::int64_t contacts = 0;
  std::int64_t accounts = 0;  // distinct accounts among the contacts
};

// One message in the persistent outbox.
struct OutboxRow {
  std::int64_t id = 0;
  std::string campaign;
  std::int64_t contact_id = 0;
  std::string recipient;  // RCPT TO
  std::string sender;     // MAIL FROM
  std::string token;      // opaque per-send token (unsubscribe links, later VERP and tracking)
  std::string message;    // the complete RFC 5322 message, CRLF line ends
  // Its Message-ID without angle brackets (bounces that lost our VERP token quote it);
  // may be empty. Written by Enqueue; ClaimDue does not read it back.
  std::string message_id;
  int attempts = 0;
  base::TimePoint queued_at{};  // when it was queued (retries expire counting from here)
  // The destination: the lower-case (ASCII) part of `recipient` after its last '@'.
  // Set by the store: Enqueue derives it from `recipient` and ignores this field.
  std::string domain;
  // The MX provider rollup ("google", "microsoft", ...) the engine recorded with the
  // last attempt; empty until an attempt names one. Enqueue ignores this field.
  std::string provider;
};

// kCancelled: taken out of the queue by an operator (PurgeCampaign); never sent.
enum class OutboxState { kQueued, kSending, kSent, kDeferred, kFailed, kCancelled };

struct OutboxCounts {
  std::int64_t queued = 0, sending = 0, sent = 0, deferred = 0, failed = 0, cancelled = 0;
};

// What ClaimDue leaves in the queue besides paused destinations.
struct ClaimFilter {
  // Destinations the caller cannot serve now (throttled, at their warm-up cap, circuit
  // open): lower-case domains as in OutboxRow::domain.
  std::vector<std::string> skip_domains;
};

// The result of one delivery attempt, for RecordAttempts.
struct AttemptRecord {
  std::int64_t id = 0;                          // outbox id
  OutboxState state = OutboxState::kSent;       // kSent, kDeferred or kFailed
  std::string reply;                            // what the server said, as shown to operators
  base::TimePoint at{};                         // when the attempt ended
  std::optional<base::TimePoint> next_attempt;  // REQUIRED for kDeferred, ignored otherwise
  std::string provider;                         // MX provider rollup; empty keeps the stored one
  std::vector<model::Event> events;             // recorded with it (a `sent`, a hard `bounced`)
  // A policy or spam block: the address is fine, but the destination domain and the
  // contact's account need a person's attention (a blocklist, a gateway rule). Recorded
  // in delivery_attention with the reply.
  bool needs_attention = false;
};

// The send a token's key names (bounces and, later, tracking find theirs this way).
struct SendRef {
  std::int64_t outbox_id = 0;
  std::string campaign;
  std::string recipient;  // the address it was sent to
};

// Which kind of destination an operator paused.
enum class PauseKind { kDomain, kProvider };

// One destination domain in the queue, for `queue status`.
struct QueueStatusRow {
  std::string domain;
  std::string provider;  // the most recently recorded non-empty provider of the domain
  std::int64_t queued = 0, sending = 0, deferred = 0, sent = 0, failed = 0, cancelled = 0;
  std::int64_t sent_last_hour = 0;    // sent with their last attempt in (now - 1 h, now]
  std::string last_reply;             // of the message attempted last (purged: "[cancelled] ...")
  base::TimePoint last_attempt_at{};  // epoch when nothing was attempted yet
  bool paused = false;                // the domain or its provider is paused
  std::int64_t policy_blocks = 0;     // attempts refused by policy or as spam (needs attention)
};

// A destination that refused our mail by policy (delivery_attention), for operators and
// account owners: which domain, which account, what it said and when.
struct AttentionRow {
  std::string domain;
  std::string account_id;  // the contact's account; empty when it has none
  std::int64_t blocks = 0;
  std::string last_reply;
  base::TimePoint last_at{};
};

// Where a suppression came from.
enum class SuppressionSource {
  kBounce,     // a hard bounce, or soft bounces adding up (SuppressionPolicy)
  kComplaint,  // the recipient complained (an ARF report, a `complained` event)
  kManual,     // `b2bmail suppress add`
  kImport,     // `b2bmail suppress import`, e.g. a list from another tool
};

// An address that is not mailed (selection leaves it out) until `expires_at`; without
// an expiry it is permanent ("hard"). Keyed by the address, ASCII case ignored; it need
// not belong to a contact (a list from another tool may name people not imported yet).
struct Suppression {
  std::string email;
  // Why, for people: "hard-bounce: bad-mailbox", "complaint: abuse",
  // "soft-bounces: 3 in 30 days (last: mailbox-full)", or an operator's words.
  std::string reason;
  SuppressionSource source = SuppressionSource::kManual;
  base::TimePoint created_at{};
  std::optional<base::TimePoint> expires_at;  // nullopt: permanent

  bool permanent() const { return !expires_at; }
  // In force at `now`: permanent, or expiring after `now` (selection's rule).
  bool active(base::TimePoint now) const { return !expires_at || *expires_at > now; }
};

// When soft bounces add up to a suppression: the counting half of the bounce policy.
//
// Why the store applies it (ARCHITECTURE.md gives "bounce policy" to module bounce):
// bounce decides what a returned message is (hard or soft, which category); whether a
// soft bounce suppresses depends on the contact's earlier bounces, which only the
// store holds, and must be decided in the transaction that records the bounce, so
// that two ingest runs at once cannot both count two and neither suppress, and a crash
// never leaves the third bounce recorded without its suppression. The store sits below
// bounce in the layers, so the policy is this plain value, filled by the CLI from
// b2bmail.toml [suppression] and set once per connection (SetSuppressionPolicy): every
// path that records bounces (bounce ingest, deliver, import events) applies the same.
//
// The rule: when a soft bounce at time `at` is recorded and the contact then has at
// least `soft_bounce_limit` soft `bounced` events in [at - soft_bounce_window, at],
// the address is suppressed until at + soft_suppression. Evaluated over every window
// the new event falls in, so events recorded out of time order (an import, a late
// bounce) end in the same suppression as in order.
struct SuppressionPolicy {
  int soft_bounce_limit = 3;                 // 0: soft bounces never suppress
  std::chrono::days soft_bounce_window{30};  // REQUIRES: > 0
  std::chrono::days soft_suppression{30};    // REQUIRES: > 0
};

// --- deliverability report (structs) ---------------------------------------------
// The facts `report deliverability` aggregates (report/deliverability_report.h): what
// happened to mail for each destination domain and account within a time window.

// [since, until) and, when `bucket` is positive, figures per bucket of that length
// counted from `since` (bucket i covers [since + i*bucket, since + (i+1)*bucket)).
struct DeliveryWindow {
  base::TimePoint since{};
  base::TimePoint until{};
  std::chrono::seconds bucket{0};
};

// Messages counted together: one destination domain, account, provider and bucket.
// A message counts once, in the bucket of its last attempt, by its state now.
struct DeliveryTally {
  std::string domain;      // lower case
  std::string account_id;  // the contact's account, else the one owning the domain; ""
  std::string provider;    // MX provider rollup; "" when not known (imported history)
  std::int64_t bucket = 0;
  std::int64_t messages = 0;  // attempted (outbox) or sent (imported `sent` events)
  std::int64_t accepted = 0;  // accepted by the receiving server: outbox `sent` state,
                              // or imported `delivered` events
  std::int64_t deferred = 0;  // waiting for a retry after a temporary refusal
  std::int64_t failed = 0;    // given up: permanent refusal or retries expired
};

// One message refused by the destination: failed or deferred at its last attempt in
// the window, or refused by policy or as spam at an attempt in the window.
struct RefusedMessage {
  std::int64_t outbox_id = 0;
  std::int64_t contact_id = 0;
  std::string domain, account_id, provider;  // as in DeliveryTally
  OutboxState state = OutboxState::kFailed;  // now
  // The reply as stored ("[category] 550 5.7.1 ..." since issue 7); a policy block's
  // own reply when `policy_block`, else the last attempt's.
  std::string reply;
  base::TimePoint at{};  // of that reply
  // The engine judged an attempt in the window a policy or spam block
  // (AttemptRecord::needs_attention, kept in delivery_attention).
  bool policy_block = false;
};

// A bounce or complaint recorded after the fact (DSN, ARF, imported events).
struct OutcomeEvent {
  std::int64_t contact_id = 0;
  std::string domain, account_id;  // as in DeliveryTally (from the contact's address)
  std::string provider;            // of the campaign's message to the contact, if queued here
  model::EventType type = model::EventType::kBounced;  // kBounced or kComplained
  std::string detail;  // bounced: "hard", "soft", "hard:<category>", "soft:<category>"
  base::TimePoint at{};
};

struct DeliveryFacts {
  std::vector<DeliveryTally> tallies;
  std::vector<RefusedMessage> refused;
  std::vector<OutcomeEvent> outcomes;
};

class Database {
 public:
  virtual ~Database() = default;

  // --- accounts and contacts -------------------------------------------------
  // Upserts by key in one transaction; one result per input row, in order.
  // A domain already owned by another account rejects the row.
  virtual std::vector<RowResult> UpsertAccounts(std::span<const model::Account> rows,
                                                const AccountColumns& columns) = 0;
  // REQUIRES: every non-empty account_id names an existing account.
  virtual std::vector<RowResult> UpsertContacts(std::span<const model::Contact> rows,
                                                const ContactColumns& columns) = 0;
  virtual AccountDirectory LoadAccountDirectory() = 0;

  // --- events ------------------------------------------------------------------
  // Inserts events; an identical event (same contact, type, time, campaign, detail)
  // is kUnchanged; an unknown email is kRejected. Applies side effects in the same
  // transaction, also for kUnchanged rows (they are idempotent): unsubscribed ->
  // contact unsubscribed; complained -> permanent suppression ("complaint: <detail>");
  // a bounce whose detail starts with "hard" (model::ParseBounceDetail) -> permanent
  // suppression ("hard-bounce: <category>"); one starting with "soft" -> the
  // SuppressionPolicy. How a new suppression meets a stored one: see AddSuppressions.
  virtual std::vector<RowResult> InsertEvents(std::span<const model::Event> rows) = 0;

  // --- selection -----------------------------------------------------------------
  // The contacts a filter selects (model/contact_filter.h: mailable ones unless the
  // filter says otherwise, minus excludes, then cap, then sample), ordered by email,
  // each with its account. Nested selections are evaluated at the outer filter's `now`.
  // ForEachRecipient streams them: memory does not grow with the selection.
  virtual void ForEachRecipient(const model::ContactFilter& filter,
                                const std::function<void(const Recipient&)>& visit) = 0;
  virtual std::vector<Recipient> SelectRecipients(const model::ContactFilter& filter) = 0;
  virtual SelectionCount CountRecipients(const model::ContactFilter& filter) = 0;
  virtual std::optional<model::Contact> FindContact(const std::string& email) = 0;
  // Refreshes the query planner's statistics after bulk changes (an import), so
  // selections pick the right indexes.
  virtual void RefreshStatistics() = 0;

  // --- campaigns and the outbox ----------------------------------------------------
  virtual void SaveCampaign(const model::Campaign& campaign, base::TimePoint launched_at) = 0;
  // Contact ids that already have a message for this campaign.
  virtual std::unordered_set<std::int64_t> QueuedContactIds(const std::string& campaign) = 0;
  // Inserts rows not yet queued for (campaign, contact); returns how many were added.
  virtual std::int64_t Enqueue(std::span<const OutboxRow> rows, base::TimePoint now) = 0;
  // Marks up to `limit` due messages (queued or deferred with next attempt <= now)
  // as sending, durably in one transaction, and returns them oldest due first.
  // Leaves alone messages to a paused domain, to a domain in `filter.skip_domains`, and
  // messages whose recorded provider is paused (a message never attempted has no
  // provider yet: the engine checks that after it resolves the MX).
  virtual std::vector<OutboxRow> ClaimDue(base::TimePoint now, int limit,
                                          const ClaimFilter& filter) = 0;
  std::vector<OutboxRow> ClaimDue(base::TimePoint now, int limit) {
    return ClaimDue(now, limit, ClaimFilter{});
  }
  // Records the results of many attempts durably in ONE transaction: all or none.
  // Each row gets attempts + 1, its state, reply, provider (unless empty) and, for
  // kDeferred, next_attempt; its events are inserted with InsertEvents' side effects
  // (a hard bounce suppresses the address); an event for an unknown contact is
  // skipped. Throws Error{kInternal} before writing anything when a record breaks the
  // AttemptRecord contract (state not sent/deferred/failed, kDeferred without
  // next_attempt).
  virtual void RecordAttempts(std::span<const AttemptRecord> records) = 0;
  // One attempt without events: RecordAttempts of one record.
  void RecordAttempt(std::int64_t id, OutboxState state, const std::string& reply,
                     base::TimePoint now, std::optional<base::TimePoint> next_attempt) {
    AttemptRecord r{id, state, reply, now, next_attempt, "", {}};
    RecordAttempts(std::span(&r, 1));
  }
  // Gives claimed messages back without counting an attempt: rows among `ids` that are
  // still `sending` become `queued`, due at `next_attempt`. Others are left alone.
  virtual void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) = 0;
  // Returns messages left in `sending` by a process that died to `queued`; returns how many.
  virtual std::int64_t RequeueInFlight() = 0;
  virtual OutboxCounts CountOutbox(const std::string& campaign) = 0;  // empty: all campaigns
  // The earliest next attempt of a waiting message (deferred, or queued: given back by
  // Release or newly launched, which may be in the past), paused destinations left out.
  virtual std::optional<base::TimePoint> NextDeferredAttempt() = 0;

  // --- operating the queue -----------------------------------------------------------
  // One row per destination domain in the outbox, ordered by domain; `now` bounds
  // sent_last_hour. Reads indexes only (measured: 0.1 s for 100k messages, 20k domains).
  virtual std::vector<QueueStatusRow> QueueStatus(base::TimePoint now) = 0;
  // Policy and spam blocks by domain and account, most recent first.
  virtual std::vector<AttentionRow> Attention() = 0;
  // The outbox row whose send key is `send_key`, if any.
  virtual std::optional<SendRef> FindSend(const std::string& send_key) = 0;
  // The outbox row whose message had this Message-ID (angle brackets optional), if any.
  virtual std::optional<SendRef> FindSendByMessageId(const std::string& message_id) = 0;
  // Pauses (or resumes) a domain or a provider: ClaimDue stops returning its messages.
  // A domain name is stored lower-cased; a provider name exactly as the engine writes it.
  // Pausing twice keeps the first paused_at; resuming what is not paused does nothing.
  virtual void SetPaused(PauseKind kind, const std::string& name, bool paused,
                         base::TimePoint now) = 0;
  // Everything paused, by kind then name.
  virtual std::vector<std::pair<PauseKind, std::string>> ListPaused() = 0;
  // Makes deferred messages, and queued ones due later, due at `now`; only those to
  // `domain` unless it is empty. Returns how many were moved forward.
  virtual std::int64_t RetryNow(base::TimePoint now, const std::string& domain) = 0;
  // Cancels the campaign's queued and deferred messages (state kCancelled, reply
  // "[cancelled] purged by queue purge"). Messages being sent are left to the deliver
  // run that owns them. Returns how many were cancelled.
  virtual std::int64_t PurgeCampaign(const std::string& campaign, base::TimePoint now) = 0;
  // Messages attempted at or after `since`, by envelope-sender domain (lower-case part
  // of MAIL FROM after its last '@'): for warm-up counters after a restart.
  // Approximation: a message counts once, by its latest attempt, so one attempted
  // twice since `since` counts once.
  virtual std::unordered_map<std::string, std::int64_t> CountAttemptsSince(
      base::TimePoint since) = 0;

  // --- suppressions ------------------------------------------------------------------
  // Addresses that are not mailed: bounces and complaints (InsertEvents, RecordAttempts)
  // and an operator's lists (`b2bmail suppress`). One rule wherever a suppression meets
  // a stored one for the same address: the one lasting longer wins. A permanent one
  // replaces one with an expiry (active or expired); one with an expiry replaces one
  // expiring earlier; a permanent one is never replaced, so its first cause is kept,
  // and never shortened to an expiry (remove it first).

  // The policy InsertEvents and RecordAttempts apply to soft bounces from now on, on
  // this connection; SuppressionPolicy{} until set.
  virtual void SetSuppressionPolicy(const SuppressionPolicy& policy) = 0;
  // Suppressions ordered by email: those active at `active_at`, or all (expired ones
  // included) when it is nullopt.
  virtual std::vector<Suppression> ListSuppressions(std::optional<base::TimePoint> active_at) = 0;
  // Adds suppressions in ONE transaction, one result per row in order: kInserted (a new
  // address), kUpdated (it replaced a stored one), kUnchanged with `reason` saying what
  // is kept (the stored one lasts as long or longer). Later rows see earlier ones.
  // REQUIRES: each email non-empty (callers validate addresses).
  virtual std::vector<RowResult> AddSuppressions(std::span<const Suppression> rows) = 0;
  RowResult AddSuppression(const Suppression& row) {
    return AddSuppressions(std::span(&row, 1)).front();
  }
  // Deletes the address's suppression, active or expired; returns it as it was, or
  // nullopt when there was none. Its bounce events stay: soft bounces still in the
  // window count again with the next one.
  virtual std::optional<Suppression> RemoveSuppression(const std::string& email) = 0;

  // --- deliverability report ---------------------------------------------------------
  // What happened to mail within `window`, for report::BuildDeliverabilityReport:
  // - tallies: outbox messages whose last attempt ended in the window, plus the `sent`
  //   and `delivered` events of campaigns not launched here (imported history; events
  //   of launched campaigns are counted through their outbox rows instead);
  // - refused: outbox messages failed or deferred at a last attempt in the window, and
  //   those blocked by policy at an attempt in the window, one row per message;
  // - outcomes: `bounced` and `complained` events in the window, except the bounce an
  //   attempt recorded itself (a synchronous hard bounce: its message is in `refused`).
  // Reads every outbox row and every event (no index covers last_attempt_at or
  // events.at): 0.1-0.4 s for 100k messages and 364k events (docs/operations.md).
  virtual DeliveryFacts LoadDeliveryFacts(const DeliveryWindow& window) = 0;
};

std::string_view ToString(OutboxState state);
std::string_view ToString(PauseKind kind);  // "domain", "provider"
// "bounce", "complaint", "manual", "import"; parsing is case-sensitive.
std::string_view ToString(SuppressionSource source);
std::optional<SuppressionSource> ParseSuppressionSource(std::string_view name);

}  // namespace b2bmail::store
