#pragma once
// store::Database over one SQLite file (WAL, foreign keys, named prepared statements).

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>

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
  std::vector<OutboxRow> ClaimDue(base::TimePoint now, int limit) override;
  void RecordAttempt(std::int64_t id, OutboxState state, const std::string& reply,
                     base::TimePoint now, std::optional<base::TimePoint> next_attempt) override;
  std::int64_t RequeueInFlight() override;
  OutboxCounts CountOutbox(const std::string& campaign) override;
  std::optional<base::TimePoint> NextDeferredAttempt() override;

 private:
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on exceptions.
  template <typename F>
  auto InTransaction(F&& body);
  SqliteStatement& Query(const std::string& name);
  // Runs a prepared `INSERT ... ON CONFLICT DO UPDATE`; says which of the two it did.
  RowResult::Status RunUpsert(SqliteStatement& upsert);
  void Exec(const char* sql, std::string_view what);
  void Migrate();
  model::Attributes ParseAttributes(const std::string& json);
  model::Contact ReadContact(SqliteStatement& s, int first_col);
  model::Account ReadAccount(SqliteStatement& s, int first_col);
  void RegisterFunctions();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<SqliteStatement>> statements_;
};

}  // namespace b2bmail::store
