// `b2bmail bounce parse`: what returned messages say, one JSON line per recipient.
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/smtp/delivery_outcome.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kBounceHelp =
    R"(usage: b2bmail bounce parse FILE... [--json] [--verp-prefix PREFIX]

Reads each file as one returned message (a DSN, a feedback report, an auto-reply)
and prints, for every failed or delayed recipient, one line:

  {"file","recipient","action","status","category","hard","diagnostic"}

and {"file","recipients":[]} for a file with none (with "kind" saying what it
was: none, auto-reply, unrecognised). Reads RFC 3464 delivery status
notifications and RFC 5965 feedback reports; vendor formats without a
delivery-status part are reported as "unrecognised" for now.
)";

}  // namespace

int CmdBounce(const GlobalOptions& global, const Words& words) {
  (void)global;
  Args args(words, {"verp-prefix"}, {"json", "help"});
  const auto& pos = args.positional();
  if (args.Has("help") || pos.empty() || pos[0] != "parse" || pos.size() < 2) {
    std::cout << kBounceHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  bounce::BounceParseOptions options;
  if (auto prefix = args.Get("verp-prefix")) options.verp_prefix = *prefix;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    const std::string& file = pos[i];
    auto report = bounce::ParseBounce(ReadTextFile(file), options);
    std::string head = "{\"file\":" + base::JsonQuote(file);
    if (report.recipients.empty()) {
      std::cout << head << ",\"kind\":\"" << bounce::KindName(report.kind)
                << "\",\"recipients\":[]}\n";
      continue;
    }
    for (const auto& r : report.recipients) {
      std::cout << head << ",\"recipient\":" << base::JsonQuote(r.recipient) << ",\"action\":\""
                << (report.kind == bounce::BounceReport::Kind::kComplaint ? "complained"
                    : r.action == bounce::BounceAction::kFailed           ? "failed"
                                                                          : "delayed")
                << "\",\"status\":" << base::JsonQuote(r.status) << ",\"category\":"
                << base::JsonQuote(report.kind == bounce::BounceReport::Kind::kComplaint
                                       ? "complaint"
                                       : smtp::FailureCategoryName(r.category))
                << ",\"hard\":" << (r.hard ? "true" : "false")
                << ",\"diagnostic\":" << base::JsonQuote(r.diagnostic)
                << ",\"verp_token\":" << base::JsonQuote(report.verp_token)
                << ",\"message_id\":" << base::JsonQuote(report.original_message_id) << "}\n";
    }
  }
  return kExitOk;
}

}  // namespace b2bmail::cli
