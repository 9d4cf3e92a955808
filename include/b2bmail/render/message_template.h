#pragma once
// A campaign template compiled once and rendered per recipient with Mustache
// (kainjow). Data a template sees (docs/templates.md):
//   contact.{email first_name last_name title role seniority department language
//            country timezone attr.<name>}
//   account.{id name domain industry employees country timezone stage tier
//            buying_step purchase_type attr.<name>}   (absent for contacts without one)
//   campaign.{id name}   unsubscribe_url
// HTML output escapes values; the text part and the subject do not.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/model/account.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/model/contact.h"

namespace b2bmail::render {

// The sources of one template, as read from templates/<id>/ by the caller.
struct TemplateSource {
  std::string id;
  std::string html;                 // html.mustache
  std::string html_file;            // its path, for diagnostics
  std::optional<std::string> text;  // text.mustache; absent: generated from the HTML
  std::string text_file;
  std::string subject;                          // a Mustache template too (from the campaign)
  std::map<std::string, std::string> partials;  // name -> source ({{> name}})
};

struct RenderInput {
  const model::Contact& contact;
  const model::Account* account;  // may be null
  const model::Campaign& campaign;
  std::string unsubscribe_url;
};

struct RenderedMessage {
  std::string subject;
  std::string html;
  std::string text;
};

class MessageTemplate {
 public:
  // Compiles all parts; errors (unclosed tags and sections, invalid UTF-8) come
  // back as diagnostics with file:line:col and no template.
  static std::unique_ptr<MessageTemplate> Compile(const TemplateSource& source,
                                                  base::Diagnostics& diagnostics);
  ~MessageTemplate();

  // Renders one recipient's message. Not thread-safe (kainjow keeps per-render
  // state); use one MessageTemplate per thread.
  RenderedMessage Render(const RenderInput& input);

 private:
  struct Impl;
  explicit MessageTemplate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace b2bmail::render
