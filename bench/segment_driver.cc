// Driver for bench/segment: times segment selections through the engine against the
// best hand-written SQL for the same selections, on the same SQLite database, in one
// process, warm.
//
//   bench_segment_driver DB SEGMENT_DIR [--now ISO8601] [--runs N] [--warmup N]
//                        [--plans] [--only ID] [--dump DIR] [--sql-only]
//
// --plans prints the SQL and EXPLAIN QUERY PLAN of both sides (the engine's statements
// are captured with sqlite3_trace_v2 on its connection, installed through
// sqlite3_auto_extension before the store opens it); --sql-only skips the engine (and
// the verification) to work on the SQL alone.
//
// For each benchmark segment (SEGMENT_DIR/<id>.seg, listed in kBenchmarks below):
//  - engine:  segment::ParseSegment -> segment::ToFilter(now) -> Database::CountRecipients
//             (count), and the same -> Database::ForEachRecipient writing every recipient
//             as a CSV row (export);
//  - SQL:     hand-written SQL through the raw sqlite3 C API on a second connection to
//             the same file, with the same cache size as the store, for the same
//             selection with the same semantics (docs/segments.md: mailable = consent
//             not none, not unsubscribed, no unexpired suppression; then the cap), and
//             the same CSV rows.
// Both exports write the columns of `segment export` (docs/segments.md) into a sink that
// hashes and discards them (like a pipe to /dev/null). Before timing, the driver checks
// that the counts (contacts and accounts) are equal and that both exports are the same
// bytes; it fails loudly otherwise (--dump DIR writes both exports for a diff).
//
// Indexes: the store's own schema, plus the extra indexes in kExtraIndexes, created
// (IF NOT EXISTS) on the shared database before anything is timed, so the engine may
// use them too. They are printed.
//
// Hand-written variants: each count has several hand-written shapes (comments below say
// what was tried); all must count the same, and the fastest in this run (median of 5) is
// the one timed against the engine.
//
// Timing: per segment, --warmup runs (default 3) of each of the four operations, then
// --runs rounds (default 7) in which the four run one after the other (interleaved, so
// that the machine's noise hits both sides alike); median and min in ms. Engine times
// include parsing the segment text and building the filter. Peak RSS is the process's
// ru_maxrss at the end.
//
// Output: one line per segment and operation `result <id> <op> engine_ms=<median>
// engine_min=<min> sql_ms=.. sql_min=.. rows=.. accounts=..` (for scripts), then a table
// and the goals.

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/model/enums.h"
#include "b2bmail/segment/segment.h"
#include "b2bmail/store/database.h"
#include "b2bmail/store/open_sqlite.h"
#include "csv_out.h"

using namespace b2bmail;

