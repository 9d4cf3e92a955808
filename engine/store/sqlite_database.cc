#include "sqlite_database.h"

#include <chrono>
#include <unordered_map>

#include "attributes_json.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/store/open_sqlite.h"
#include "embedded_file.h"
#include "filter_compiler.h"
#include "named_queries.h"
#include "unix_seconds.h"

namespace b2bmail::store {
namespace {

std::string AttributesJson(const model::Attributes& attrs) {
  std::string json = "{";
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i) json += ",";
    json += base::JsonQuote(attrs[i].first) + ":" + base::JsonQuote(attrs[i].second);
  }
  return json + "}";
}

template <typename E>
void BindEnum(SqliteStatement& s, const char* name, const std::optional<E>& v) {
  if (v)
    s.Bind(name, model::Name(*v));
  else
    s.BindNull(name);
}

template <typename E>
std::optional<E> ReadEnum(SqliteStatement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return model::Parse<E>(s.Text(col));
}

int MigrationNumber(const char* file_name) { return std::atoi(file_name); }

// The destination of an address: the lower-case part after its last '@' ("" without
// one). Migration 3 computes the same in SQL for rows queued before it.
std::string AddressDomain(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : base::AsciiLower(address.substr(at + 1));
}

// A JSON array of strings, for json_each().
std::string JsonArray(const std::vector<std::string>& items) {
  std::string json = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) json += ",";
    json += base::JsonQuote(items[i]);
  }
  return json + "]";
}

}  // namespace

std::string_view ToString(OutboxState state) {
  switch (state) {
    case OutboxState::kQueued:
      return "queued";
    case OutboxState::kSending:
      return "sending";
    case OutboxState::kSent:
      return "sent";
    case OutboxState::kDeferred:
      return "deferred";
    case OutboxState::kFailed:
      return "failed";
    case OutboxState::kCancelled:
      return "cancelled";
  }
  return "queued";
}

std::string_view ToString(PauseKind kind) {
  return kind == PauseKind::kProvider ? "provider" : "domain";
}

int LatestSchemaVersion() {
  int latest = 0;
  for (std::size_t i = 0; i < kMigrationsCount; ++i)
    latest = std::max(latest, MigrationNumber(kMigrations[i].name));
  return latest;
}

std::unique_ptr<Database> OpenSqlite(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

SqliteDatabase::SqliteDatabase(const std::string& path) : path_(path) {
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg =
        "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::kDatabase, msg);
  }
  try {
    // Another process (deliver while launch runs) may hold the write lock briefly.
    sqlite3_busy_timeout(db_, 10000);
    Exec("PRAGMA journal_mode = WAL", "enabling WAL");
    // NORMAL is durable across process crashes in WAL mode; only power loss can
    // undo the last transactions (https://sqlite.org/pragma.html#pragma_synchronous).
    Exec("PRAGMA synchronous = NORMAL", "setting synchronous");
    // 64 MiB of page cache (default 2 MiB): bulk imports touch the email and account
    // indexes all over, and re-reading evicted pages from the OS dominated the time.
    Exec("PRAGMA cache_size = -65536", "setting cache size");
    Exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
    // Reads through a memory map instead of a pread per page: deliver reads every
    // message body once, and the syscalls cost more than the copy.
    Exec("PRAGMA mmap_size = 1073741824", "setting mmap size");
    RegisterFunctions();
    Migrate();
  } catch (...) {
    statements_.clear();
    sqlite3_close(db_);
    throw;
  }
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();
  sqlite3_close(db_);
}

namespace {

// b2b_sample_key(seed, email): model::SampleKey, mapped order-preservingly from
// unsigned to signed (SQLite integers are signed).
void SampleKeyFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto seed = static_cast<std::uint64_t>(sqlite3_value_int64(argv[0]));
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  std::string_view email = text ? std::string_view(text, sqlite3_value_bytes(argv[1])) : "";
  std::uint64_t key = model::SampleKey(seed, email);
  sqlite3_result_int64(ctx, static_cast<std::int64_t>(key ^ (1ULL << 63)));
}

