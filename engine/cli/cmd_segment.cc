#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "commands.h"
#include "recipient_writer.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kSegmentHelp = R"(usage:
  b2bmail segment check FILE|ID... [--json]
      Parse and check segments (and the segments they name); prints
      file:line:col: error[code]: message (JSON lines with --json), exit 2 on errors.
  b2bmail segment count ID|FILE [--json]
      Count the contacts the segment selects and their distinct accounts.
      --json prints {"segment":ID,"contacts":N,"accounts":M}.
  b2bmail segment export ID|FILE [--format csv|jsonl]
      Write the selected contacts to stdout in email order: email, account_id,
      then the contact's and the account's fields.
  b2bmail segment explain ID|FILE [--json]
      How many contacts each clause keeps and removes, in order (--json: one
      JSON object per step with kind, step, contacts, accounts, removed).
  b2bmail segment list [--json]
      Every segment in the workspace's segments/ with its count.
A segment selects mailable contacts only (consent not none, not unsubscribed, not
suppressed). Time windows count back from --now (default: the current time).
The segment language is described in docs/segments.md.
)";

// 1204 -> "1,204": counts a marketer reads at a glance.
std::string Grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Counted(std::int64_t n, const std::string& noun) {
  return Grouped(n) + " " + noun + (n == 1 ? "" : "s");
}

// Loads a segment with the segments it names; prints diagnostics. nullopt on errors.
std::optional<segment::SegmentDefinition> LoadChecked(const Workspace& ws, const std::string& arg,
                                                      bool json) {
  auto result = ws.LoadSegment(arg);
  PrintDiagnostics(result.diagnostics, json);
  if (result.diagnostics.HasErrors() || !result.segment) return std::nullopt;
  return std::move(result.segment);
}

std::string SingleArgument(const Args& args, const char* command) {
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage,
                std::string("segment ") + command + " needs exactly one ID or FILE");
  return args.positional()[1];
}

int Check(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() < 2)
    throw Error(ErrorKind::kUsage, "segment check needs FILE or ID");
  Workspace ws(global);
  bool errors = false;
  for (std::size_t i = 1; i < args.positional().size(); ++i) {
    bool ok = LoadChecked(ws, args.positional()[i], args.Has("json")).has_value();
    errors = errors || !ok;
    if (ok && !args.Has("json")) std::cout << args.positional()[i] << ": ok\n";
  }
  return errors ? kExitUsage : kExitOk;
}

void PrintCount(const segment::SegmentDefinition& seg, const store::SelectionCount& count,
                bool json) {
  if (json) {
    std::cout << "{\"segment\":" << base::JsonQuote(seg.id) << ",\"contacts\":" << count.contacts
              << ",\"accounts\":" << count.accounts << "}\n";
    return;
  }
  std::cout << seg.id;
  if (!seg.display_name.empty()) std::cout << " (" << seg.display_name << ")";
  std::cout << ": " << Counted(count.contacts, "contact") << " at "
            << Counted(count.accounts, "account") << "\n";
}

int Count(const GlobalOptions& global, const Args& args) {
  std::string arg = SingleArgument(args, "count");
  Workspace ws(global);
  auto seg = LoadChecked(ws, arg, false);
  if (!seg) return kExitUsage;
  auto db = ws.OpenDatabase();
  PrintCount(*seg, db->CountRecipients(segment::ToFilter(*seg, ws.clock().Now())),
             args.Has("json"));
  return kExitOk;
}

int Export(const GlobalOptions& global, const Args& args) {
  std::string arg = SingleArgument(args, "export");
  std::string format = args.Get("format").value_or("csv");
  if (format != "csv" && format != "jsonl")
    throw Error(ErrorKind::kUsage, "--format is csv or jsonl, not '" + format + "'");
  Workspace ws(global);
  auto seg = LoadChecked(ws, arg, false);
  if (!seg) return kExitUsage;
  auto db = ws.OpenDatabase();
  RecipientWriter writer(std::cout,
                         format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonLines);
  db->ForEachRecipient(segment::ToFilter(*seg, ws.clock().Now()),
                       [&](const store::Recipient& r) { writer.Write(r); });
  return kExitOk;
}

