#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/random.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/campaign/send_composer.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/render/template_lint.h"
#include "b2bmail/track/token_signer.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kTemplateHelp = R"(usage:
  b2bmail template lint ID... [--json]
      Compile templates/ID and check it against the legacy-client rules
      (docs/templates.md): findings as file:line:col: error|warning[L5]: ...
      with the clients they protect; exit 2 on any error.
  b2bmail template render ID --contact EMAIL [--campaign ID] --out DIR [--screenshot]
      Render the template for one contact of the database and write
      DIR/message.html, DIR/message.txt and DIR/message.eml: the message exactly
      as `campaign launch` builds it (bulk-sender headers, images from
      templates/ID/images named by cid:, DKIM-signed with the [[dkim]] keys), its
      tokens signed with a throwaway secret. --screenshot also writes DIR/message.png
      with headless Chromium when it is installed (apt-get install chromium).
)";

void WriteFile(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) throw Error(ErrorKind::kIo, "cannot write " + path.string());
}

// The contact and its account, by address (mailable or not: a preview may look at anyone).
store::Recipient FindRecipient(store::Database& db, const std::string& email) {
  auto node = std::make_shared<model::FilterNode>();
  node->kind = model::FilterNode::Kind::kCompare;
  node->field = {model::Entity::kContact, "email", model::FieldType::kText, false};
  node->values = {email};
  model::ContactFilter filter;
  filter.root = node;
  filter.mailable_only = false;
  std::optional<store::Recipient> found;
  db.ForEachRecipient(filter, [&](const store::Recipient& r) { found = r; });
  if (!found) throw Error(ErrorKind::kUsage, "no contact '" + email + "' in the database");
  return *found;
}

int Lint(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() < 2)
    throw Error(ErrorKind::kUsage, "template lint needs one or more template IDs");
  Workspace ws(global);
  bool errors = false;
  for (std::size_t i = 1; i < args.positional().size(); ++i) {
    const std::string& id = args.positional()[i];
    auto report = render::LintTemplate(ws.LoadTemplate(id, ""));
    errors = errors || report.HasErrors();
    if (args.Has("json")) {
      for (const auto& f : report.findings)
        std::cout << "{\"template\":" << base::JsonQuote(id)
                  << ",\"rule\":" << base::JsonQuote(f.rule) << ",\"severity\":\""
                  << base::ToString(f.severity) << "\",\"clients\":" << base::JsonQuote(f.clients)
                  << ",\"file\":" << base::JsonQuote(f.file) << ",\"line\":" << f.position.line
                  << ",\"column\":" << f.position.column
                  << ",\"message\":" << base::JsonQuote(f.message) << "}\n";
      continue;
    }
    for (const auto& f : report.findings) std::cerr << f.Format() << "\n";
    std::size_t n_errors = 0, n_warnings = 0;
    for (const auto& f : report.findings) {
      if (f.severity == base::Severity::kError) ++n_errors;
      if (f.severity == base::Severity::kWarning) ++n_warnings;
    }
    std::cout << id << ": " << n_errors << " errors, " << n_warnings << " warnings; sample HTML "
              << (report.rendered_size + 1023) / 1024 << " KB (Gmail clips at 102 KB)\n";
  }
  return errors ? kExitUsage : kExitOk;
}

int Render(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage, "template render needs exactly one template ID");
  auto email = args.Get("contact");
  auto out_dir = args.Get("out");
  if (!email || !out_dir)
    throw Error(ErrorKind::kUsage, "template render needs --contact EMAIL and --out DIR");
  Workspace ws(global);
  model::Campaign campaign;
  campaign.id = "preview";
  campaign.name = args.positional()[1];
  campaign.from_address = "preview@b2bmail.invalid";
  if (auto id = args.Get("campaign")) campaign = ws.LoadCampaign(*id);
  auto source = ws.LoadTemplate(args.positional()[1], campaign.subject);
  base::Diagnostics diags;
  auto tmpl = render::MessageTemplate::Compile(source, diags);
  PrintDiagnostics(diags, false);
  if (!tmpl) return kExitUsage;
  if (campaign.from_name.empty()) campaign.from_name = source.from_name;

  auto db = ws.OpenDatabase();
  store::Recipient r = FindRecipient(*db, *email);
  // The same composition as `campaign launch`, so the preview is what would be sent;
  // its tokens are signed with a throwaway secret (a preview must not create state).
  auto options = ws.LoadComposeOptions();
  options.images = ws.LoadTemplateImages(args.positional()[1]);
  base::SystemRandom random;
  track::TokenSigner tokens(base::RandomToken(random, 32));
  options.tokens = &tokens;
  campaign::SendComposer composer(campaign, *tmpl, options, ws.clock(), random);
  auto send = composer.Compose(r.contact, r.account ? &*r.account : nullptr);
  const auto& rendered = send.rendered;
  auto& message = send.message;
  if (auto keys = ws.LoadDkimKeys(); !keys.empty())
    message.data = mime::DkimSigner(std::move(keys), mime::DefaultSignedHeaders())
                       .Sign(message.data, ws.clock().Now());

  fs::create_directories(*out_dir);
  WriteFile(fs::path(*out_dir) / "message.html", rendered.html);
  WriteFile(fs::path(*out_dir) / "message.txt", rendered.text);
  WriteFile(fs::path(*out_dir) / "message.eml", message.data);
  std::cout << "wrote " << *out_dir << "/message.html, message.txt, message.eml ("
            << rendered.html.size() << " bytes of HTML, language '"
            << (rendered.language.empty() ? "default" : rendered.language) << "')\n";
  if (args.Has("screenshot")) {
    // Optional: headless Chromium renders the HTML as a browser-based client would.
    const char* browsers[] = {"chromium", "chromium-browser", "google-chrome"};
    std::string browser;
    for (const char* b : browsers)
      if (std::system(("command -v " + std::string(b) + " >/dev/null 2>&1").c_str()) == 0) {
        browser = b;
        break;
      }
    if (browser.empty()) {
      std::cerr << "b2bmail: --screenshot needs Chromium (apt-get install chromium); skipped\n";
      return kExitFailure;
    }
    fs::path html = fs::absolute(fs::path(*out_dir) / "message.html");
    fs::path png = fs::absolute(fs::path(*out_dir) / "message.png");
    // A fresh profile and no background networking: Chromium must not wait for the
    // network (closed on CI machines) or reuse a user's profile.
    fs::path profile = fs::temp_directory_path() / ("b2bmail-chromium-" + std::to_string(getpid()));
    std::string command =
        browser +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--hide-scrollbars --user-data-dir=" +
        profile.string() + " --window-size=700,1400 --screenshot=" + png.string() + " file://" +
        html.string() + " >/dev/null 2>&1";
    int status = std::system(command.c_str());
    fs::remove_all(profile);
    if (status != 0 || !fs::exists(png)) {
      std::cerr << "b2bmail: Chromium could not render the screenshot\n";
      return kExitFailure;
    }
    std::cout << "wrote " << png.string() << "\n";
  }
  return kExitOk;
}

}  // namespace

int CmdTemplate(const GlobalOptions& global, const Words& words) {
  Args args(words, {"contact", "campaign", "out"}, {"json", "help", "screenshot"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kTemplateHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& sub = args.positional()[0];
  if (sub == "render") return Render(global, args);
  if (sub == "lint") return Lint(global, args);
  throw Error(ErrorKind::kUsage,
              "unknown template command '" + sub + "' (see b2bmail template --help)");
}

}  // namespace b2bmail::cli