// b2b_number(text): the decimal number the text spells ("-12", "3.5"), else NULL.
void NumberFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER ||
      sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    sqlite3_result_double(ctx, sqlite3_value_double(argv[0]));
    return;
  }
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  if (!p) return sqlite3_result_null(ctx);
  std::string_view t(p, sqlite3_value_bytes(argv[0]));
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  std::size_t digits = 0, dots = 0;
  for (; i < t.size(); ++i) {
    if (t[i] >= '0' && t[i] <= '9')
      ++digits;
    else if (t[i] == '.' && dots == 0)
      ++dots;
    else
      return sqlite3_result_null(ctx);
  }
  if (digits == 0) return sqlite3_result_null(ctx);
  sqlite3_result_double(ctx, std::strtod(std::string(t).c_str(), nullptr));
}

}  // namespace

void SqliteDatabase::RegisterFunctions() {
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function_v2(db_, kSampleKeyFunction, 2, flags, nullptr, SampleKeyFunction,
                                 nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db_, kNumberFunction, 1, flags, nullptr, NumberFunction, nullptr,
                                 nullptr, nullptr) != SQLITE_OK)
    ThrowSqlite(db_, "registering SQL functions");
}

void SqliteDatabase::RefreshStatistics() {
  // A sampled ANALYZE (a few hundred ms on millions of rows) so the planner knows
  // that country = 'DE' keeps a quarter of the accounts and role = 'buyer' a sixth.
  Exec("PRAGMA analysis_limit = 1000; ANALYZE", "refreshing statistics");
}

void SqliteDatabase::Exec(const char* sql, std::string_view what) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = std::string(what) + " in " + path_ + ": " + (err ? err : "unknown error");
    sqlite3_free(err);
    throw Error(ErrorKind::kDatabase, msg);
  }
}

