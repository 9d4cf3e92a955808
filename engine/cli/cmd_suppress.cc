// `b2bmail suppress`: the addresses that are not mailed, and the operator's levers on
// them (issue 8).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/ingest/field_validators.h"
#include "b2bmail/ingest/suppression_csv.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kSuppressHelp =
    R"(usage: b2bmail suppress list [--all] [--json]
       b2bmail suppress add EMAIL... [--reason TEXT] [--expires ISO8601 | --days N]
       b2bmail suppress remove EMAIL...
       b2bmail suppress import FILE.csv [--rejects PATH] [--json]
       b2bmail suppress export [FILE.csv] [--all]

Suppressed addresses are never selected for a campaign. Hard bounces and
complaints suppress at once and for good; soft bounces suppress for a while
once [suppression] soft_bounce_limit of them fall within soft_bounce_window_days
(b2bmail.toml; default 3 in 30 days, for 30 days).

list     the suppressions in force now (--all: expired ones too), by address;
         --json: one JSON object a line
add      suppresses addresses permanently, or until --expires / for --days;
         a permanent suppression already there is kept (remove it first)
remove   lifts suppressions; says so for an address that was not suppressed
         (exit 1). Its soft bounces still in the window count again
import   reads a CSV file: what export writes, or another tool's list (a column
         named email, or addresses in the first column; optional reason, created
         and expires columns). Bad rows go to FILE.rejects.csv with the reason
export   writes email,reason,created_at,expires_at (ISO 8601 UTC; an empty
         expiry is permanent) to FILE.csv or standard output

exit: 0 ok; 1 when remove found an address not suppressed, or import rejected
every row; 2 for usage errors and a file that cannot be read or has no usable
first row.
)";

// Refuses options that belong to another verb: `suppress list --days 3` is a mistake.
void OnlyOptions(const Args& args, const std::string& verb, std::set<std::string> allowed) {
  for (const char* name : {"all", "json", "reason", "expires", "days", "rejects"}) {
    if (allowed.contains(name)) continue;
    if (args.Has(name) || args.Get(name))
      throw Error(ErrorKind::kUsage,
                  "--" + std::string(name) + " is not an option of suppress " + verb);
  }
}

std::string Until(const store::Suppression& s) {
  return s.expires_at ? base::FormatIso8601(*s.expires_at) : "permanent";
}

int List(store::Database& db, base::TimePoint now, const Args& args) {
  OnlyOptions(args, "list", {"all", "json"});
  if (args.positional().size() != 1)
    throw Error(ErrorKind::kUsage, "suppress list takes no addresses (see --help)");
  auto rows = db.ListSuppressions(args.Has("all") ? std::nullopt : std::optional(now));
  if (args.Has("json")) {
    for (const auto& s : rows)
      std::cout << "{\"email\":" << base::JsonQuote(s.email)
                << ",\"reason\":" << base::JsonQuote(s.reason) << ",\"source\":\""
                << store::ToString(s.source) << "\",\"created_at\":\""
                << base::FormatIso8601(s.created_at) << "\",\"expires_at\":"
                << (s.expires_at ? "\"" + base::FormatIso8601(*s.expires_at) + "\"" : "null")
                << ",\"active\":" << (s.active(now) ? "true" : "false") << "}\n";
    return kExitOk;
  }
  if (rows.empty()) {
    std::cout << (args.Has("all") ? "no suppressions\n" : "no suppressions in force\n");
    return kExitOk;
  }
  std::printf("%-36s %-9s %-20s %-20s  %s\n", "email", "source", "since", "until", "reason");
  std::int64_t permanent = 0, expiring = 0, expired = 0;
  for (const auto& s : rows) {
    std::string until = Until(s) + (s.active(now) ? "" : " (expired)");
    std::printf("%-36s %-9s %-20s %-20s  %s\n", s.email.c_str(),
                std::string(store::ToString(s.source)).c_str(),
                base::FormatIso8601(s.created_at).c_str(), until.c_str(), s.reason.c_str());
    ++(s.permanent() ? permanent : s.active(now) ? expiring : expired);
  }
  std::cout << rows.size() << " suppressed: " << permanent << " permanent, " << expiring
            << " until a date"
            << (args.Has("all") ? ", " + std::to_string(expired) + " expired" : "") << "\n";
  return kExitOk;
}

