#pragma once
// The store port: everything the engine persists, behind one interface so that the
// SQLite implementation (open_sqlite.h) can later be joined by PostgreSQL.
// Nothing here names SQL or SQLite.
//
// Errors: every method throws b2bmail::Error{kDatabase} when the store fails.
// Thread safety: a Database is used by one thread at a time; open one per thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
  std::string reason;  // set when kRejected
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
  int attempts = 0;
  base::TimePoint queued_at{};  // when it was queued (retries expire counting from here)
};

enum class OutboxState { kQueued, kSending, kSent, kDeferred, kFailed };

struct OutboxCounts {
  std::int64_t queued = 0, sending = 0, sent = 0, deferred = 0, failed = 0;
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
  // transaction: unsubscribed -> contact unsubscribed; complained or a hard bounce ->
  // suppression of the address.
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
  // as sending, durably, and returns them oldest first.
  virtual std::vector<OutboxRow> ClaimDue(base::TimePoint now, int limit) = 0;
  // Records the result of one attempt, durably. kDeferred needs next_attempt.
  virtual void RecordAttempt(std::int64_t id, OutboxState state, const std::string& reply,
                             base::TimePoint now, std::optional<base::TimePoint> next_attempt) = 0;
  // Returns messages left in `sending` by a process that died to `queued`; returns how many.
  virtual std::int64_t RequeueInFlight() = 0;
  virtual OutboxCounts CountOutbox(const std::string& campaign) = 0;  // empty: all campaigns
  virtual std::optional<base::TimePoint> NextDeferredAttempt() = 0;
};

std::string_view ToString(OutboxState state);

}  // namespace b2bmail::store