void SqliteDatabase::Migrate() {
  int version = 0;
  {
    SqliteStatement s(db_, "PRAGMA user_version", "user_version");
    if (s.Step()) version = static_cast<int>(s.Int(0));
  }
  int latest = LatestSchemaVersion();
  if (version > latest)
    throw Error(ErrorKind::kDatabase, path_ + " has schema version " + std::to_string(version) +
                                          ", newer than this b2bmail (" + std::to_string(latest) +
                                          "); upgrade b2bmail");
  for (std::size_t i = 0; i < kMigrationsCount; ++i) {
    int number = MigrationNumber(kMigrations[i].name);
    if (number <= version) continue;
    Exec("BEGIN IMMEDIATE", "starting migration");
    try {
      Exec(kMigrations[i].text, std::string("applying migration ") + kMigrations[i].name);
      Exec(("PRAGMA user_version = " + std::to_string(number)).c_str(), "recording migration");
      Exec("COMMIT", "committing migration");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

SqliteStatement& SqliteDatabase::Query(const std::string& name) {
  auto it = statements_.find(name);
  if (it == statements_.end()) {
    auto stmt = std::make_unique<SqliteStatement>(db_, NamedQueries::Instance().Get(name), name);
    it = statements_.emplace(name, std::move(stmt)).first;
  }
  return it->second->Reset();
}

void SqliteDatabase::EndReads() {
  // A statement left on a row keeps its read transaction open after the call returns,
  // on a snapshot that other processes' commits do not move: this connection would not
  // see them (a `queue pause` while deliver runs), and its next write would fail at
  // once with "database is locked" (SQLITE_BUSY_SNAPSHOT, no busy wait).
  for (auto& [name, statement] : statements_)
    if (statement->busy()) statement->Reset();
}

// --- accounts and contacts ---------------------------------------------------------

RowResult::Status SqliteDatabase::RunUpsert(SqliteStatement& upsert) {
  // An upsert that updates leaves last_insert_rowid alone; one that inserts sets it to
  // the new row's rowid, which is never 0 for automatic rowids. This replaces an
  // existence SELECT per row (a second index search) on the bulk import path.
  sqlite3_set_last_insert_rowid(db_, 0);
  upsert.Run();
  return sqlite3_last_insert_rowid(db_) != 0 ? RowResult::Status::kInserted
                                             : RowResult::Status::kUpdated;
}

std::vector<RowResult> SqliteDatabase::UpsertAccounts(std::span<const model::Account> rows,
                                                      const AccountColumns& cols) {
  return InTransaction([&] {
    std::vector<RowResult> results;
    results.reserve(rows.size());
    for (const auto& a : rows) {
      RowResult r;
      // A domain maps to one account; a clash is the user's data error, not ours.
      if (cols.domains) {
        for (const auto& d : a.domains) {
          auto& owner = Query("domain-owner").Bind(":domain", d);
          if (owner.Step() && owner.Text(0) != a.id) {
            r.status = RowResult::Status::kRejected;
            r.reason = "domains '" + d + "' already belongs to account '" + owner.Text(0) + "'";
            break;
          }
        }
        if (r.status == RowResult::Status::kRejected) {
          results.push_back(std::move(r));
          continue;
        }
      }
      auto& s = Query("upsert-account");
      s.Bind(":id", a.id).Bind(":name", a.name).Bind(":industry", a.industry);
      if (a.employees)
        s.Bind(":employees", *a.employees);
      else
        s.BindNull(":employees");
      s.Bind(":country", a.country).Bind(":timezone", a.timezone);
      BindEnum(s, ":stage", a.stage);
      BindEnum(s, ":tier", a.tier);
      BindEnum(s, ":buying_step", a.buying_step);
      BindEnum(s, ":purchase_type", a.purchase_type);
      s.Bind(":attrs", AttributesJson(a.attrs));
      s.Bind(":has_name", cols.name).Bind(":has_industry", cols.industry);
      s.Bind(":has_employees", cols.employees).Bind(":has_country", cols.country);
      s.Bind(":has_timezone", cols.timezone).Bind(":has_stage", cols.stage);
      s.Bind(":has_tier", cols.tier).Bind(":has_buying_step", cols.buying_step);
      s.Bind(":has_purchase_type", cols.purchase_type);
      r.status = RunUpsert(s);

      if (cols.domains) {
        // A new account has no domains yet: skip the delete (a bulk import's hot path).
        if (r.status != RowResult::Status::kInserted)
          Query("delete-account-domains").Bind(":account_id", a.id).Run();
        for (const auto& d : a.domains)
          Query("insert-account-domain").Bind(":domain", d).Bind(":account_id", a.id).Run();
      }
      results.push_back(std::move(r));
    }
    return results;
  });
}

std::vector<RowResult> SqliteDatabase::UpsertContacts(std::span<const model::Contact> rows,
                                                      const ContactColumns& cols) {
  return InTransaction([&] {
    std::vector<RowResult> results;
    results.reserve(rows.size());
    for (const auto& c : rows) {
      RowResult r;
      auto& s = Query("upsert-contact");
      s.Bind(":email", c.email).Bind(":first_name", c.first_name);
      s.Bind(":last_name", c.last_name).Bind(":title", c.title);
      if (c.account_id.empty())
        s.BindNull(":account_id");
      else
        s.Bind(":account_id", c.account_id);
      BindEnum(s, ":role", c.role);
      BindEnum(s, ":seniority", c.seniority);
      s.Bind(":department", c.department).Bind(":language", c.language);
      s.Bind(":country", c.country).Bind(":timezone", c.timezone);
      s.Bind(":consent", model::Name(c.consent)).Bind(":unsubscribed", c.unsubscribed);
      s.Bind(":attrs", AttributesJson(c.attrs));
      s.Bind(":has_first_name", cols.first_name).Bind(":has_last_name", cols.last_name);
      s.Bind(":has_title", cols.title).Bind(":has_account_id", cols.account_id);
      s.Bind(":has_role", cols.role).Bind(":has_seniority", cols.seniority);
      s.Bind(":has_department", cols.department).Bind(":has_language", cols.language);
      s.Bind(":has_country", cols.country).Bind(":has_timezone", cols.timezone);
      s.Bind(":has_consent", cols.consent);
      r.status = RunUpsert(s);
      results.push_back(std::move(r));
    }
    return results;
  });
}

AccountDirectory SqliteDatabase::LoadAccountDirectory() {
  AccountDirectory dir;
  auto& ids = Query("all-account-ids");
  while (ids.Step()) dir.ids.insert(ids.Text(0));
  auto& domains = Query("all-account-domains");
  while (domains.Step()) dir.account_by_domain.emplace(domains.Text(0), domains.Text(1));
  return dir;
}

// --- events --------------------------------------------------------------------------

std::vector<RowResult> SqliteDatabase::InsertEvents(std::span<const model::Event> rows) {
  return InTransaction([&] {
    std::vector<RowResult> results;
    results.reserve(rows.size());
    for (const auto& e : rows) results.push_back(InsertEvent(e));
    return results;
  });
}

RowResult SqliteDatabase::InsertEvent(const model::Event& e) {
  RowResult r;
  auto& who = Query("contact-id-by-email").Bind(":email", e.email);
  if (!who.Step()) {
    r.status = RowResult::Status::kRejected;
    r.reason = "email '" + e.email + "' is not a known contact (import contacts first)";
    return r;
  }
  std::int64_t contact_id = who.Int(0);
  std::string email = who.Text(1);  // as the contact has it: suppressions list it so
  auto& s = Query("insert-event");
  s.Bind(":contact_id", contact_id).Bind(":type", model::Name(e.type));
  s.Bind(":at", Seconds(e.at)).Bind(":campaign", e.campaign).Bind(":bot", e.bot);
  s.Bind(":detail", e.detail);
  if (e.value)
    s.Bind(":value", *e.value);
  else
    s.BindNull(":value");
  s.Run();
  r.status =
      sqlite3_changes(db_) > 0 ? RowResult::Status::kInserted : RowResult::Status::kUnchanged;
  // Side effects apply on re-import too: they are idempotent.
  auto suppress = [&](std::string reason, SuppressionSource source) {
    Suppression permanent;
    permanent.email = email;
    permanent.reason = std::move(reason);
    permanent.source = source;
    permanent.created_at = e.at;
    MergeSuppression(permanent);
  };
  auto with_detail = [](std::string what, const std::string& detail) {
    return detail.empty() ? what : what + ": " + detail;
  };
  if (e.type == model::EventType::kUnsubscribed) {
    Query("unsubscribe-contact").Bind(":contact_id", contact_id).Run();
  } else if (e.type == model::EventType::kComplained) {
    suppress(with_detail("complaint", e.detail), SuppressionSource::kComplaint);
  } else if (e.type == model::EventType::kBounced) {
    if (auto bounce = model::ParseBounceDetail(e.detail)) {
      if (bounce->hard)
        suppress(with_detail("hard-bounce", bounce->category), SuppressionSource::kBounce);
      else
        ApplySoftBouncePolicy(contact_id, email, e.at);
    }
  }
  return r;
}

// --- selection -------------------------------------------------------------------------

namespace {

void BindFilterParams(SqliteStatement& s, const std::vector<model::FilterValue>& params) {
  int index = 1;
  for (const auto& v : params) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::string>)
            s.BindAt(index, std::string_view(x));
          else if constexpr (std::is_same_v<T, bool>)
            s.BindAt(index, static_cast<std::int64_t>(x));
          else
            s.BindAt(index, x);
        },
        v);
    ++index;
  }
}

