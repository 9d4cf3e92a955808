#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/importer.h"
#include "commands.h"
#include "progress_bar.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kImportHelp =
    R"(usage: b2bmail import accounts|contacts|events FILE.csv [--rejects PATH] [--json]

Imports an RFC 4180 CSV file (UTF-8, header row, columns in any order; unknown
columns become custom attributes). Re-importing the same rows changes nothing.
Rows that fail validation are written, with their line number and the reason,
to FILE.rejects.csv (or --rejects PATH); the good rows are imported.
Columns: see docs/import.md.

exit: 0 when rows were imported (even if some were rejected), 1 when every row
was rejected, 2 when the file cannot be read or its header is unusable.
)";

}  // namespace

int CmdImport(const GlobalOptions& global, const Words& words) {
  Args args(words, {"rejects"}, {"json", "help"});
  if (args.Has("help")) {
    std::cout << kImportHelp;
    return kExitOk;
  }
  if (args.positional().size() != 2) {
    std::cerr << kImportHelp;
    return kExitUsage;
  }
  const std::string& what = args.positional()[0];
  ingest::ImportKind kind;
  if (what == "accounts")
    kind = ingest::ImportKind::kAccounts;
  else if (what == "contacts")
    kind = ingest::ImportKind::kContacts;
  else if (what == "events")
    kind = ingest::ImportKind::kEvents;
  else
    throw Error(ErrorKind::kUsage,
                "import what? '" + what + "' is not accounts, contacts or events");
  const std::string& file = args.positional()[1];

  Workspace ws(global);
  auto db = ws.OpenDatabase();
  ingest::ImportOptions options;
  if (auto r = args.Get("rejects")) options.rejects_path = *r;
  ingest::ImportReport report;
  {
    ProgressBar bar("importing " + what);
    options.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.Update(done, total); };
    try {
      report = ingest::ImportFile(*db, kind, file, options);
    } catch (const Error& e) {
      // An unreadable input file is the user's input error (exit 2), not a failure.
      if (e.kind() != ErrorKind::kIo) throw;
      std::cerr << "b2bmail: error: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  if (report.diagnostics.HasErrors()) {
    PrintDiagnostics(report.diagnostics, false);
    return kExitUsage;
  }
  PrintDiagnostics(report.diagnostics, false);  // warnings
  if (args.Has("json")) {
    std::cout << "{\"file\":" << base::JsonQuote(file) << ",\"kind\":\"" << what
              << "\",\"rows\":" << report.rows << ",\"inserted\":" << report.inserted
              << ",\"updated\":" << report.updated << ",\"unchanged\":" << report.unchanged
              << ",\"rejected\":" << report.rejected
              << ",\"rejects_file\":" << base::JsonQuote(report.rejects_path) << "}\n";
  } else {
    std::cout << file << ": " << report.inserted << " new, " << report.updated << " updated, "
              << report.unchanged << " unchanged, " << report.rejected << " rejected";
    if (report.rejected) std::cout << " (see " << report.rejects_path << ")";
    std::cout << "\n";
  }
  bool imported_any = report.inserted + report.updated + report.unchanged > 0;
  return imported_any || report.rejected == 0 ? kExitOk : kExitFailure;
}

}  // namespace b2bmail::cli
