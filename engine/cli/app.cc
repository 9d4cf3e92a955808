#include "b2bmail/cli/app.h"

#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kHelp = R"(b2bmail: B2B email campaigns that reach the buying center

usage: b2bmail [--workspace DIR] [--db PATH] [--now ISO8601] <command> [<args>]

commands:
  init DIR                       write a commented starter workspace into DIR
  import accounts|contacts|events FILE.csv
                                 import CSV rows (bad rows go to FILE.rejects.csv)
  segment check FILE|ID...       check segment files; errors as file:line:col
  segment count ID|FILE [--json] count the mailable contacts and accounts selected
  segment export|explain ID|FILE the selected contacts; what each clause keeps
  segment list                   every segment with its count
  template lint ID...            check templates against the legacy-client rules
  template render ID --contact EMAIL --out DIR
                                 preview one contact's message (.html .txt .eml)
  dkim keygen --domain D --selector S [--algorithm rsa|ed25519]
                                 a DKIM key and the DNS record to publish
  dkim verify FILE.eml [--key-file TXT]
                                 check a message's DKIM signatures (DNS or a key file)
  campaign launch ID [--json]    render the campaign and queue one message per contact
  deliver [--until-idle]         send the outbox: MX or relay, shaped per domain and provider
  queue status|pause|resume|retry|purge
                                 the delivery queues and the operator's levers on them
  bounce parse FILE...           what returned messages (DSN, ARF, vendors' formats) say,
                                 a JSON line per recipient
  bounce ingest SOURCE...        apply bounces and complaints from files, Maildir, mbox,
                                 IMAP(S) or POP3(S) mailboxes: events and suppressions
  suppress list|add|remove|import|export
                                 the addresses never mailed; CSV in and out
  report deliverability [--json] [--all] [--since ISO8601] [--days N] [--bucket day|week]
                                 account health: per domain and account, blocks, bounces,
                                 complaints and deferrals, and the provider in front
  sink --listen HOST:PORT --maildir DIR
                                 a capturing SMTP server writing a Maildir

global options:
  --workspace DIR   the workspace (default: the current directory)
  --db PATH         the database (default: <workspace>/b2bmail.db)
  --now ISO8601     evaluate and stamp as if it were this time (reproducible runs)
  --help, -h        help for b2bmail or for a command (b2bmail import --help)
  --version         print the version

exit codes: 0 ok, 1 failure, 2 usage or input error. Docs: docs/ in the source tree.
)";

}  // namespace

void PrintDiagnostics(const base::Diagnostics& diagnostics, bool json) {
  for (const auto& d : diagnostics.items()) {
    if (json) {
      std::cout << "{\"file\":" << base::JsonQuote(d.file) << ",\"line\":" << d.position.line
                << ",\"column\":" << d.position.column << ",\"severity\":\""
                << base::ToString(d.severity) << "\",\"code\":" << base::JsonQuote(d.code)
                << ",\"message\":" << base::JsonQuote(d.message) << "}\n";
    } else {
      std::cerr << d.Format() << "\n";
    }
  }
}

int Run(const std::vector<std::string>& argv) {
  try {
    // Global options may appear anywhere; the rest goes to the command.
    GlobalOptions global;
    std::vector<std::string> rest;
    bool help = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      auto take = [&](const char* name, auto& target) {
        std::string flag = std::string("--") + name;
        if (a == flag) {
          if (i + 1 >= argv.size()) throw Error(ErrorKind::kUsage, flag + " needs a value");
          target = argv[++i];
          return true;
        }
        if (a.rfind(flag + "=", 0) == 0) {
          target = a.substr(flag.size() + 1);
          return true;
        }
        return false;
      };
      if (take("workspace", global.workspace) || take("db", global.db) || take("now", global.now))
        continue;
      if (a == "--version") {
        std::cout << "b2bmail 0.1.0\n";
        return kExitOk;
      }
      if ((a == "--help" || a == "-h") && rest.empty()) {
        help = true;
        continue;
      }
      rest.push_back(a);
    }
    if (rest.empty()) {
      std::cout << kHelp;
      return help ? kExitOk : kExitUsage;
    }
    std::string command = rest.front();
    std::vector<std::string> words(rest.begin() + 1, rest.end());
    if (command == "help") {
      std::cout << kHelp;
      return kExitOk;
    }
    if (command == "init") return CmdInit(global, words);
    if (command == "import") return CmdImport(global, words);
    if (command == "segment") return CmdSegment(global, words);
    if (command == "template") return CmdTemplate(global, words);
    if (command == "dkim") return CmdDkim(global, words);

    if (command == "campaign") return CmdCampaign(global, words);
    if (command == "deliver") return CmdDeliver(global, words);
    if (command == "sink") return CmdSink(global, words);
    if (command == "queue") return CmdQueue(global, words);
    if (command == "bounce") return CmdBounce(global, words);
    if (command == "suppress") return CmdSuppress(global, words);
    if (command == "report") return CmdReport(global, words);
    throw Error(ErrorKind::kUsage, "unknown command '" + command + "' (see b2bmail --help)");
  } catch (const Error& e) {
    std::cerr << "b2bmail: error: " << e.what() << "\n";
    switch (e.kind()) {
      case ErrorKind::kUsage:
      case ErrorKind::kConfig:
        return kExitUsage;
      default:
        return kExitFailure;
    }
  } catch (const std::exception& e) {
    std::cerr << "b2bmail: error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace b2bmail::cli
