#pragma once
// Files compiled into the binary by cmake/EmbedFiles.cmake.

#include <cstddef>

namespace b2bmail::store {

struct EmbeddedFile {
  const char* name;  // file name without directory, e.g. "outbox.sql"
  const char* text;
};

extern const EmbeddedFile kNamedSql[];
extern const std::size_t kNamedSqlCount;
extern const EmbeddedFile kMigrations[];  // in file-name order: 0001_..., 0002_...
extern const std::size_t kMigrationsCount;

}  // namespace b2bmail::store
