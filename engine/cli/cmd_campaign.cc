#include <iostream>
#include <optional>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/campaign/launcher.h"
#include "b2bmail/track/token_signer.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kCampaignHelp = R"(usage:
  b2bmail campaign launch ID [--json] [--now ISO8601]
      Read campaigns/ID.toml (segment, template, from_address, and optionally
      subject and from_name, which default to the template's, reply_to and
      mail_type), select the segment's mailable contacts, render one message per
      contact with its own unsubscribe token and bounce address, sign it with the
      [[dkim]] keys of b2bmail.toml (on [launch] signing_threads, default all
      cores) and queue it in the outbox. Launching again only queues contacts that
      have no message for this campaign yet. Warns when [track] base_url is not
      https (one-click unsubscribe needs it). Send the queue with `b2bmail deliver`.
)";

int Launch(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage, "campaign launch needs exactly one campaign ID");
  Workspace ws(global);
  auto c = ws.LoadCampaign(args.positional()[1]);
  auto seg = ws.LoadSegment(c.segment);
  base::Diagnostics diags = seg.diagnostics;
  auto source = ws.LoadTemplate(c.template_id, c.subject);
  auto tmpl = render::MessageTemplate::Compile(source, diags);
  if (diags.HasErrors()) {
    PrintDiagnostics(diags, false);
    return kExitUsage;
  }
  if (c.from_name.empty()) c.from_name = source.from_name;
  // Keys first: a broken [[dkim]] entry stops the launch before anything is queued.
  auto keys = ws.LoadDkimKeys();
  std::optional<mime::DkimSigner> signer;
  if (!keys.empty()) signer.emplace(std::move(keys), mime::DefaultSignedHeaders());
  campaign::LaunchOptions options;
  if (signer) options.signer = &*signer;
  if (auto threads = ws.IntSetting("launch", "signing_threads")) {
    if (*threads < 0 || *threads > 256)
      throw Error(ErrorKind::kConfig, "b2bmail.toml: launch.signing_threads must be 0-256");
    options.signing_threads = static_cast<unsigned>(*threads);
  }
  options.compose = ws.LoadComposeOptions();
  options.compose.images = ws.LoadTemplateImages(c.template_id);
  track::TokenSigner tokens(ws.LoadTokenSecret());
  options.compose.tokens = &tokens;
  auto db = ws.OpenDatabase();
  base::SystemRandom random;
  auto report = campaign::Launch(*db, c, *seg.segment, *tmpl, options, ws.clock(), random);
  for (const auto& w : report.warnings) std::cerr << "b2bmail: warning: " << w << "\n";
  if (args.Has("json")) {
    std::cout << "{\"campaign\":" << base::JsonQuote(c.id) << ",\"selected\":" << report.selected
              << ",\"queued\":" << report.queued << ",\"already_queued\":" << report.already_queued
              << "}\n";
  } else {
    std::cout << "campaign " << c.id << ": " << report.selected << " contacts selected by segment "
              << c.segment << ", " << report.queued << " messages queued";
    if (report.already_queued) std::cout << ", " << report.already_queued << " already queued";
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int CmdCampaign(const GlobalOptions& global, const Words& words) {
  Args args(words, {}, {"json", "help"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kCampaignHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  if (args.positional()[0] == "launch") return Launch(global, args);
  throw Error(ErrorKind::kUsage, "unknown campaign command '" + args.positional()[0] +
                                     "' (see b2bmail campaign --help)");
}

}  // namespace b2bmail::cli
