#pragma once
// A campaign template compiled once and rendered per recipient (docs/templates.md).
//
// Compile: the HTML body is placed in its layout, partials are expanded, and the
// legacy-client transform runs once (CSS inlined, Word-engine attributes, MSO head,
// hidden preheader); the text part is generated from that HTML unless the template
// has its own. Render: Mustache (kainjow) fills the values, links are rewritten by
// a scan of markers placed at compile time, the text part is wrapped: no HTML parse
// per recipient.
//
// Data a template sees:
//   contact.{email first_name last_name title role seniority department language
//            country timezone attr.<name>}
//   account.{id name domain industry employees country timezone stage tier
//            buying_step purchase_type attr.<name>}   (absent for contacts without one)
//   campaign.{id name}   sender.{company address website}
//   unsubscribe_url preferences_url view_online_url preheader   t.<key> (strings)
// HTML output escapes values; the text part and the subject do not.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/model/account.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/model/contact.h"

namespace b2bmail::render {

// Text per language: "" is the default, other keys are lower-case BCP 47 tags ("de",
// "de-at"). A contact's language picks its exact tag, then its primary language,
// then the default.
using Localized = std::map<std::string, std::string>;

// The sources of one template, as read from templates/<id>/ by the caller.
struct TemplateSource {
  std::string id;
  std::string html;                 // html.mustache
  std::string html_file;            // its path, for diagnostics
  std::optional<std::string> text;  // text.mustache; absent: generated from the HTML
  std::string text_file;
  Localized subjects;    // Mustache; the campaign's subject, or template.toml's [subject]
  Localized preheaders;  // Mustache; template.toml's [preheader]
  // template.toml's [strings] (default) and [strings.<lang>]: t.<key> in templates.
  std::map<std::string, Localized> strings;  // key -> language -> Mustache text
  std::optional<std::string> layout;         // layouts/<name>.mustache, with {{> content}}
  std::string layout_file;
  std::map<std::string, std::string> partials;       // name -> source ({{> name}})
  std::map<std::string, std::string> partial_files;  // name -> path, for diagnostics
  std::string config_file;  // template.toml, for diagnostics about subjects and strings
  std::string from_name;    // template.toml's from_name: used when the campaign has none
};

// The organisation that sends: shown in footers (postal address is a legal
// requirement for commercial mail in many countries).
struct Sender {
  std::string company;
  std::string address;
  std::string website;
};

// A link of the template, in document order.
struct LinkInfo {
  std::size_t index = 0;
  std::string href;  // as written, Mustache tags unrendered ("{{unsubscribe_url}}")
  std::string text;  // the link's text as written
  std::string file;  // where it is written
  base::SourcePosition position;
};

// Called for every link of every rendered message (HTML part, then the text part's
// references), in document order, with the rendered URL; returns the URL to use.
using LinkRewriter = std::function<std::string(const LinkInfo& link, const std::string& url)>;

struct RenderInput {
  const model::Contact& contact;
  const model::Account* account;  // may be null
  const model::Campaign& campaign;
  std::string unsubscribe_url;
  const Sender* sender = nullptr;
  std::string preferences_url = {};
  std::string view_online_url = {};
  const LinkRewriter* rewrite_links = nullptr;
};

struct RenderedMessage {
  std::string subject;
  std::string html;
  std::string text;
  std::string language;  // the language the strings were chosen for ("" default)
};

class MessageTemplate {
 public:
  // Compiles all parts; errors (unclosed tags and sections, unknown partials,
  // invalid UTF-8) come back as diagnostics with file:line:col and no template.
  static std::unique_ptr<MessageTemplate> Compile(const TemplateSource& source,
                                                  base::Diagnostics& diagnostics);
  ~MessageTemplate();

  // Renders one recipient's message. Not thread-safe (kainjow keeps per-render
  // state); use one MessageTemplate per thread.
  RenderedMessage Render(const RenderInput& input);

  // The compiled HTML: a Mustache template after the legacy transform, links as written.
  const std::string& compiled_html() const;
  // The text part's Mustache template (generated or text.mustache).
  const std::string& compiled_text() const;
  const std::vector<LinkInfo>& links() const;
  // The HTML as written, layout and partials expanded (what the linter reads), and
  // where a byte offset or a line:column of it was written.
  const std::string& composed_html() const;
  std::pair<std::string, base::SourcePosition> Locate(std::size_t offset) const;
  std::pair<std::string, base::SourcePosition> LocateComposed(int line, int column) const;

 private:
  struct Impl;
  explicit MessageTemplate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The language key `language` selects in `texts`: exact tag, primary subtag, or "".
// nullptr when `texts` has no entry for any of them.
const std::string* SelectLanguage(const Localized& texts, const std::string& language);

}  // namespace b2bmail::render
