// `b2bmail bounce parse`: what returned messages say, one JSON line per recipient;
// `b2bmail bounce ingest`: the same read from mailboxes (bounce::MailboxSource) and applied.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/bounce/bounce_report.h"
#include "b2bmail/bounce/mailbox_source.h"
#include "b2bmail/bounce/message_date.h"
#include "b2bmail/campaign/bounce_applier.h"
#include "b2bmail/mime/mime_parser.h"
#include "b2bmail/smtp/delivery_outcome.h"
#include "b2bmail/track/token_signer.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kBounceHelp =
    R"(usage: b2bmail bounce parse FILE... [--json] [--verp-prefix PREFIX]
       b2bmail bounce ingest SOURCE... [--json] [--move-to FOLDER] [--delete-processed]
                             [--ca-file PEM] [--insecure-tls]

Reads each file as one returned message (a DSN, a feedback report, an auto-reply)
and prints, for every failed or delayed recipient, one line:

  {"file","recipient","action","status","category","hard","diagnostic",
   "verp_token","message_id","format"}

and {"file","recipients":[]} for a file with none (with "kind" saying what it
was: none, auto-reply, unrecognised). Reads RFC 3464 delivery status
notifications, RFC 5965 feedback reports and vendors' own formats ("format"
names the reader); a bounce no reader understands is "unrecognised", never
guessed at.

ingest reads returned mail, matches each bounce to its send by the VERP token of
our bounce address (checked with the token secret), else by the Message-ID it
quotes, else to a contact by address, and records bounced (hard/soft) and
complained events at the bounce's Date: hard bounces and complaints suppress
the address, soft bounces once they add up ([suppression] in b2bmail.toml). Delayed notices and
auto-replies record nothing. Processed mail is marked or moved; mail that was
not processed is never deleted. A SOURCE is:

  MAILDIR         new/ and unseen cur/ messages; each is marked seen once processed
  MBOX            an mbox file, only read (all of it, every time)
  imap://USER@HOST[:PORT]/MAILBOX, imaps://...   (MAILBOX defaults to INBOX)
                  the UNSEEN messages, read without marking them; each is marked
                  \Seen only after it was processed, and then moved to FOLDER with
                  --move-to FOLDER (created when missing)
  pop3://USER@HOST[:PORT], pop3s://...
                  the messages not processed before: their UIDLs are kept in
                  .b2bmail/pop3-seen-HOST-PORT-USER.txt in the workspace; with
                  --delete-processed each processed message is deleted from the
                  server, otherwise nothing is

The password comes from the URL (USER:PASSWORD@, %-encoded) or, better, from the
B2BMAIL_MAILBOX_PASSWORD environment variable. imaps:// and pop3s:// verify the
server's certificate against the system's CAs, or against --ca-file PEM;
--insecure-tls accepts any certificate (tests only). imap:// and pop3:// are not
encrypted: use them on a trusted network only.
)";

constexpr const char* kPasswordVariable = "B2BMAIL_MAILBOX_PASSWORD";

int Ingest(const GlobalOptions& global, const Args& args) {
  Workspace ws(global);
  auto db = ws.OpenDatabase();
  track::TokenSigner tokens(ws.LoadTokenSecret());
  bounce::BounceParseOptions options;
  options.verp_prefix = ws.LoadComposeOptions().bounce_prefix;
  campaign::BounceApplier applier(*db, tokens);
  campaign::BounceApplyCounts counts;
  bounce::MailboxOptions sources;
  sources.move_to = args.Get("move-to").value_or("");
  sources.delete_processed = args.Has("delete-processed");
  if (const char* password = std::getenv(kPasswordVariable)) sources.password = password;
  sources.password_origin = std::string("the ") + kPasswordVariable + " environment variable";
  sources.verify_tls = !args.Has("insecure-tls");
  sources.ca_file = args.Get("ca-file").value_or("");
  sources.state_dir = ws.root() / ".b2bmail";
  // All opened first, so that a bad URL or option stops the run before anything is read.
  std::vector<std::unique_ptr<bounce::MailboxSource>> opened;
  for (std::size_t i = 1; i < args.positional().size(); ++i)
    opened.push_back(bounce::OpenMailboxSource(args.positional()[i], sources));
  std::int64_t messages = 0, dsn = 0, complaints = 0, auto_replies = 0, unrecognised = 0, other = 0;
  for (const auto& source : opened) {
    messages += source->Read([&](const std::string&, const std::string& raw) {
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
  Args args(words, {"verp-prefix", "move-to", "ca-file"},
            {"json", "help", "delete-processed", "insecure-tls"});
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
                << "\",\"format\":" << base::JsonQuote(report.format) << ",\"recipients\":[]}\n";
      continue;
    }
    for (const auto& r : report.recipients) {
      std::cout << head << ",\"recipient\":" << base::JsonQuote(r.recipient) << ",\"action\":\""
                << (report.kind == bounce::BounceReport::Kind::kComplaint ? "complained"
                    : r.action == bounce::BounceAction::kFailed           ? "failed"
                                                                          : "delayed")
                << "\",\"status\":" << base::JsonQuote(r.status)
                << ",\"category\":" << base::JsonQuote(smtp::FailureCategoryName(r.category))
                << ",\"hard\":" << (r.hard ? "true" : "false")
                << ",\"diagnostic\":" << base::JsonQuote(r.diagnostic)
                << ",\"verp_token\":" << base::JsonQuote(report.verp_token)
                << ",\"message_id\":" << base::JsonQuote(report.original_message_id)
                << ",\"format\":" << base::JsonQuote(report.format) << "}\n";
    }
  }
  return kExitOk;
}

}  // namespace b2bmail::cli