namespace {

// --- hand-written SQL ------------------------------------------------------------------------
//
// Parameters: :now (unix seconds), :since (now minus the segment's engagement window).
// Fragments are spelled out once here and pasted into each query (textual macros, so
// each query below is still exactly what a person would type).

// Mailable (docs/segments.md): consent not none, not unsubscribed, not suppressed
// (a suppression without expiry, or expiring after now). The suppression probe goes
// last: it is the most expensive of the three and the rarest to fail.
// clang-format off
#define MAILABLE(x)                                                                       \
  x ".consent <> 'none' AND " x ".unsubscribed = 0 AND NOT EXISTS (SELECT 1 FROM "        \
  "suppressions s WHERE s.email = " x ".email AND (s.expires_at IS NULL OR "              \
  "s.expires_at > :now))"
// `opened within <window>`: a human (not bot) open with since <= at <= now.
#define OPENED(x)                                                                         \
  "EXISTS (SELECT 1 FROM events e WHERE e.contact_id = " x ".id AND e.type = 'opened' "   \
  "AND e.bot = 0 AND e.at BETWEEN :since AND :now)"
// clang-format on
// The columns of `segment export`, in order; account domains space-separated (the
// index on account_domains(account_id) holds them in domain order).
#define EXPORT_COLUMNS                                                                      \
  "c.email, c.account_id, c.first_name, c.last_name, c.title, c.role, c.seniority, "        \
  "c.department, c.language, c.country, c.timezone, c.consent, a.name, "                    \
  "(SELECT group_concat(d.domain, ' ') FROM account_domains d WHERE d.account_id = a.id), " \
  "a.industry, a.employees, a.country, a.timezone, a.stage, a.tier, a.buying_step, "        \
  "a.purchase_type, c.attrs, a.attrs"
// Seniority order for `order by contact.seniority desc`; unknown is NULL (last).
#define SENIORITY_RANK(x)                                                     \
  "CASE " x                                                                   \
  ".seniority WHEN 'c_level' THEN 6 WHEN 'vp' THEN 5 WHEN 'director' THEN 4 " \
  "WHEN 'manager' THEN 3 WHEN 'senior' THEN 2 WHEN 'entry' THEN 1 END"

// Extra indexes for the hand-written SQL (the store's schema is in
// engine/store/migrations). Kept because they made the hand-written SQL faster
// (measured on the full data set, in-process, warm):
//  - accounts(industry, country, employees) with NOCASE text: the firmographic filter is
//    a few seeks (one per industry and country) with a range on employees, instead of a
//    scan of 100k accounts;
//  - accounts(stage, employees) for (d);
//  - contacts(account_id, role, consent, unsubscribed, seniority, email): covering for
//    "contacts of these accounts with these roles that are mailable", including the
//    email for the suppression probe and the seniority for the cap. With only the
//    store's contacts(account_id) every candidate costs a table row fetch: (a) 1.5x and
//    (c) 1.7x slower;
//  - events(contact_id, at) WHERE type = 'opened' AND bot = 0: a partial index of human
//    opens only (about 0.8M of 5M events), so `opened within` is one seek and no row
//    fetch. The store's unique index events(contact_id, type, at, campaign, detail)
//    also serves the seek but must fetch each row to test `bot`: (a) 1.6x slower. A
//    partial index only serves a query whose WHERE repeats its condition with literals
//    (type = 'opened' AND bot = 0), so the queries say INDEXED BY where needed.
// Tried and not kept: ANALYZE (the same plans for these queries; the times within
// noise); a covering events(contact_id, type, bot, at) (it would serve every verb, but
// (a) is 1.2x slower with it than with the partial index).
struct ExtraIndex {
  const char* name;
  const char* sql;
};
// The store's own migrations (engine/store/migrations/0002_segment_indexes.sql) already
// hold the firmographic, stage and covering contacts indexes found best here, so the
// engine is timed on the schema it ships; this is the one index only hand-written SQL
// can use (its condition names the event type).
constexpr ExtraIndex kExtraIndexes[] = {
    {"bench_events_human_open",
     "CREATE INDEX IF NOT EXISTS bench_events_human_open ON events(contact_id, at) WHERE "
     "type = 'opened' AND bot = 0"},
};

struct Variant {
  const char* name;
  const char* sql;
};

struct Benchmark {
  const char* id;               // SEGMENT_DIR/<id>.seg
  const char* label;            // for the table
  std::int64_t window_seconds;  // :since = now - window (0: no engagement predicate)
  std::vector<Variant> count;   // hand-written variants: the fastest in this run is used
  const char* export_sql;       // rows in email order
};

// (a) and (b): firmographic + role + `opened within 90d`.
#define A_FROM_WHERE                                                                        \
  "FROM accounts a JOIN contacts c ON c.account_id = a.id "                                 \
  "WHERE a.industry = 'manufacturing' COLLATE NOCASE AND a.employees BETWEEN 100 AND 5000 " \
  "AND a.country COLLATE NOCASE IN ('DE', 'AT', 'CH') "                                     \
  "AND c.role IN ('decision_maker', 'buyer') "

#define A_OPENED_PARTIAL                                                                    \
  "EXISTS (SELECT 1 FROM events e INDEXED BY bench_events_human_open WHERE e.contact_id = " \
  "c.id AND e.type = 'opened' AND e.bot = 0 AND e.at BETWEEN :since AND :now)"

// (c): quantifiers; the inner roles are among the outer ones.
#define C_ACCOUNTS                                  \
  "a.country COLLATE NOCASE IN ('DE', 'AT', 'CH') " \
  "AND a.industry COLLATE NOCASE IN ('manufacturing', 'automotive') "
// clang-format off
#define C_HAS(role)                                                                       \
  "EXISTS (SELECT 1 FROM contacts q WHERE q.account_id = a.id AND q.role = '" role "' "   \
  "AND " MAILABLE("q") ")"
// clang-format on

// (d): at least 2 mailable contacts of the account opened within 30 days; the inner
// LIMIT 2 stops counting at two.
#define D_ACCOUNTS "a.stage IN ('consideration', 'decision') AND a.employees >= 500 "
#define D_TWO_OPENERS                                                                       \
  "(SELECT count(*) FROM (SELECT 1 FROM contacts q WHERE q.account_id = a.id AND "          \
  "q.consent <> 'none' AND q.unsubscribed = 0 AND EXISTS (SELECT 1 FROM events e INDEXED "  \
  "BY bench_events_human_open WHERE e.contact_id = q.id AND e.type = 'opened' AND e.bot = " \
  "0 AND e.at BETWEEN :since AND :now) AND NOT EXISTS (SELECT 1 FROM suppressions s "       \
  "WHERE s.email = q.email AND (s.expires_at IS NULL OR s.expires_at > :now)) LIMIT 2)) >= 2 "
#define D_SENIOR "c.seniority IN ('manager', 'director', 'vp', 'c_level') "

const std::vector<Benchmark>& Benchmarks() {
  static const std::vector<Benchmark> kBenchmarks = {
      {"a-dach-manufacturing-engaged",
       "(a) firmographic+role+opened 90d",
       90 * 86400,
       {
           {"accounts-first, partial open index",
            "SELECT count(*), count(DISTINCT c.account_id) " A_FROM_WHERE
            "AND c.consent <> 'none' AND c.unsubscribed = 0 AND " A_OPENED_PARTIAL
            " AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = c.email AND "
            "(s.expires_at IS NULL OR s.expires_at > :now))"},
           {"accounts-first, store's events index",
            "SELECT count(*), count(DISTINCT c.account_id) " A_FROM_WHERE
            "AND " OPENED("c") " AND " MAILABLE("c")},
           {"accounts-first, partial open index, suppression probe before the open probe",
            "SELECT count(*), count(DISTINCT c.account_id) " A_FROM_WHERE
            "AND " MAILABLE("c") " AND " A_OPENED_PARTIAL},
           {"accounts-first, store's events index, suppression probe first",
            "SELECT count(*), count(DISTINCT c.account_id) " A_FROM_WHERE
            "AND " MAILABLE("c") " AND " OPENED("c")},
           {"contacts IN (opened since)",
            "SELECT count(*), count(DISTINCT c.account_id) " A_FROM_WHERE
            "AND c.id IN (SELECT e.contact_id FROM events e WHERE e.type = 'opened' AND "
            "e.bot = 0 AND e.at BETWEEN :since AND :now) AND " MAILABLE("c")},
       },
       "SELECT " EXPORT_COLUMNS " " A_FROM_WHERE
       "AND c.consent <> 'none' AND c.unsubscribed = 0 AND " A_OPENED_PARTIAL
       " AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = c.email "
       "AND (s.expires_at IS NULL OR s.expires_at > :now)) ORDER BY c.email"},

      // The cap: row_number over each account's selected contacts, most senior first,
      // unknown seniority last, then email. Every selected contact has an account here
      // (the where clause tests account fields), so the partition is the account id.
      {"b-dach-manufacturing-engaged-cap",
       "(b) = (a) + cap 3 per account",
       90 * 86400,
       {
           {"window over (a)",
            "SELECT count(*), count(DISTINCT account_id) FROM (SELECT c.account_id, "
            "row_number() OVER (PARTITION BY c.account_id ORDER BY " SENIORITY_RANK(
                "c") " DESC NULLS LAST, c.email) AS rn " A_FROM_WHERE
                     "AND c.consent <> 'none' AND c.unsubscribed = 0 AND " A_OPENED_PARTIAL
                     " AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = c.email AND "
                     "(s.expires_at IS NULL OR s.expires_at > :now))) WHERE rn <= 3"},
           {"correlated count of better-ranked (no window)",
            "SELECT count(*), count(DISTINCT account_id) FROM (SELECT c.account_id, "
            "c.email, " SENIORITY_RANK(
                "c") " AS r " A_FROM_WHERE "AND c.consent <> 'none' AND "
                     "c.unsubscribed = 0 AND " A_OPENED_PARTIAL " AND NOT EXISTS (SELECT 1 FROM "
                     "suppressions s WHERE s.email = c.email AND (s.expires_at IS NULL OR "
                     "s.expires_at "
                     "> :now))) AS x WHERE 3 > (SELECT count(*) FROM contacts c2 JOIN accounts a2 "
                     "ON "
                     "a2.id = c2.account_id WHERE c2.account_id = x.account_id AND c2.role IN "
                     "('decision_maker', 'buyer') AND c2.consent <> 'none' AND c2.unsubscribed = 0 "
                     "AND "
                     "(coalesce(" SENIORITY_RANK("c2") ", 0) > coalesce(x.r, 0) OR "
                                                       "(coalesce(" SENIORITY_RANK(
                                                           "c2") ", 0) = coalesce(x.r, 0) AND "
                                                                 "c2.email < x.email)) AND "
                                                                 "EXISTS (SELECT 1 FROM events e "
                                                                 "INDEXED BY "
                                                                 "bench_events_human_open WHERE "
                                                                 "e.contact_id = c2.id AND e.type "
                                                                 "= 'opened' AND e.bot = 0 AND "
                                                                 "e.at BETWEEN :since "
                                                                 "AND :now) AND NOT EXISTS (SELECT "
                                                                 "1 FROM suppressions s WHERE "
                                                                 "s.email = c2.email "
                                                                 "AND (s.expires_at IS NULL OR "
                                                                 "s.expires_at > :now)))"},
       },
       "SELECT " EXPORT_COLUMNS " FROM (SELECT c.id AS cid, row_number() OVER (PARTITION BY "
       "c.account_id ORDER BY " SENIORITY_RANK(
           "c") " DESC NULLS LAST, c.email) AS rn " A_FROM_WHERE
                "AND c.consent <> 'none' AND c.unsubscribed = 0 AND " A_OPENED_PARTIAL
                " AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = c.email AND "
                "(s.expires_at IS NULL OR s.expires_at > :now))) AS sel JOIN contacts c ON c.id = "
                "sel.cid JOIN accounts a ON a.id = c.account_id WHERE sel.rn <= 3 ORDER BY "
                "c.email"},

      {"c-dach-buying-centers",
       "(c) quantifiers: has DM and buyer",
       0,
       {
           {"GROUP BY account HAVING",
            "SELECT coalesce(sum(n), 0), count(*) FROM (SELECT count(*) AS n FROM accounts a "
            "JOIN contacts c ON c.account_id = a.id WHERE " C_ACCOUNTS
            "AND c.role IN ('decision_maker', 'buyer', 'prescriber') AND " MAILABLE(
                "c") " GROUP BY a.id HAVING max(c.role = 'decision_maker') AND max(c.role = "
                     "'buyer'))"},
           {"EXISTS per account",
            "SELECT count(*), count(DISTINCT c.account_id) FROM accounts a JOIN contacts c ON "
            "c.account_id = a.id WHERE " C_ACCOUNTS "AND " C_HAS("decision_maker") " AND " C_HAS(
                "buyer") " AND c.role IN ('decision_maker', 'buyer', 'prescriber') "
                         "AND " MAILABLE("c")},
           {"suppressions as NOT IN list",
            "SELECT count(*), count(DISTINCT c.account_id) FROM accounts a JOIN contacts c ON "
            "c.account_id = a.id WHERE " C_ACCOUNTS
            "AND EXISTS (SELECT 1 FROM contacts q WHERE q.account_id = a.id AND q.role = "
            "'decision_maker' AND q.consent <> 'none' AND q.unsubscribed = 0 AND q.email NOT IN "
            "(SELECT email FROM suppressions WHERE expires_at IS NULL OR expires_at > :now)) "
            "AND EXISTS (SELECT 1 FROM contacts q WHERE q.account_id = a.id AND q.role = 'buyer' "
            "AND q.consent <> 'none' AND q.unsubscribed = 0 AND q.email NOT IN (SELECT email "
            "FROM suppressions WHERE expires_at IS NULL OR expires_at > :now)) "
            "AND c.role IN ('decision_maker', 'buyer', 'prescriber') AND c.consent <> 'none' "
            "AND c.unsubscribed = 0 AND c.email NOT IN (SELECT email FROM suppressions WHERE "
            "expires_at IS NULL OR expires_at > :now)"},
           {"per-account scalar count",
            "SELECT coalesce(sum(n), 0), count(*) FROM (SELECT (SELECT count(*) FROM contacts c "
            "WHERE c.account_id = a.id AND c.role IN ('decision_maker', 'buyer', 'prescriber') "
            "AND " MAILABLE("c") ") AS n FROM accounts a WHERE " C_ACCOUNTS "AND " C_HAS(
                "decision_maker") " AND " C_HAS("buyer") ") WHERE n > 0"},
       },
       "SELECT " EXPORT_COLUMNS
       " FROM accounts a JOIN contacts c ON c.account_id = a.id WHERE " C_ACCOUNTS
       "AND " C_HAS("decision_maker") " AND " C_HAS("buyer") " AND c.role IN ('decision_maker', "
                                                             "'buyer', 'prescriber') AND " MAILABLE(
                                                                 "c") " ORDER BY c.email"},

      {"d-active-accounts-seniors",
       "(d) quantifier: 2 openers in 30d",
       30 * 86400,
       {
           {"EXISTS-style count with LIMIT 2 per account",
            "SELECT count(*), count(DISTINCT c.account_id) FROM accounts a JOIN contacts c ON "
            "c.account_id = a.id WHERE " D_ACCOUNTS "AND " D_TWO_OPENERS "AND " D_SENIOR
            "AND " MAILABLE("c")},
           {"count every opener (no LIMIT 2)",
            "SELECT count(*), count(DISTINCT c.account_id) FROM accounts a JOIN contacts c ON "
            "c.account_id = a.id WHERE " D_ACCOUNTS "AND (SELECT count(*) FROM contacts q WHERE "
            "q.account_id = a.id AND q.consent <> 'none' AND q.unsubscribed = 0 AND EXISTS "
            "(SELECT 1 FROM events e INDEXED BY bench_events_human_open WHERE e.contact_id = q.id "
            "AND e.type = 'opened' AND e.bot = 0 AND e.at BETWEEN :since AND :now) AND NOT EXISTS "
            "(SELECT 1 FROM suppressions s WHERE s.email = q.email AND (s.expires_at IS NULL OR "
            "s.expires_at > :now))) >= 2 AND " D_SENIOR "AND " MAILABLE("c")},
           {"openers per account via GROUP BY",
            "WITH openers AS (SELECT q.account_id FROM accounts a JOIN contacts q ON "
            "q.account_id = a.id WHERE " D_ACCOUNTS "AND q.consent <> 'none' AND "
            "q.unsubscribed = 0 AND EXISTS (SELECT 1 FROM events e INDEXED BY "
            "bench_events_human_open WHERE e.contact_id = q.id AND e.type = 'opened' AND e.bot "
            "= 0 AND e.at BETWEEN :since AND :now) AND NOT EXISTS (SELECT 1 FROM suppressions s "
            "WHERE s.email = q.email AND (s.expires_at IS NULL OR s.expires_at > :now)) GROUP BY "
            "q.account_id HAVING count(*) >= 2) SELECT count(*), count(DISTINCT c.account_id) "
            "FROM openers o JOIN contacts c ON c.account_id = o.account_id WHERE " D_SENIOR
            "AND " MAILABLE("c")},
       },
       "SELECT " EXPORT_COLUMNS
       " FROM accounts a JOIN contacts c ON c.account_id = a.id WHERE " D_ACCOUNTS
       "AND " D_TWO_OPENERS "AND " D_SENIOR "AND " MAILABLE("c") " ORDER BY c.email"},
  };
  return kBenchmarks;
}

// --- sqlite3 ---------------------------------------------------------------------------------

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "bench_segment_driver: FAILED: %s\n", message.c_str());
  std::exit(1);
}

