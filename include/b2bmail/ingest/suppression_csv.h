#pragma once
// Suppression lists as CSV files (`b2bmail suppress import|export`): for people moving
// from another tool to b2bmail and back.
//
// What export writes (RFC 4180, UTF-8, LF line ends), and import reads back unchanged:
//
//   email,reason,created_at,expires_at
//   ada@kuehne.example,hard-bounce: bad-mailbox,2026-11-23T09:00:00Z,
//
// Times are ISO 8601 in UTC; an empty expires_at means permanent.
//
// What import also reads: other tools' exports. Header names are matched ignoring case,
// spaces, '_' and '-': the address from `email`, `e-mail`, `email address`, `mail`,
// `address` or `recipient`; the reason from `reason`, `suppression reason`, `type`,
// `bounce type`, `status`, `note` or `comment` (the first of these present); the
// creation time from `created_at`, `created`, `date`, `date added`, `added`,
// `suppressed at` or `timestamp`; the expiry from `expires_at`, `expires`, `expiry`,
// `expiration`, `expiration date` or `until`. Other columns are ignored. A file
// without a header (its first cell is a valid address) has the addresses in its first
// column; so has a file whose header names none of the address columns (with a warning).
// Times: what base::ParseIso8601 reads (`2026-11-23`, `2026-11-23 09:00:00`, offsets),
// or unix seconds (9 to 11 digits, as some services export). An empty reason is
// "imported"; an empty creation time is the import's `now`.
//
// A row is rejected, to the rejects file (reject_writer.h) with its line and reason,
// when its address fails CheckEmail, a time cannot be read, it has another number of
// fields than the header, or its CSV is malformed. Rows whose cells are all empty are
// skipped.

#include <ostream>
#include <span>
#include <string>

#include "b2bmail/base/clock.h"
#include "b2bmail/ingest/importer.h"
#include "b2bmail/store/database.h"

namespace b2bmail::ingest {

struct SuppressionImportOptions {
  base::TimePoint now{};     // created_at of rows without one
  std::string rejects_path;  // empty: `<path>.rejects.csv`
};

// Reads `path` and adds its good rows with source kImport, in ONE store transaction
// (store::Database::AddSuppressions: a permanent suppression already stored is kept, and
// counted `unchanged`). `diagnostics` has errors, and nothing is imported, when the file
// is empty, UTF-16, or its header row is malformed; a warning when the header names no
// address column. Throws Error{kIo} when the file cannot be read or the rejects file
// cannot be written, Error{kDatabase} when the store fails.
ImportReport ImportSuppressions(store::Database& db, const std::string& path,
                                const SuppressionImportOptions& options);

// Writes the export format above: the header, then one row per suppression in order.
void WriteSuppressionCsv(std::ostream& out, std::span<const store::Suppression> rows);

}  // namespace b2bmail::ingest