int Explain(const GlobalOptions& global, const Args& args) {
  std::string arg = SingleArgument(args, "explain");
  Workspace ws(global);
  auto seg = LoadChecked(ws, arg, false);
  if (!seg) return kExitUsage;
  auto db = ws.OpenDatabase();
  auto steps = segment::Explain(*seg, ws.clock().Now());
  std::vector<store::SelectionCount> counts;
  for (const auto& step : steps) counts.push_back(db->CountRecipients(step.filter));
  if (args.Has("json")) {
    static constexpr const char* kKinds[] = {"all",     "where", "mailable",
                                             "exclude", "cap",   "sample"};
    for (std::size_t i = 0; i < steps.size(); ++i)
      std::cout << "{\"segment\":" << base::JsonQuote(seg->id) << ",\"kind\":\""
                << kKinds[static_cast<int>(steps[i].kind)]
                << "\",\"step\":" << base::JsonQuote(steps[i].label)
                << ",\"contacts\":" << counts[i].contacts << ",\"accounts\":" << counts[i].accounts
                << ",\"removed\":" << (i == 0 ? 0 : counts[i - 1].contacts - counts[i].contacts)
                << "}\n";
    return kExitOk;
  }

  std::size_t width = 4;
  for (const auto& step : steps) width = std::max(width, base::Utf8Length(step.label) + 2);
  width = std::min<std::size_t>(width, 72);
  std::cout << "segment " << seg->id;
  if (!seg->display_name.empty()) std::cout << ": " << seg->display_name;
  std::cout << "\n";
  auto row = [&](const std::string& label, const std::string& kept, const std::string& removed) {
    std::string shown = label;
    std::size_t length = base::Utf8Length(shown);
    if (length > width) {
      shown = shown.substr(0, width - 3) + "...";  // long clauses: the start says which
      length = width;
    }
    std::cout << "  " << shown << std::string(width - length, ' ') << std::setw(12) << kept
              << std::setw(12) << removed << "\n";
  };
  row("step", "kept", "removed");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::string label = steps[i].label;
    if (steps[i].kind == segment::ExplainStep::Kind::kWhereTerm && label.starts_with("and "))
      label = "  " + label;
    row(label, Grouped(counts[i].contacts),
        i == 0 ? "" : Grouped(counts[i - 1].contacts - counts[i].contacts));
  }
  std::cout << "  selected: " << Counted(counts.back().contacts, "contact") << " at "
            << Counted(counts.back().accounts, "account") << "\n";
  return kExitOk;
}

int List(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() != 1)
    throw Error(ErrorKind::kUsage, "segment list takes no arguments");
  Workspace ws(global);
  std::vector<std::string> ids = ws.SegmentIds();
  auto db = ws.OpenDatabase();
  bool errors = false;
  for (const auto& id : ids) {
    auto seg = LoadChecked(ws, id, args.Has("json"));
    if (!seg) {
      errors = true;
      if (!args.Has("json")) std::cout << id << ": has errors (see above)\n";
      continue;
    }
    PrintCount(*seg, db->CountRecipients(segment::ToFilter(*seg, ws.clock().Now())),
               args.Has("json"));
  }
  return errors ? kExitUsage : kExitOk;
}

}  // namespace

int CmdSegment(const GlobalOptions& global, const Words& words) {
  Args args(words, {"format"}, {"json", "help"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kSegmentHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& sub = args.positional()[0];
  if (sub == "check") return Check(global, args);
  if (sub == "count") return Count(global, args);
  if (sub == "export") return Export(global, args);
  if (sub == "explain") return Explain(global, args);
  if (sub == "list") return List(global, args);
  throw Error(ErrorKind::kUsage,
              "unknown segment command '" + sub + "' (see b2bmail segment --help)");
}

}  // namespace b2bmail::cli