class Connection {
 public:
  explicit Connection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      Fail("cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    // The same page cache as the store's connection (engine/store/sqlite_database.cc).
    Exec("PRAGMA cache_size = -65536");
  }
  ~Connection() { sqlite3_close_v2(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string e = error ? error : "?";
      sqlite3_free(error);
      Fail(e + " in: " + sql);
    }
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Connection& c, const std::string& sql) {
    if (sqlite3_prepare_v2(c.get(), sql.c_str(), -1, &s_, nullptr) != SQLITE_OK)
      Fail(std::string(sqlite3_errmsg(c.get())) + " in: " + sql);
    db_ = c.get();
  }
  ~Statement() { sqlite3_finalize(s_); }
  void Bind(const char* name, std::int64_t v) {
    int i = sqlite3_bind_parameter_index(s_, name);
    if (i > 0) sqlite3_bind_int64(s_, i, v);
  }
  bool Step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) Fail(sqlite3_errmsg(db_));
    return false;
  }
  std::int64_t Int(int i) { return sqlite3_column_int64(s_, i); }
  std::string_view Text(int i) {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? std::string_view(reinterpret_cast<const char*>(t),
                                static_cast<std::size_t>(sqlite3_column_bytes(s_, i)))
             : std::string_view();
  }
  int Columns() { return sqlite3_column_count(s_); }
  sqlite3_stmt* get() { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
  sqlite3* db_ = nullptr;
};