// The temporary tables of one compiled filter: filled by Fill(), dropped when this
// goes out of scope, also after an error.
class SelectionTables {
 public:
  SelectionTables(sqlite3* db, const CompiledFilter& f) : db_(db), f_(f) {}
  ~SelectionTables() {
    // DROP fails while any statement of the connection is mid-iteration; the only
    // such statements here are cached named queries left after their first row,
    // which are reset before each use anyway.
    for (sqlite3_stmt* st = sqlite3_next_stmt(db_, nullptr); st; st = sqlite3_next_stmt(db_, st))
      if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
    for (const auto& t : f_.temp_tables)
      sqlite3_exec(db_, ("DROP TABLE IF EXISTS temp." + t).c_str(), nullptr, nullptr, nullptr);
  }
  void Fill() {
    for (const auto& statement : f_.setup) {
      SqliteStatement s(db_, statement.sql, "segment-selection-table");
      BindFilterParams(s, statement.params);
      s.Run();
    }
  }

 private:
  sqlite3* db_;
  const CompiledFilter& f_;
};

// The selected contacts joined with their accounts; column order matches ReadContact
// (0..14) then ReadAccountColumns (15..25).
constexpr const char* kRecipientColumns =
    "c.id, c.email, c.first_name, c.last_name, c.title, c.account_id, c.role, "
    "c.seniority, c.department, c.language, c.country, c.timezone, c.consent, c.unsubscribed, "
    "c.attrs, a.id, a.name, a.industry, a.employees, a.country, a.timezone, a.stage, a.tier, "
    "a.buying_step, a.purchase_type, a.attrs, (SELECT group_concat(domain, ' ') FROM (SELECT "
    "domain FROM account_domains WHERE account_id = a.id ORDER BY domain))";

}  // namespace

