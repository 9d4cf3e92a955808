#pragma once

#include <memory>
#include <string>

#include "b2bmail/store/database.h"

namespace b2bmail::store {

// Opens (creating if needed) a SQLite database file in WAL mode with foreign keys
// on, and applies pending migrations. Throws Error{kDatabase} when the file cannot
// be opened or migrated, or was written by a newer b2bmail.
std::unique_ptr<Database> OpenSqlite(const std::string& path);

// Highest migration number this build knows.
int LatestSchemaVersion();

}  // namespace b2bmail::store