// --- capturing the engine's SQL (--plans) -------------------------------------------------

std::vector<std::string>* g_engine_sql = nullptr;  // where statements go while capturing

int TraceStatement(unsigned, void*, void* stmt, void*) {
  if (g_engine_sql) {
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
    if (sql) g_engine_sql->emplace_back(sql);
  }
  return 0;
}

// Runs for every connection opened after it is registered: the store's.
int InstallTrace(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, TraceStatement, nullptr);
  return SQLITE_OK;
}

// --- the export sink ---------------------------------------------------------------------------

// CSV rows (RFC 4180) into a 64 KiB buffer that is hashed (FNV-1a) and dropped when
// full, like a pipe to /dev/null; optionally also written to a file (--dump).
class CsvSink {
 public:
  explicit CsvSink(std::FILE* copy = nullptr) : copy_(copy) { buf_.reserve(kFlushAt + 4096); }
  ~CsvSink() { Flush(); }
  void Field(std::string_view v) {
    if (!first_) buf_.push_back(',');
    first_ = false;
    b2bmail::bench::AppendCsvField(buf_, v);
  }
  void EndRow() {
    buf_.push_back('\n');
    first_ = true;
    ++rows_;
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    for (unsigned char c : buf_) hash_ = (hash_ ^ c) * 0x100000001b3ULL;
    bytes_ += buf_.size();
    if (copy_) std::fwrite(buf_.data(), 1, buf_.size(), copy_);
    buf_.clear();
  }
  std::int64_t rows() const { return rows_; }
  std::uint64_t hash() {
    Flush();
    return hash_;
  }
  std::uint64_t bytes() {
    Flush();
    return bytes_;
  }