SelectionCount SqliteDatabase::CountRecipients(const model::ContactFilter& filter) {
  CompiledFilter f = CompileFilter(filter);
  SelectionTables tables(db_, f);
  tables.Fill();
  SqliteStatement s(db_, "SELECT count(*), count(DISTINCT account_id) FROM (" + f.select + ")",
                    "count-recipients");
  BindFilterParams(s, f.params);
  SelectionCount count;
  if (s.Step()) {
    count.contacts = s.Int(0);
    count.accounts = s.Int(1);
  }
  return count;
}

model::Attributes SqliteDatabase::ParseAttributes(const std::string& json) {
  if (json.empty() || json == "{}") return {};
  auto attrs = ParseAttributesJson(json);
  if (!attrs) throw Error(ErrorKind::kDatabase, "corrupt attributes in " + path_ + ": " + json);
  return *attrs;
}

model::Contact SqliteDatabase::ReadContact(SqliteStatement& s, int k) {
  model::Contact c;
  c.id = s.Int(k + 0);
  c.email = s.Text(k + 1);
  c.first_name = s.Text(k + 2);
  c.last_name = s.Text(k + 3);
  c.title = s.Text(k + 4);
  c.account_id = s.Text(k + 5);
  c.role = ReadEnum<model::Role>(s, k + 6);
  c.seniority = ReadEnum<model::Seniority>(s, k + 7);
  c.department = s.Text(k + 8);
  c.language = s.Text(k + 9);
  c.country = s.Text(k + 10);
  c.timezone = s.Text(k + 11);
  c.consent = model::Parse<model::Consent>(s.Text(k + 12)).value_or(model::Consent::kNone);
  c.unsubscribed = s.Int(k + 13) != 0;
  c.attrs = ParseAttributes(s.Text(k + 14));
  return c;
}

model::Account SqliteDatabase::ReadAccount(SqliteStatement& s, int k) {
  model::Account a;
  a.id = s.Text(k + 0);
  a.name = s.Text(k + 1);
  a.industry = s.Text(k + 2);
  if (!s.IsNull(k + 3)) a.employees = s.Int(k + 3);
  a.country = s.Text(k + 4);
  a.timezone = s.Text(k + 5);
  a.stage = ReadEnum<model::Stage>(s, k + 6);
  a.tier = ReadEnum<model::Tier>(s, k + 7);
  a.buying_step = ReadEnum<model::BuyingStep>(s, k + 8);
  a.purchase_type = ReadEnum<model::PurchaseType>(s, k + 9);
  a.attrs = ParseAttributes(s.Text(k + 10));
  std::string domains = s.Text(k + 11);
  for (std::size_t start = 0; start < domains.size();) {
    std::size_t end = domains.find(' ', start);
    if (end == std::string::npos) end = domains.size();
    if (end > start) a.domains.push_back(domains.substr(start, end - start));
    start = end + 1;
  }
  return a;
}

