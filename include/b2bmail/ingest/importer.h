#pragma once
// `b2bmail import accounts|contacts|events FILE.csv`: reads a CSV file (csv_reader.h),
// validates every row (field_validators.h), writes the good ones to the store in
// batches and every bad one to a rejects file (reject_writer.h).
//
// File format: RFC 4180 CSV in UTF-8 (a byte order mark is accepted), a header row
// first, columns in any order, header names matched case-insensitively after trimming.
// Cell values are trimmed of surrounding spaces and tabs. A row whose cells are all
// empty (`,,,`) is skipped like a blank line.
//
//  accounts: id (required, key), name, domains (`;`-separated), industry, employees,
//            country, timezone, stage, tier, buying_step, purchase_type
//  contacts: email (required, key, case-insensitive), first_name, last_name, title,
//            account_id, role, seniority, department, language, country, timezone,
//            consent, unsubscribed
//  events:   email, type, at (all required), campaign, bot, detail, value
//
// Any other column of an accounts or contacts file is a custom attribute (its name
// lower-cased); in an events file it is ignored with a warning.
//
// Upserts: re-importing the same rows changes nothing (rows are keyed by id / email);
// only the columns present in the header overwrite stored values. An empty enum,
// employees, or account_id cell stores "unknown". Contacts: an empty `consent` cell
// leaves a stored contact's consent as it was (a new contact gets `none`);
// `unsubscribed` can be set but never cleared by an import; an empty `account_id` (or
// no such column) is filled from the account owning the e-mail's domain (or a parent
// domain), and when no account owns it an empty cell clears the link while a missing
// column leaves it alone. A non-empty account_id naming no account rejects the row.

#include <cstdint>
#include <functional>
#include <string>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/store/database.h"

namespace b2bmail::ingest {

enum class ImportKind { kAccounts, kContacts, kEvents };

struct ImportOptions {
  // Rows written to the store per transaction; also how often `progress` is called.
  std::size_t batch_rows = 5000;
  // Where rejected rows go; empty: `<path>.rejects.csv`.
  std::string rejects_path;
  // Called after every batch and once at the end, on the importing thread. May be empty.
  std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total)> progress;
};

struct ImportReport {
  // Data rows read (blank and all-empty rows not counted);
  // rows == inserted + updated + unchanged + rejected.
  std::int64_t rows = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  // The rejects file, or empty when nothing was rejected (a stale one is removed).
  std::string rejects_path;
  // Problems with the file as a whole: an unusable header (errors; nothing was imported)
  // or ignored columns (warnings).
  base::Diagnostics diagnostics;
};

// Imports `path` into `db`. Bad rows never stop the import: each goes to the rejects
// file with its line number and a reason naming the column and the problem. A header
// that cannot be used (empty file, UTF-16, malformed, a missing required column, a
// duplicate or empty column name) is reported in `diagnostics` at line 1 and nothing is
// imported. Batches are committed as they go, so an exception leaves the batches before
// it imported.
// Throws Error{kIo} when the file cannot be read or the rejects file cannot be written,
// Error{kDatabase} when the store fails, Error{kConfig} when a timezone must be checked
// and no tz database is installed.
// Thread safety: as for `db` (one thread at a time).
ImportReport ImportFile(store::Database& db, ImportKind kind, const std::string& path,
                        const ImportOptions& options);

// "accounts", "contacts", "events".
std::string_view ToString(ImportKind kind);

}  // namespace b2bmail::ingest