int Add(store::Database& db, base::TimePoint now, const Args& args) {
  OnlyOptions(args, "add", {"reason", "expires", "days"});
  const auto& pos = args.positional();
  if (pos.size() < 2) throw Error(ErrorKind::kUsage, "usage: b2bmail suppress add EMAIL...");
  if (args.Get("expires") && args.Get("days"))
    throw Error(ErrorKind::kUsage, "give --expires or --days, not both");
  std::optional<base::TimePoint> expires;
  if (auto text = args.Get("expires")) {
    expires = base::ParseIso8601(*text);
    if (!expires)
      throw Error(ErrorKind::kUsage,
                  "--expires '" + *text + "' is not an ISO 8601 time like 2026-12-31T00:00:00Z");
  } else if (auto days = args.Get("days")) {
    auto n = ingest::CheckNonNegativeInteger(*days);
    if (!n.ok() || n.value < 1 || n.value > 36500)
      throw Error(ErrorKind::kUsage, "--days '" + *days + "' is not a whole number of days (1+)");
    expires = now + std::chrono::days(n.value);
  }
  if (expires && *expires <= now)
    throw Error(ErrorKind::kUsage, "--expires " + base::FormatIso8601(*expires) +
                                       " is not in the future (now is " + base::FormatIso8601(now) +
                                       ")");
  std::vector<store::Suppression> rows;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    auto email = ingest::CheckEmail(base::Trim(pos[i]));
    if (!email.ok())
      throw Error(ErrorKind::kUsage,
                  "'" + pos[i] + "' is not an email address (it " + email.problem + ")");
    store::Suppression s;
    s.email = email.value;
    s.reason = std::string(base::Trim(args.Get("reason").value_or("")));
    if (s.reason.empty()) s.reason = "manual";
    s.source = store::SuppressionSource::kManual;
    s.created_at = now;
    s.expires_at = expires;
    rows.push_back(std::move(s));
  }
  auto results = db.AddSuppressions(rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = results[i];
    if (r.status == store::RowResult::Status::kUnchanged) {
      std::cout << rows[i].email << ": " << r.reason << "; left as it is\n";
      continue;
    }
    std::cout << "suppressed " << rows[i].email
              << (expires ? " until " + base::FormatIso8601(*expires) : " permanently")
              << (r.status == store::RowResult::Status::kUpdated ? " (replacing a shorter one)"
                                                                 : "")
              << "\n";
  }
  return kExitOk;
}

int Remove(store::Database& db, base::TimePoint now, const Args& args) {
  OnlyOptions(args, "remove", {});
  const auto& pos = args.positional();
  if (pos.size() < 2) throw Error(ErrorKind::kUsage, "usage: b2bmail suppress remove EMAIL...");
  int exit = kExitOk;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    auto removed = db.RemoveSuppression(std::string(base::Trim(pos[i])));
    if (!removed) {
      std::cout << pos[i] << " was not suppressed\n";
      exit = kExitFailure;
      continue;
    }
    std::cout << "removed " << removed->email << " (" << removed->reason << "; "
              << (removed->active(now) ? "" : "expired ") << Until(*removed) << ")\n";
  }
  return exit;
}

int Import(store::Database& db, base::TimePoint now, const Args& args) {
  OnlyOptions(args, "import", {"rejects", "json"});
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage, "usage: b2bmail suppress import FILE.csv");
  const std::string& file = args.positional()[1];
  ingest::SuppressionImportOptions options;
  options.now = now;
  if (auto r = args.Get("rejects")) options.rejects_path = *r;
  ingest::ImportReport report;
  try {
    report = ingest::ImportSuppressions(db, file, options);
  } catch (const Error& e) {
    // An unreadable input file is the user's input error (exit 2), not a failure.
    if (e.kind() != ErrorKind::kIo) throw;
    std::cerr << "b2bmail: error: " << e.what() << "\n";
    return kExitUsage;
  }
  PrintDiagnostics(report.diagnostics, false);
  if (report.diagnostics.HasErrors()) return kExitUsage;
  if (args.Has("json")) {
    std::cout << "{\"file\":" << base::JsonQuote(file) << ",\"rows\":" << report.rows
              << ",\"added\":" << report.inserted << ",\"replaced\":" << report.updated
              << ",\"kept\":" << report.unchanged << ",\"rejected\":" << report.rejected
              << ",\"rejects_file\":" << base::JsonQuote(report.rejects_path) << "}\n";
  } else {
    std::cout << file << ": " << report.inserted << " suppressed, " << report.updated
              << " replaced a shorter suppression, " << report.unchanged
              << " already suppressed as long, " << report.rejected << " rejected";
    if (report.rejected) std::cout << " (see " << report.rejects_path << ")";
    std::cout << "\n";
  }
  bool imported_any = report.inserted + report.updated + report.unchanged > 0;
  return imported_any || report.rejected == 0 ? kExitOk : kExitFailure;
}

int Export(store::Database& db, base::TimePoint now, const Args& args) {
  OnlyOptions(args, "export", {"all"});
  const auto& pos = args.positional();
  if (pos.size() > 2) throw Error(ErrorKind::kUsage, "usage: b2bmail suppress export [FILE.csv]");
  auto rows = db.ListSuppressions(args.Has("all") ? std::nullopt : std::optional(now));
  if (pos.size() == 1) {
    ingest::WriteSuppressionCsv(std::cout, rows);
    return kExitOk;
  }
  std::ofstream out(pos[1], std::ios::binary);
  if (out) ingest::WriteSuppressionCsv(out, rows);
  out.close();
  if (!out) throw Error(ErrorKind::kIo, "cannot write " + pos[1]);
  std::cout << "wrote " << rows.size() << " suppressions to " << pos[1] << "\n";
  return kExitOk;
}

}  // namespace

int CmdSuppress(const GlobalOptions& global, const Words& words) {
  Args args(words, {"reason", "expires", "days", "rejects"}, {"all", "json", "help"});
  const auto& pos = args.positional();
  if (args.Has("help") || pos.empty()) {
    std::cout << kSuppressHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& verb = pos[0];
  int (*run)(store::Database&, base::TimePoint, const Args&) = nullptr;
  if (verb == "list")
    run = List;
  else if (verb == "add")
    run = Add;
  else if (verb == "remove")
    run = Remove;
  else if (verb == "import")
    run = Import;
  else if (verb == "export")
    run = Export;
  else
    throw Error(ErrorKind::kUsage,
                "unknown suppress command '" + verb + "' (see b2bmail suppress --help)");
  Workspace ws(global);
  auto db = ws.OpenDatabase();
  return run(*db, ws.clock().Now(), args);
}

}  // namespace b2bmail::cli
