// store::Database's suppressions over SQLite: the one rule for a new suppression against
// a stored one, the soft-bounce policy, and the operator's list, add and remove.
#include <algorithm>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "sqlite_database.h"
#include "unix_seconds.h"

namespace b2bmail::store {
namespace {

// Columns email, reason, source, created_at, expires_at.
Suppression ReadSuppression(SqliteStatement& s) {
  Suppression out;
  out.email = s.Text(0);
  out.reason = s.Text(1);
  // An unknown source (a newer b2bmail wrote it) reads as manual: still suppressed.
  out.source = ParseSuppressionSource(s.Text(2)).value_or(SuppressionSource::kManual);
  out.created_at = FromSeconds(s.Int(3));
  if (!s.IsNull(4)) out.expires_at = FromSeconds(s.Int(4));
  return out;
}

// The suppressions block of database.h: the one lasting longer wins; a permanent one
// is never replaced.
bool Replaces(const Suppression& incoming, const Suppression& stored) {
  if (stored.permanent()) return false;
  if (incoming.permanent()) return true;
  return *incoming.expires_at > *stored.expires_at;
}

std::string Describe(const Suppression& s) {
  return (s.permanent() ? std::string("permanently")
                        : "until " + base::FormatIso8601(*s.expires_at)) +
         " (" + s.reason + ")";
}

}  // namespace

std::string_view ToString(SuppressionSource source) {
  switch (source) {
    case SuppressionSource::kBounce:
      return "bounce";
    case SuppressionSource::kComplaint:
      return "complaint";
    case SuppressionSource::kManual:
      return "manual";
    case SuppressionSource::kImport:
      return "import";
  }
  return "manual";
}

std::optional<SuppressionSource> ParseSuppressionSource(std::string_view name) {
  for (auto source : {SuppressionSource::kBounce, SuppressionSource::kComplaint,
                      SuppressionSource::kManual, SuppressionSource::kImport})
    if (ToString(source) == name) return source;
  return std::nullopt;
}

void SqliteDatabase::SetSuppressionPolicy(const SuppressionPolicy& policy) {
  if (policy.soft_bounce_limit < 0 || policy.soft_bounce_window.count() <= 0 ||
      policy.soft_suppression.count() <= 0)
    throw Error(ErrorKind::kInternal,
                "a suppression policy needs a limit >= 0 and a window and a duration > 0");
  policy_ = policy;
}

RowResult SqliteDatabase::MergeSuppression(const Suppression& incoming) {
  RowResult result;
  std::optional<Suppression> stored;
  auto& find = Query("suppression-by-email").Bind(":email", incoming.email);
  if (find.Step()) stored = ReadSuppression(find);
  if (stored && !Replaces(incoming, *stored)) {
    result.status = RowResult::Status::kUnchanged;
    result.reason = "already suppressed " + Describe(*stored);
    return result;
  }
  auto& write = Query("write-suppression");
  write.Bind(":email", incoming.email).Bind(":reason", incoming.reason);
  write.Bind(":source", ToString(incoming.source));
  write.Bind(":created_at", Seconds(incoming.created_at));
  if (incoming.expires_at)
    write.Bind(":expires_at", Seconds(*incoming.expires_at));
  else
    write.BindNull(":expires_at");
  write.Run();
  result.status = stored ? RowResult::Status::kUpdated : RowResult::Status::kInserted;
  return result;
}

void SqliteDatabase::ApplySoftBouncePolicy(std::int64_t contact_id, const std::string& email,
                                           base::TimePoint at) {
  const SuppressionPolicy& p = policy_;
  if (p.soft_bounce_limit <= 0) return;
  const std::int64_t window = std::chrono::seconds(p.soft_bounce_window).count();
  // The windows the new bounce falls in end at a soft bounce in [at, at + window]; they
  // reach back to at - window. Checking them all, not only the one ending at `at`,
  // makes the outcome independent of the order events are recorded in: the last of
  // the bounces that fill a window always sees the window full.
  struct Bounce {
    std::int64_t at;
    std::string detail;
  };
  std::vector<Bounce> bounces;
  auto& s = Query("soft-bounces-between")
                .Bind(":contact_id", contact_id)
                .Bind(":from", Seconds(at) - window)
                .Bind(":to", Seconds(at) + window);
  while (s.Step()) bounces.push_back({s.Int(0), s.Text(1)});

  std::optional<std::size_t> last;  // the latest window end with enough bounces
  std::size_t count = 0;
  std::size_t first = 0;
  for (std::size_t j = 0; j < bounces.size(); ++j) {
    // A window ends after every bounce at its end time (several campaigns may bounce
    // in the same second).
    if (j + 1 < bounces.size() && bounces[j + 1].at == bounces[j].at) continue;
    while (bounces[first].at < bounces[j].at - window) ++first;
    std::size_t n = j - first + 1;
    if (bounces[j].at >= Seconds(at) && n >= static_cast<std::size_t>(p.soft_bounce_limit)) {
      last = j;
      count = n;
    }
  }
  if (!last) return;
  Suppression soft;
  soft.email = email;
  soft.source = SuppressionSource::kBounce;
  soft.created_at = FromSeconds(bounces[*last].at);
  soft.expires_at = soft.created_at + p.soft_suppression;
  soft.reason = "soft-bounces: " + std::to_string(count) + " in " +
                std::to_string(p.soft_bounce_window.count()) + " days";
  auto detail = model::ParseBounceDetail(bounces[*last].detail);
  if (detail && !detail->category.empty()) soft.reason += " (last: " + detail->category + ")";
  MergeSuppression(soft);
}

std::vector<Suppression> SqliteDatabase::ListSuppressions(
    std::optional<base::TimePoint> active_at) {
  std::vector<Suppression> out;
  auto& s = Query("list-suppressions")
                .Bind(":all", !active_at)
                .Bind(":now", active_at ? Seconds(*active_at) : std::int64_t{0});
  while (s.Step()) out.push_back(ReadSuppression(s));
  return out;
}

std::vector<RowResult> SqliteDatabase::AddSuppressions(std::span<const Suppression> rows) {
  for (const auto& row : rows)
    if (row.email.empty()) throw Error(ErrorKind::kInternal, "a suppression needs an address");
  return InTransaction([&] {
    std::vector<RowResult> results;
    results.reserve(rows.size());
    for (const auto& row : rows) results.push_back(MergeSuppression(row));
    return results;
  });
}

std::optional<Suppression> SqliteDatabase::RemoveSuppression(const std::string& email) {
  return InTransaction([&] {
    std::optional<Suppression> stored;
    auto& find = Query("suppression-by-email").Bind(":email", email);
    if (find.Step()) stored = ReadSuppression(find);
    if (stored) Query("delete-suppression").Bind(":email", email).Run();
    return stored;
  });
}

}  // namespace b2bmail::store
