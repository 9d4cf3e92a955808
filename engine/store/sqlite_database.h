#pragma once
// store::Database over one SQLite file (WAL, foreign keys, named prepared statements).

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "b2bmail/store/database.h"
#include "sqlite_statement.h"

namespace b2bmail::store {

class SqliteDatabase final : public Database {
 public:
  // Opens and migrates; throws Error{kDatabase}.
  explicit SqliteDatabase(const std::string& path);
  ~SqliteDatabase() override;

  std::vector<RowResult> UpsertAccounts(std::span<const model::Account> rows,
                                        const AccountColumns& columns) override;
  std::vector<RowResult> UpsertContacts(std::span<const model::Contact> rows,
                                        const ContactColumns& columns) override;
  AccountDirectory LoadAccountDirectory() override;
  std::vector<RowResult> InsertEvents(std::span<const model::Event> rows) override;
  void ForEachRecipient(const model::ContactFilter& filter,
                        const std::function<void(const Recipient&)>& visit) override;
  std::vector<Recipient> SelectRecipients(const model::ContactFilter& filter) override;
  void RefreshStatistics() override;
  SelectionCount CountRecipients(const model::ContactFilter& filter) override;
  std::optional<model::Contact> FindContact(const std::string& email) override;
  void SaveCampaign(const model::Campaign& campaign, base::TimePoint launched_at) override;
  std::unordered_set<std::int64_t> QueuedContactIds(const std::string& campaign) override;
  std::int64_t Enqueue(std::span<const OutboxRow> rows, base::TimePoint now) override;
  using Database::ClaimDue;
  std::vector<OutboxRow> ClaimDue(base::TimePoint now, int limit,
                                  const ClaimFilter& filter) override;
  void RecordAttempts(std::span<const AttemptRecord> records) override;
  void Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) override;
  std::int64_t RequeueInFlight() override;
  OutboxCounts CountOutbox(const std::string& campaign) override;
  std::optional<base::TimePoint> NextDeferredAttempt() override;
  std::vector<QueueStatusRow> QueueStatus(base::TimePoint now) override;
  std::vector<AttentionRow> Attention() override;
  std::optional<SendRef> FindSend(const std::string& send_key) override;
  std::optional<SendRef> FindSendByMessageId(const std::string& message_id) override;
  void SetPaused(PauseKind kind, const std::string& name, bool paused,
                 base::TimePoint now) override;
  std::vector<std::pair<PauseKind, std::string>> ListPaused() override;
  std::int64_t RetryNow(base::TimePoint now, const std::string& domain) override;
  std::int64_t PurgeCampaign(const std::string& campaign, base::TimePoint now) override;
  std::unordered_map<std::string, std::int64_t> CountAttemptsSince(base::TimePoint since) override;
  void SetSuppressionPolicy(const SuppressionPolicy& policy) override;
  std::vector<Suppression> ListSuppressions(std::optional<base::TimePoint> active_at) override;
  std::vector<RowResult> AddSuppressions(std::span<const Suppression> rows) override;
  std::optional<Suppression> RemoveSuppression(const std::string& email) override;

  // --- deliverability report (sqlite_report_queries.cc) ---
  DeliveryFacts LoadDeliveryFacts(const DeliveryWindow& window) override;

 private:
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on exceptions. Readers
  // that need one snapshot but write nothing pass "begin-read" (a deferred BEGIN), so
  // they do not take the write lock.
  template <typename F>
  auto InTransaction(F&& body, const char* begin = "begin");
  SqliteStatement& Query(const std::string& name);
  // Resets the named queries left on a row (single-row lookups). Each public method
  // calls it before returning, directly or through InTransaction.
  void EndReads();
  // Runs a prepared `INSERT ... ON CONFLICT DO UPDATE`; says which of the two it did.
  RowResult::Status RunUpsert(SqliteStatement& upsert);
  // Inserts one event and applies its side effects; REQUIRES: inside a transaction.
  RowResult InsertEvent(const model::Event& e);
  // Stores `incoming` unless the address's stored suppression lasts as long or longer
  // (database.h, suppressions); REQUIRES: inside a transaction.
  RowResult MergeSuppression(const Suppression& incoming);
  // The SuppressionPolicy after a soft bounce of the contact at `at` was recorded;
  // `email` is the contact's. REQUIRES: inside a transaction.
  void ApplySoftBouncePolicy(std::int64_t contact_id, const std::string& email, base::TimePoint at);
  void Exec(const char* sql, std::string_view what);
  void Migrate();
  model::Attributes ParseAttributes(const std::string& json);
  model::Contact ReadContact(SqliteStatement& s, int first_col);
  model::Account ReadAccount(SqliteStatement& s, int first_col);
  void RegisterFunctions();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<SqliteStatement>> statements_;
  SuppressionPolicy policy_;
};

// In the header because sqlite_suppressions.cc uses it too.
template <typename F>
auto SqliteDatabase::InTransaction(F&& body, const char* begin) {
  Query(begin).Run();
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      EndReads();
      Query("commit").Run();
    } else {
      auto result = body();
      EndReads();
      Query("commit").Run();
      return result;
    }
  } catch (...) {
    EndReads();
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace b2bmail::store