void SqliteDatabase::ForEachRecipient(const model::ContactFilter& filter,
                                      const std::function<void(const Recipient&)>& visit) {
  CompiledFilter f = CompileFilter(filter, kRecipientColumns);
  std::string sql = f.rows_selected
                        ? f.select
                        : "SELECT " + std::string(kRecipientColumns) + " FROM (" + f.select +
                              ") selected JOIN contacts c ON c.id = selected.id LEFT JOIN "
                              "accounts a ON a.id = c.account_id ORDER BY c.email";
  SelectionTables tables(db_, f);
  tables.Fill();
  SqliteStatement s(db_, sql, "select-recipients");
  BindFilterParams(s, f.params);
  Recipient r;
  while (s.Step()) {
    r.contact = ReadContact(s, 0);
    r.account.reset();
    if (!s.IsNull(15)) r.account = ReadAccount(s, 15);
    visit(r);
  }
}

std::vector<Recipient> SqliteDatabase::SelectRecipients(const model::ContactFilter& filter) {
  std::vector<Recipient> out;
  ForEachRecipient(filter, [&](const Recipient& r) { out.push_back(r); });
  return out;
}

std::optional<model::Contact> SqliteDatabase::FindContact(const std::string& email) {
  auto& s = Query("contact-by-email").Bind(":email", email);
  if (!s.Step()) return std::nullopt;
  model::Contact c = ReadContact(s, 0);
  EndReads();
  return c;
}

// --- campaigns and the outbox ------------------------------------------------------------

void SqliteDatabase::SaveCampaign(const model::Campaign& c, base::TimePoint launched_at) {
  Query("save-campaign")
      .Bind(":id", c.id)
      .Bind(":name", c.name)
      .Bind(":segment", c.segment)
      .Bind(":template", c.template_id)
      .Bind(":subject", c.subject)
      .Bind(":from_address", c.from_address)
      .Bind(":launched_at", Seconds(launched_at))
      .Run();
}

std::unordered_set<std::int64_t> SqliteDatabase::QueuedContactIds(const std::string& campaign) {
  std::unordered_set<std::int64_t> ids;
  auto& s = Query("queued-contact-ids").Bind(":campaign", campaign);
  while (s.Step()) ids.insert(s.Int(0));
  return ids;
}

std::int64_t SqliteDatabase::Enqueue(std::span<const OutboxRow> rows, base::TimePoint now) {
  return InTransaction([&] {
    std::int64_t added = 0;
    for (const auto& r : rows) {
      Query("enqueue")
          .Bind(":campaign", r.campaign)
          .Bind(":contact_id", r.contact_id)
          .Bind(":recipient", r.recipient)
          .Bind(":sender", r.sender)
          .Bind(":token", r.token)
          .BindBlob(":message", r.message)
          .Bind(":now", Seconds(now))
          .Bind(":domain", AddressDomain(r.recipient))
          .Bind(":message_id", r.message_id)
          .Run();
      if (sqlite3_changes(db_) == 0) continue;  // already queued for this campaign
      Query("enqueue-body").BindBlob(":message", r.message).Run();
      ++added;
    }
    return added;
  });
}

std::vector<OutboxRow> SqliteDatabase::ClaimDue(base::TimePoint now, int limit,
                                                const ClaimFilter& filter) {
  std::vector<std::string> skip;
  skip.reserve(filter.skip_domains.size());
  for (const auto& d : filter.skip_domains) skip.push_back(base::AsciiLower(d));
  std::string skip_json = JsonArray(skip);
  return InTransaction([&] {
    std::vector<OutboxRow> rows;
    auto& s = Query("due")
                  .Bind(":now", Seconds(now))
                  .Bind(":limit", limit)
                  .Bind(":skip_domains", skip_json);
    while (s.Step()) {
      OutboxRow r;
      r.id = s.Int(0);
      r.campaign = s.Text(1);
      r.contact_id = s.Int(2);
      r.recipient = s.Text(3);
      r.sender = s.Text(4);
      r.token = s.Text(5);
      r.message = s.Text(6);
      r.attempts = static_cast<int>(s.Int(7));
      r.queued_at = FromSeconds(s.Int(8));
      r.domain = s.Text(9);
      r.provider = s.Text(10);
      rows.push_back(std::move(r));
    }
    for (const auto& r : rows)
      Query("mark-sending").Bind(":id", r.id).Bind(":now", Seconds(now)).Run();
    return rows;
  });
}

