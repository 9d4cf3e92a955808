// `b2bmail bounce parse`: what returned messages say, one JSON line per recipient.
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/bounce/message_date.h"
#include "b2bmail/campaign/bounce_applier.h"
#include "b2bmail/mime/mime_parser.h"
#include "b2bmail/smtp/delivery_outcome.h"
#include "b2bmail/track/token_signer.h"
#include "commands.h"
#include "mailbox_reader.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kBounceHelp =
    R"(usage: b2bmail bounce parse FILE... [--json] [--verp-prefix PREFIX]
       b2bmail bounce ingest MAILDIR|MBOX... [--json]

Reads each file as one returned message (a DSN, a feedback report, an auto-reply)
and prints, for every failed or delayed recipient, one line:

  {"file","recipient","action","status","category","hard","diagnostic"}

and {"file","recipients":[]} for a file with none (with "kind" saying what it
was: none, auto-reply, unrecognised). Reads RFC 3464 delivery status
notifications and RFC 5965 feedback reports; vendor formats without a
delivery-status part are reported as "unrecognised" for now.

ingest reads a Maildir (new/ and unseen cur/ messages; each is marked seen once
processed, never deleted) or an mbox file (only read), matches each bounce to
its send by the VERP token of our bounce address (checked with the token
secret), else to a contact by address, and records bounced (hard/soft) and
complained events at the bounce's Date: hard bounces and complaints suppress the
address. Delayed notices and auto-replies record nothing.
)";

int Ingest(const GlobalOptions& global, const Args& args) {
  Workspace ws(global);
  auto db = ws.OpenDatabase();
  track::TokenSigner tokens(ws.LoadTokenSecret());
  bounce::BounceParseOptions options;
  options.verp_prefix = ws.LoadComposeOptions().bounce_prefix;
  campaign::BounceApplier applier(*db, tokens);
  campaign::BounceApplyCounts counts;
  std::int64_t messages = 0, dsn = 0, complaints = 0, auto_replies = 0, unrecognised = 0, other = 0;
  for (std::size_t i = 1; i < args.positional().size(); ++i) {
    messages += ReadMailbox(args.positional()[i], [&](const std::string&, const std::string& raw) {
      auto report = bounce::ParseBounce(raw, options);
      switch (report.kind) {
        case bounce::BounceReport::Kind::kDsn:
          ++dsn;
          break;
        case bounce::BounceReport::Kind::kComplaint:
          ++complaints;
          break;
        case bounce::BounceReport::Kind::kAutoReply:
          ++auto_replies;
          break;
        case bounce::BounceReport::Kind::kUnrecognised:
          ++unrecognised;
          break;
        case bounce::BounceReport::Kind::kNone:
          ++other;
          break;
      }
      // The time the report was written; a message without a readable Date is recorded
      // now (and then once more if read again).
      auto parsed = mime::ParseMessage(raw);
      auto at = bounce::ParseMessageDate(parsed.HeaderValue("Date")).value_or(ws.clock().Now());
      applier.Apply(report, at, counts);
    });
  }
  if (args.Has("json")) {
    std::cout << "{\"messages\":" << messages << ",\"dsn\":" << dsn
              << ",\"complaints\":" << complaints << ",\"auto_replies\":" << auto_replies
              << ",\"unrecognised\":" << unrecognised << ",\"other\":" << other
              << ",\"recipients\":" << counts.recipients << ",\"matched\":" << counts.matched
              << ",\"by_address\":" << counts.by_address << ",\"unknown\":" << counts.unknown
              << ",\"hard\":" << counts.hard << ",\"soft\":" << counts.soft
              << ",\"complained\":" << counts.complaints << "}\n";
  } else {
    std::cout << messages << " messages: " << dsn << " bounces, " << complaints << " complaints, "
              << auto_replies << " auto-replies, " << unrecognised
              << " bounces in formats not read yet, " << other << " other\n"
              << counts.recipients << " recipients: " << counts.matched << " matched by token, "
              << counts.by_address << " by address, " << counts.unknown << " unknown; recorded "
              << counts.hard << " hard, " << counts.soft << " soft, " << counts.complaints
              << " complaints\n";
  }
  return kExitOk;
}

}  // namespace

int CmdBounce(const GlobalOptions& global, const Words& words) {
  Args args(words, {"verp-prefix"}, {"json", "help"});
  const auto& pos = args.positional();
  bool known = !pos.empty() && (pos[0] == "parse" || pos[0] == "ingest");
  if (args.Has("help") || !known || pos.size() < 2) {
    std::cout << kBounceHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  if (pos[0] == "ingest") return Ingest(global, args);
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