 private:
  static constexpr std::size_t kFlushAt = 64 * 1024;
  std::string buf_;
  std::FILE* copy_;
  bool first_ = true;
  std::int64_t rows_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  std::uint64_t bytes_ = 0;
};

std::string Json(const model::Attributes& attrs) {
  std::string out = "{";
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    out += base::JsonQuote(attrs[i].first);
    out += ':';
    out += base::JsonQuote(attrs[i].second);
  }
  return out + "}";
}

template <typename E>
std::string_view NameOr(const std::optional<E>& v) {
  return v ? model::Name(*v) : std::string_view();
}

void WriteRecipient(CsvSink& out, const store::Recipient& r) {
  const model::Contact& c = r.contact;
  out.Field(c.email);
  out.Field(c.account_id);
  out.Field(c.first_name);
  out.Field(c.last_name);
  out.Field(c.title);
  out.Field(NameOr(c.role));
  out.Field(NameOr(c.seniority));
  out.Field(c.department);
  out.Field(c.language);
  out.Field(c.country);
  out.Field(c.timezone);
  out.Field(model::Name(c.consent));
  if (r.account) {
    const model::Account& a = *r.account;
    out.Field(a.name);
    std::string domains;
    for (std::size_t i = 0; i < a.domains.size(); ++i) {
      if (i) domains += ' ';
      domains += a.domains[i];
    }
    out.Field(domains);
    out.Field(a.industry);
    out.Field(a.employees ? std::to_string(*a.employees) : std::string());
    out.Field(a.country);
    out.Field(a.timezone);
    out.Field(NameOr(a.stage));
    out.Field(NameOr(a.tier));
    out.Field(NameOr(a.buying_step));
    out.Field(NameOr(a.purchase_type));
  } else {
    for (int i = 0; i < 10; ++i) out.Field({});
  }
  out.Field(Json(c.attrs));
  out.Field(r.account ? Json(r.account->attrs) : std::string());
  out.EndRow();
}