void SqliteDatabase::RecordAttempts(std::span<const AttemptRecord> records) {
  if (records.empty()) return;
  // Checked before the transaction, so that a bad record writes nothing at all.
  for (const auto& r : records) {
    if (r.state != OutboxState::kSent && r.state != OutboxState::kDeferred &&
        r.state != OutboxState::kFailed)
      throw Error(ErrorKind::kInternal, "an attempt on outbox message " + std::to_string(r.id) +
                                            " cannot end in state " +
                                            std::string(ToString(r.state)));
    if (r.state == OutboxState::kDeferred && !r.next_attempt)
      throw Error(ErrorKind::kInternal,
                  "deferred outbox message " + std::to_string(r.id) + " has no next attempt time");
  }
  InTransaction([&] {
    for (const auto& r : records) {
      auto& s = Query("record-attempt");
      s.Bind(":id", r.id).Bind(":state", ToString(r.state)).Bind(":reply", r.reply);
      s.Bind(":now", Seconds(r.at)).Bind(":provider", r.provider);
      if (r.state == OutboxState::kDeferred)
        s.Bind(":next_attempt_at", Seconds(*r.next_attempt));
      else
        s.BindNull(":next_attempt_at");
      s.Run();
      // An event for a contact deleted meanwhile is rejected and skipped: the attempt
      // itself must still be recorded.
      for (const auto& e : r.events) InsertEvent(e);
      if (r.needs_attention)
        Query("record-attention")
            .Bind(":id", r.id)
            .Bind(":reply", r.reply)
            .Bind(":at", Seconds(r.at))
            .Run();
    }
  });
}

void SqliteDatabase::Release(std::span<const std::int64_t> ids, base::TimePoint next_attempt) {
  if (ids.empty()) return;
  InTransaction([&] {
    for (std::int64_t id : ids)
      Query("release").Bind(":id", id).Bind(":next_attempt_at", Seconds(next_attempt)).Run();
  });
}

std::int64_t SqliteDatabase::RequeueInFlight() {
  Query("requeue-in-flight").Run();
  return sqlite3_changes(db_);
}

OutboxCounts SqliteDatabase::CountOutbox(const std::string& campaign) {
  OutboxCounts counts;
  auto& s = Query("count-by-state").Bind(":campaign", campaign);
  while (s.Step()) {
    std::string state = s.Text(0);
    std::int64_t n = s.Int(1);
    if (state == "queued")
      counts.queued = n;
    else if (state == "sending")
      counts.sending = n;
    else if (state == "sent")
      counts.sent = n;
    else if (state == "deferred")
      counts.deferred = n;
    else if (state == "failed")
      counts.failed = n;
    else if (state == "cancelled")
      counts.cancelled = n;
  }
  return counts;
}

std::optional<base::TimePoint> SqliteDatabase::NextDeferredAttempt() {
  auto& s = Query("next-deferred");
  std::optional<base::TimePoint> next;
  if (s.Step() && !s.IsNull(0)) next = FromSeconds(s.Int(0));
  EndReads();
  return next;
}

// --- operating the queue ------------------------------------------------------------------

