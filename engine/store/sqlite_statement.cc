#include "sqlite_statement.h"

#include "b2bmail/base/error.h"

namespace b2bmail::store {

void ThrowSqlite(sqlite3* db, std::string_view what) {
  throw Error(ErrorKind::kDatabase,
              std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql, std::string name)
    : db_(db), name_(std::move(name)) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    ThrowSqlite(db, "preparing query '" + name_ + "'");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

int SqliteStatement::Index(const char* name) const {
  for (const auto& c : index_cache_)
    if (c.address == name && c.name == name) return c.index;
  int index = sqlite3_bind_parameter_index(stmt_, name);
  index_cache_.push_back({name, name, index});
  return index;
}

SqliteStatement& SqliteStatement::Bind(const char* name, std::string_view text) {
  return BindAt(Index(name), text);
}

SqliteStatement& SqliteStatement::Bind(const char* name, std::int64_t value) {
  return BindAt(Index(name), value);
}

SqliteStatement& SqliteStatement::Bind(const char* name, double value) {
  return BindAt(Index(name), value);
}

SqliteStatement& SqliteStatement::BindNull(const char* name) {
  if (int i = Index(name)) sqlite3_bind_null(stmt_, i);
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(const char* name, std::string_view bytes) {
  if (int i = Index(name))
    if (sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK)
      ThrowSqlite(db_, "binding " + std::string(name) + " of '" + name_ + "'");
  return *this;
}

SqliteStatement& SqliteStatement::BindAt(int index, std::string_view text) {
  if (index > 0 && sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8) != SQLITE_OK)
    ThrowSqlite(db_, "binding parameter of '" + name_ + "'");
  return *this;
}

SqliteStatement& SqliteStatement::BindAt(int index, std::int64_t value) {
  if (index > 0) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::BindAt(int index, double value) {
  if (index > 0) sqlite3_bind_double(stmt_, index, value);
  return *this;
}

bool SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string what = "running query '" + name_ + "'";
  sqlite3_reset(stmt_);
  ThrowSqlite(db_, what);
}

void SqliteStatement::Run() {
  while (Step()) {
  }
}

bool SqliteStatement::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::int64_t SqliteStatement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

double SqliteStatement::Double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string SqliteStatement::Text(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> SqliteStatement::OptionalText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

}  // namespace b2bmail::store