// --- the two sides -----------------------------------------------------------------------------

struct Counts {
  std::int64_t contacts = 0, accounts = 0;
};

class Runner {
 public:
  Runner(const std::string& db_path, base::TimePoint now) : raw_(db_path), now_(now) {}

  void CreateExtraIndexes() {
    for (const auto& ix : kExtraIndexes) {
      Statement exists(raw_, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = '" +
                                 std::string(ix.name) + "'");
      bool present = exists.Step();
      auto t0 = std::chrono::steady_clock::now();
      if (!present) raw_.Exec(ix.sql);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (present)
        std::printf("extra index (present): %s\n", ix.sql);
      else
        std::printf("extra index (created in %.1f s): %s\n", s, ix.sql);
    }
  }

  void OpenEngine(const std::string& db_path) { engine_ = store::OpenSqlite(db_path); }

  // Engine: parse, build the filter, count.
  Counts EngineCount(const std::string& text, const std::string& id, const std::string& file) {
    auto filter = Filter(text, id, file);
    auto n = engine_->CountRecipients(filter);
    return {n.contacts, n.accounts};
  }
  void EngineExport(const std::string& text, const std::string& id, const std::string& file,
                    CsvSink& out) {
    auto filter = Filter(text, id, file);
    engine_->ForEachRecipient(filter, [&](const store::Recipient& r) { WriteRecipient(out, r); });
  }

  Counts SqlCount(const char* sql, std::int64_t window) {
    Statement s(raw_, sql);
    Bind(s, window);
    if (!s.Step()) Fail("count query returned no row");
    return {s.Int(0), s.Int(1)};
  }
  void SqlExport(const char* sql, std::int64_t window, CsvSink& out) {
    Statement s(raw_, sql);
    Bind(s, window);
    const int n = s.Columns();
    while (s.Step()) {
      for (int i = 0; i < n; ++i) out.Field(s.Text(i));
      out.EndRow();
    }
  }
  void Explain(const std::string& sql, std::int64_t window) {
    Statement s(raw_, "EXPLAIN QUERY PLAN " + sql);
    Bind(s, window);
    while (s.Step()) std::printf("      %s\n", std::string(s.Text(3)).c_str());
  }

 private:
  model::ContactFilter Filter(const std::string& text, const std::string& id,
                              const std::string& file) {
    auto result = segment::ParseSegment(text, id, file);
    if (result.diagnostics.HasErrors() || !result.segment) {
      std::string all;
      for (const auto& d : result.diagnostics.items()) all += "\n  " + d.Format();
      Fail("the engine rejects " + file + ":" + all);
    }
    return segment::ToFilter(*result.segment, now_);
  }
  void Bind(Statement& s, std::int64_t window) {
    std::int64_t now = now_.time_since_epoch().count();
    s.Bind(":now", now);
    s.Bind(":since", now - window);
  }

  Connection raw_;
  base::TimePoint now_;
  std::unique_ptr<store::Database> engine_;
};

// --- timing ------------------------------------------------------------------------------------