std::vector<QueueStatusRow> SqliteDatabase::QueueStatus(base::TimePoint now) {
  std::vector<QueueStatusRow> rows;
  auto& s = Query("queue-status").Bind(":hour_ago", Seconds(now - std::chrono::hours(1)));
  while (s.Step()) {
    QueueStatusRow r;
    r.domain = s.Text(0);
    r.provider = s.Text(1);
    r.queued = s.Int(2);
    r.sending = s.Int(3);
    r.deferred = s.Int(4);
    r.sent = s.Int(5);
    r.failed = s.Int(6);
    r.cancelled = s.Int(7);
    r.sent_last_hour = s.Int(8);
    r.last_reply = s.Text(9);
    r.last_attempt_at = FromSeconds(s.Int(10));
    r.paused = s.Int(11) != 0;
    rows.push_back(std::move(r));
  }
  std::unordered_map<std::string, std::int64_t> blocks;
  auto& b = Query("policy-blocks-by-domain");
  while (b.Step()) blocks[b.Text(0)] = b.Int(1);
  for (auto& r : rows) {
    auto it = blocks.find(r.domain);
    if (it != blocks.end()) r.policy_blocks = it->second;
  }
  return rows;
}

std::optional<SendRef> SqliteDatabase::FindSend(const std::string& send_key) {
  auto& s = Query("send-by-token").Bind(":token", send_key);
  std::optional<SendRef> ref;
  if (s.Step()) ref = SendRef{s.Int(0), s.Text(1), s.Text(2)};
  EndReads();
  return ref;
}

std::optional<SendRef> SqliteDatabase::FindSendByMessageId(const std::string& message_id) {
  std::string_view id = base::Trim(message_id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  if (id.empty()) return std::nullopt;
  auto& s = Query("send-by-message-id").Bind(":message_id", std::string(id));
  std::optional<SendRef> ref;
  if (s.Step()) ref = SendRef{s.Int(0), s.Text(1), s.Text(2)};
  EndReads();
  return ref;
}

std::vector<AttentionRow> SqliteDatabase::Attention() {
  std::vector<AttentionRow> rows;
  auto& s = Query("attention");
  while (s.Step()) {
    AttentionRow r;
    r.domain = s.Text(0);
    r.account_id = s.Text(1);
    r.blocks = s.Int(2);
    r.last_reply = s.Text(3);
    r.last_at = FromSeconds(s.Int(4));
    rows.push_back(std::move(r));
  }
  return rows;
}

void SqliteDatabase::SetPaused(PauseKind kind, const std::string& name, bool paused,
                               base::TimePoint now) {
  // Domains are matched against OutboxRow::domain, which is lower case.
  std::string key = kind == PauseKind::kDomain ? base::AsciiLower(name) : name;
  if (key.empty())
    throw Error(ErrorKind::kUsage,
                "cannot pause an empty " + std::string(ToString(kind)) + " name");
  if (paused)
    Query("pause")
        .Bind(":kind", ToString(kind))
        .Bind(":name", key)
        .Bind(":now", Seconds(now))
        .Run();
  else
    Query("resume").Bind(":kind", ToString(kind)).Bind(":name", key).Run();
}

std::vector<std::pair<PauseKind, std::string>> SqliteDatabase::ListPaused() {
  std::vector<std::pair<PauseKind, std::string>> out;
  auto& s = Query("list-paused");
  while (s.Step())
    out.emplace_back(s.Text(0) == "provider" ? PauseKind::kProvider : PauseKind::kDomain,
                     s.Text(1));
  return out;
}

std::int64_t SqliteDatabase::RetryNow(base::TimePoint now, const std::string& domain) {
  Query("retry-now").Bind(":now", Seconds(now)).Bind(":domain", base::AsciiLower(domain)).Run();
  return sqlite3_changes(db_);
}

std::int64_t SqliteDatabase::PurgeCampaign(const std::string& campaign, base::TimePoint now) {
  Query("purge-campaign").Bind(":campaign", campaign).Bind(":now", Seconds(now)).Run();
  return sqlite3_changes(db_);
}

std::unordered_map<std::string, std::int64_t> SqliteDatabase::CountAttemptsSince(
    base::TimePoint since) {
  std::unordered_map<std::string, std::int64_t> counts;
  auto& s = Query("senders-attempted-since").Bind(":since", Seconds(since));
  while (s.Step()) ++counts[AddressDomain(s.Text(0))];
  return counts;
}

}  // namespace b2bmail::store
