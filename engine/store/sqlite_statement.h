#pragma once
// RAII wrapper over a prepared sqlite3 statement. Errors throw Error{kDatabase}
// naming the statement, so a failure says which named query broke.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::store {

[[noreturn]] void ThrowSqlite(sqlite3* db, std::string_view what);

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql, std::string name);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Resets the statement and clears its bindings; call before reuse.
  SqliteStatement& Reset();
  // True while stepped but not run to completion nor reset: the statement then holds
  // its connection's read transaction open.
  bool busy() const { return sqlite3_stmt_busy(stmt_) != 0; }

  // Binds a named parameter (":name"). A name the statement does not use is ignored,
  // so callers can bind a superset (e.g. presence flags) without caring.
  SqliteStatement& Bind(const char* name, std::string_view text);
  SqliteStatement& Bind(const char* name, const std::string& text) {
    return Bind(name, std::string_view(text));
  }
  SqliteStatement& Bind(const char* name, const char* text) {
    return Bind(name, std::string_view(text));
  }
  SqliteStatement& Bind(const char* name, std::int64_t value);
  SqliteStatement& Bind(const char* name, int value) {
    return Bind(name, static_cast<std::int64_t>(value));
  }
  SqliteStatement& Bind(const char* name, bool value) {
    return Bind(name, static_cast<std::int64_t>(value ? 1 : 0));
  }
  SqliteStatement& Bind(const char* name, double value);
  SqliteStatement& BindNull(const char* name);
  SqliteStatement& BindBlob(const char* name, std::string_view bytes);
  // Positional (1-based), for generated SQL.
  SqliteStatement& BindAt(int index, std::string_view text);
  SqliteStatement& BindAt(int index, std::int64_t value);
  SqliteStatement& BindAt(int index, double value);

  // Advances; true when a row is available.
  bool Step();
  // Steps to completion, ignoring rows.
  void Run();

  bool IsNull(int col) const;
  std::int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptionalText(int col) const;

 private:
  int Index(const char* name) const;

  sqlite3* db_;
  // Parameter indexes by name, filled on first use: sqlite3_bind_parameter_index scans
  // every parameter with strncmp, ~7% of a bulk upsert. Looked up by the name's address
  // first (callers pass literals), confirmed by content.
  struct CachedIndex {
    const char* address;
    std::string name;
    int index;
  };
  mutable std::vector<CachedIndex> index_cache_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string name_;
};

}  // namespace b2bmail::store