struct Samples {
  std::vector<double> ms;
  void Add(double v) { ms.push_back(v); }
  double Median() const {
    auto v = ms;
    std::sort(v.begin(), v.end());
    std::size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  double Min() const { return ms.empty() ? 0 : *std::min_element(ms.begin(), ms.end()); }
};

template <typename F>
double TimeMs(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Row {
  const Benchmark* bench;
  Counts counts;
  std::int64_t rows = 0;
  Samples engine_count, sql_count, engine_export, sql_export;
};

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 3) {
      std::fprintf(stderr,
                   "usage: %s DB SEGMENT_DIR [--now ISO8601] [--runs N] [--warmup N] "
                   "[--plans] [--only ID] [--dump DIR] [--sql-only]\n",
                   argv[0]);
      return 2;
    }
    const std::string db_path = argv[1], seg_dir = argv[2];
    std::string now_text = "2026-11-01T00:00:00Z", only, dump;
    int runs = 7, warmup = 3;
    bool plans = false, sql_only = false;
    for (int i = 3; i < argc; ++i) {
      std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) Fail(a + " needs a value");
        return argv[++i];
      };
      if (a == "--now")
        now_text = value();
      else if (a == "--runs")
        runs = std::max(1, std::atoi(value().c_str()));
      else if (a == "--warmup")
        warmup = std::max(0, std::atoi(value().c_str()));
      else if (a == "--plans")
        plans = true;
      else if (a == "--only")
        only = value();
      else if (a == "--dump")
        dump = value();
      else if (a == "--sql-only")
        sql_only = true;
      else
        Fail("unknown option " + a);
    }
    auto now = base::ParseIso8601(now_text);
    if (!now) Fail("--now '" + now_text + "' is not ISO 8601");

    Runner runner(db_path, *now);
    runner.CreateExtraIndexes();
    if (plans)
      sqlite3_auto_extension(reinterpret_cast<void (*)()>(reinterpret_cast<void*>(&InstallTrace)));
    if (!sql_only) runner.OpenEngine(db_path);
    std::printf("now %s, %d warm-up + %d timed runs per operation, sqlite %s\n", now_text.c_str(),
                warmup, runs, sqlite3_libversion());

    std::vector<Row> rows;
    for (const Benchmark& b : Benchmarks()) {
      if (!only.empty() && only != b.id) continue;
      const std::string file = seg_dir + "/" + b.id + ".seg";
      const std::string text = ReadFile(file);
      const std::string id = b.id;
      const char* count_sql = b.count[0].sql;
      std::string count_name = b.count[0].name;
      Row row{&b, {}, 0, {}, {}, {}, {}};

      // Verify: counts and export bytes must agree.
      std::vector<std::string> engine_count_sql, engine_export_sql;
      Counts s = runner.SqlCount(count_sql, b.window_seconds);
      g_engine_sql = plans ? &engine_count_sql : nullptr;
      Counts e = sql_only ? s : runner.EngineCount(text, id, file);
      g_engine_sql = nullptr;
      if (e.contacts != s.contacts || e.accounts != s.accounts)
        Fail(id + ": engine counts " + std::to_string(e.contacts) + " contacts at " +
             std::to_string(e.accounts) + " accounts, hand-written SQL " +
             std::to_string(s.contacts) + " at " + std::to_string(s.accounts));
      {
        std::FILE* ef =
            dump.empty() ? nullptr : std::fopen((dump + "/" + id + ".engine.csv").c_str(), "wb");
        std::FILE* sf =
            dump.empty() ? nullptr : std::fopen((dump + "/" + id + ".sql.csv").c_str(), "wb");
        CsvSink eo(ef), so(sf);
        runner.SqlExport(b.export_sql, b.window_seconds, so);
        if (sql_only)
          runner.SqlExport(b.export_sql, b.window_seconds, eo);
        else {
          g_engine_sql = plans ? &engine_export_sql : nullptr;
          runner.EngineExport(text, id, file, eo);
          g_engine_sql = nullptr;
        }
        std::uint64_t eh = eo.hash(), sh = so.hash();
        if (ef) std::fclose(ef);
        if (sf) std::fclose(sf);
        if (eo.rows() != so.rows() || eo.rows() != e.contacts)
          Fail(id + ": export rows differ: engine " + std::to_string(eo.rows()) + ", SQL " +
               std::to_string(so.rows()) + ", count " + std::to_string(e.contacts));
        if (eh != sh)
          Fail(id +
               ": engine and SQL exports have the same number of rows but different bytes "
               "(run with --dump DIR and diff)");
        row.rows = eo.rows();
        std::printf(
            "%s %s: %lld contacts at %lld accounts, export %lld rows, %llu bytes, "
            "identical\n",
            sql_only ? "SQL only (not verified)" : "verified", id.c_str(),
            static_cast<long long>(e.contacts), static_cast<long long>(e.accounts),
            static_cast<long long>(eo.rows()), static_cast<unsigned long long>(eo.bytes()));
      }
      row.counts = e;

      // The hand-written count: every variant must count the same; the fastest here
      // (median of 5 after one warm-up run) is the one timed against the engine.
      if (b.count.size() > 1) {
        double best = 0;
        std::printf("  hand-written count variants (median of 5 ms, min):\n");
        for (const Variant& v : b.count) {
          Counts vc = runner.SqlCount(v.sql, b.window_seconds);
          if (vc.contacts != e.contacts || vc.accounts != e.accounts)
            Fail(id + ": hand-written variant '" + v.name + "' counts " +
                 std::to_string(vc.contacts) + " at " + std::to_string(vc.accounts));
          Samples t;
          for (int i = 0; i < 5; ++i)
            t.Add(TimeMs([&] { runner.SqlCount(v.sql, b.window_seconds); }));
          std::printf("    %8.2f  %8.2f  %s\n", t.Median(), t.Min(), v.name);
          if (&v == &b.count[0] || t.Median() < best) {
            best = t.Median();
            count_sql = v.sql;
            count_name = v.name;
          }
        }
      }
      std::printf("  hand-written count used: %s\n", count_name.c_str());
      if (plans) {
        auto show = [&](const char* what, const std::string& sql) {
          std::printf("  %s:\n    %s\n    plan:\n", what, sql.c_str());
          runner.Explain(sql, b.window_seconds);
        };
        show("hand-written count (used)", count_sql);
        for (const auto& sql : engine_count_sql) show("engine count statement", sql);
        show("hand-written export", b.export_sql);
        for (const auto& sql : engine_export_sql) show("engine export statement", sql);
      }

      auto engine_count = [&] {
        if (!sql_only) runner.EngineCount(text, id, file);
      };
      auto sql_count = [&] { runner.SqlCount(count_sql, b.window_seconds); };
      auto engine_export = [&] {
        CsvSink out;
        if (!sql_only) runner.EngineExport(text, id, file, out);
      };
      auto sql_export = [&] {
        CsvSink out;
        runner.SqlExport(b.export_sql, b.window_seconds, out);
      };
      for (int i = 0; i < warmup; ++i) {
        engine_count();
        sql_count();
        engine_export();
        sql_export();
      }
      for (int i = 0; i < runs; ++i) {
        row.engine_count.Add(TimeMs(engine_count));
        row.sql_count.Add(TimeMs(sql_count));
        row.engine_export.Add(TimeMs(engine_export));
        row.sql_export.Add(TimeMs(sql_export));
      }
      std::printf(
          "result %s count engine_ms=%.2f engine_min=%.2f sql_ms=%.2f sql_min=%.2f "
          "rows=%lld accounts=%lld\n",
          id.c_str(), row.engine_count.Median(), row.engine_count.Min(), row.sql_count.Median(),
          row.sql_count.Min(), static_cast<long long>(row.counts.contacts),
          static_cast<long long>(row.counts.accounts));
      std::printf(
          "result %s export engine_ms=%.2f engine_min=%.2f sql_ms=%.2f sql_min=%.2f "
          "rows=%lld accounts=%lld\n",
          id.c_str(), row.engine_export.Median(), row.engine_export.Min(), row.sql_export.Median(),
          row.sql_export.Min(), static_cast<long long>(row.rows),
          static_cast<long long>(row.counts.accounts));
      std::fflush(stdout);
      rows.push_back(std::move(row));
    }

    const double rss = PeakRssMb();
    std::printf("\nsegment selection, warm, median of %d runs in ms (min in parentheses)\n", runs);
    std::printf("%-36s %17s %17s %6s %17s %17s %6s %7s %7s\n", "segment", "engine count",
                "SQL count", "ratio", "engine export", "SQL export", "ratio", "rows", "accts");
    auto cell = [](const Samples& s) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%7.1f (%6.1f)", s.Median(), s.Min());
      return std::string(buf);
    };
    for (const Row& r : rows) {
      std::printf("%-36s %17s %17s %6.2f %17s %17s %6.2f %7lld %7lld\n", r.bench->label,
                  cell(r.engine_count).c_str(), cell(r.sql_count).c_str(),
                  r.engine_count.Median() / r.sql_count.Median(), cell(r.engine_export).c_str(),
                  cell(r.sql_export).c_str(), r.engine_export.Median() / r.sql_export.Median(),
                  static_cast<long long>(r.rows), static_cast<long long>(r.counts.accounts));
    }
    std::printf(
        "peak RSS of this process (engine + SQL connections, both 64 MiB page cache): "
        "%.0f MB\n",
        rss);
    std::printf(
        "\ngoals: engine within 1.5x of the hand-written SQL, engine under 100 ms warm, "
        "peak RSS under 300 MB\n");
    bool all = true;
    for (const Row& r : rows) {
      double rc = r.engine_count.Median() / r.sql_count.Median();
      double re = r.engine_export.Median() / r.sql_export.Median();
      bool ratio_ok = rc <= 1.5 && re <= 1.5;
      bool time_ok = r.engine_count.Median() < 100 && r.engine_export.Median() < 100;
      all = all && ratio_ok && time_ok;
      std::printf(
          "%-36s <=1.5x: %-7s (count %.2fx, export %.2fx)   <100 ms: %-7s (count %.1f, "
          "export %.1f; the hand-written SQL: %.1f, %.1f)\n",
          r.bench->label, ratio_ok ? "met" : "NOT met", rc, re, time_ok ? "met" : "NOT met",
          r.engine_count.Median(), r.engine_export.Median(), r.sql_count.Median(),
          r.sql_export.Median());
    }
    std::printf("%-36s <300 MB: %s (%.0f MB)\n", "memory", rss < 300 ? "met" : "NOT met", rss);
    all = all && rss < 300;
    std::printf("all goals: %s\n", all ? "met" : "NOT met");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_segment_driver: %s\n", e.what());
    return 1;
  }
}
