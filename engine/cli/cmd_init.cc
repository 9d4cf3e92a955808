#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kConfig = R"(# b2bmail workspace configuration. Every setting is optional.

[store]
# The database file, relative to this workspace (default: b2bmail.db).
# path = "b2bmail.db"

[smtp]
# Where `b2bmail deliver` sends: a relay (smarthost) as host:port.
# For a local try-out, run `b2bmail sink --listen 127.0.0.1:2525 --maildir sink`.
relay = "127.0.0.1:2525"
# The name this sender gives in EHLO.
# helo = "mail.example.com"
# Messages per SMTP connection before reconnecting.
# max_messages_per_connection = 100

[track]
# Public base URL of the tracking server; unsubscribe links are <base_url>/u/<token>.
# Receivers accept one-click unsubscribe (RFC 8058) only over https: use https in production.
base_url = "http://127.0.0.1:8080"
# The secret that signs tokens in links and bounce addresses (made on first use; keep it).
# secret_file = ".b2bmail/token.secret"

[compliance]
# A mailto: unsubscribe beside the https link; each message gets unsubscribe+<token>@...
# unsubscribe_mailto = "unsubscribe@example.com"
# Feedback-ID's sender id for Gmail's feedback loop: 5-15 characters, never changed.
# feedback_sender = "example01"

[bounces]
# Envelope sender <prefix>+<token>@<domain>, where bounces return (default: the From domain).
# domain = "bounces.example.com"
# prefix = "bounces"

[suppression]
# Hard bounces and complaints suppress an address at once; soft bounces (full mailbox,
# blocks) once this many fall within the window, for this many days after the last.
# soft_bounce_limit = 3
# soft_bounce_window_days = 30
# soft_suppression_days = 30

[sender]
# sender.* in templates: the footer of a commercial email names who sends it.
company = "Example Ltd"
address = "1 Example Street, Example City"
)";

constexpr const char* kSegment = R"(# A segment selects mailable contacts. See docs/segments.md.
segment "Decision makers and buyers in DACH"
where account.country in ("DE", "AT", "CH")
  and contact.role in (decision_maker, buyer)
# More conditions: opened within 90d, account.stage >= consideration,
#   account has at least 1 contacts where contact.role = decision_maker
# Optional clauses, in this order (remove the '#' to use one):
# exclude customers
# cap 2 per account order by contact.seniority desc
# sample 10% seed 1
)";

constexpr const char* kCampaign =
    R"(# A campaign: who (segment), what (template, subject), from whom.
name = "Welcome"
segment = "example"
template = "welcome"
subject = "{{contact.first_name}}, a quick hello from us"
from_address = "news@example.com"
from_name = "Example Marketing"
# reply_to = "sales@example.com"
)";

constexpr const char* kHtml = R"(<!DOCTYPE html>
<html>
<body>
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0">
<tr><td>
<p style="font-family: Arial, Helvetica, sans-serif;">Hello {{contact.first_name}},</p>
<p style="font-family: Arial, Helvetica, sans-serif;">we help teams like {{account.name}} buy with confidence.</p>
<p style="font-family: Arial, Helvetica, sans-serif;"><a href="{{unsubscribe_url}}">Unsubscribe</a></p>
</td></tr>
</table>
</body>
</html>
)";

constexpr const char* kTemplateToml =
    R"(# The template's defaults (docs/templates.md); a campaign's subject replaces them.
[subject]
default = "{{contact.first_name}}, a quick hello from us"
de = "{{contact.first_name}}, ein kurzer Gruß von uns"

[preheader]
default = "Buying with confidence, in two minutes"
)";

constexpr const char* kText = R"(Hello {{contact.first_name}},

we help teams like {{account.name}} buy with confidence.

Unsubscribe: {{unsubscribe_url}}
)";

}  // namespace

int CmdInit(const GlobalOptions&, const Words& words) {
  Args args(words, {}, {"help"});
  if (args.Has("help") || args.positional().size() != 1) {
    std::cout << "usage: b2bmail init DIR\n\nWrites a commented starter workspace (b2bmail.toml,"
                 " segments/, templates/, campaigns/)\ninto DIR. Existing files are kept.\n";
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  fs::path dir = args.positional()[0];
  const std::pair<const char*, const char*> files[] = {
      {"b2bmail.toml", kConfig},
      {"segments/example.seg", kSegment},
      {"campaigns/welcome.toml", kCampaign},
      {"templates/welcome/template.toml", kTemplateToml},
      {"templates/welcome/html.mustache", kHtml},
      {"templates/welcome/text.mustache", kText},
  };
  std::error_code ec;
  for (const auto& [name, text] : files) {
    fs::path p = dir / name;
    fs::create_directories(p.parent_path(), ec);
    if (ec)
      throw Error(ErrorKind::kIo,
                  "cannot create " + p.parent_path().string() + ": " + ec.message());
    if (fs::exists(p)) {
      std::cout << "kept     " << p.string() << "\n";
      continue;
    }
    std::ofstream out(p, std::ios::binary);
    out << text;
    if (!out) throw Error(ErrorKind::kIo, "cannot write " + p.string());
    std::cout << "created  " << p.string() << "\n";
  }
  std::cout << "\nNext: b2bmail --workspace " << dir.string()
            << " import accounts FILE.csv (see docs/import.md)\n";
  return kExitOk;
}

}  // namespace b2bmail::cli
