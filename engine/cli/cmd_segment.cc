#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kSegmentHelp = R"(usage:
  b2bmail segment check FILE|ID... [--json]
      Parse and check segments; prints file:line:col: error[code]: message
      (or JSON lines with --json) and exits 2 on any error.
  b2bmail segment count ID|FILE [--json] [--now ISO8601]
      Count the mailable contacts (consent not none, not unsubscribed, not
      suppressed) the segment selects, and their distinct accounts.
      --json prints {"segment":ID,"contacts":N,"accounts":M}.
The segment language is described in docs/segments.md.
)";

int Check(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() < 2)
    throw Error(ErrorKind::kUsage, "segment check needs FILE or ID");
  Workspace ws(global);
  bool errors = false;
  for (std::size_t i = 1; i < args.positional().size(); ++i) {
    auto result = ws.LoadSegment(args.positional()[i]);
    PrintDiagnostics(result.diagnostics, args.Has("json"));
    errors = errors || result.diagnostics.HasErrors();
    if (!result.diagnostics.HasErrors() && !args.Has("json"))
      std::cout << args.positional()[i] << ": ok\n";
  }
  return errors ? kExitUsage : kExitOk;
}

int Count(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage, "segment count needs exactly one ID or FILE");
  Workspace ws(global);
  auto result = ws.LoadSegment(args.positional()[1]);
  if (result.diagnostics.HasErrors()) {
    PrintDiagnostics(result.diagnostics, false);
    return kExitUsage;
  }
  auto db = ws.OpenDatabase();
  auto count = db->CountRecipients(segment::ToFilter(*result.segment, ws.clock().Now()));
  const auto& id = result.segment->id;
  if (args.Has("json")) {
    std::cout << "{\"segment\":" << base::JsonQuote(id) << ",\"contacts\":" << count.contacts
              << ",\"accounts\":" << count.accounts << "}\n";
  } else {
    std::cout << id;
    if (!result.segment->display_name.empty())
      std::cout << " (" << result.segment->display_name << ")";
    std::cout << ": " << count.contacts << " contacts at " << count.accounts << " accounts\n";
  }
  return kExitOk;
}

}  // namespace

int CmdSegment(const GlobalOptions& global, const Words& words) {
  Args args(words, {}, {"json", "help"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kSegmentHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& sub = args.positional()[0];
  if (sub == "check") return Check(global, args);
  if (sub == "count") return Count(global, args);
  throw Error(ErrorKind::kUsage,
              "unknown segment command '" + sub + "' (see b2bmail segment --help)");
}

}  // namespace b2bmail::cli
