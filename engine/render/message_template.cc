#include "b2bmail/render/message_template.h"

#include <kainjow/mustache.hpp>

#include "b2bmail/base/strings.h"
#include "b2bmail/render/html_to_text.h"

namespace b2bmail::render {

namespace mustache = kainjow::mustache;

namespace {

// kainjow reports "Unclosed tag at 123" with a byte offset; turn it into line:col.
base::SourcePosition PositionOf(const std::string& message, const std::string& source) {
  auto at = message.rfind(" at ");
  if (at == std::string::npos) return {};
  std::size_t offset = std::strtoul(message.c_str() + at + 4, nullptr, 10);
  base::SourcePosition pos{1, 1};
  for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
      ++pos.column;
    }
  }
  return pos;
}

std::unique_ptr<mustache::mustache> CompilePart(const std::string& source, const std::string& file,
                                                base::Diagnostics& diags) {
  if (!base::IsValidUtf8(source)) {
    diags.Error(file, {1, 1}, "encoding", "the template is not valid UTF-8");
    return nullptr;
  }
  auto m = std::make_unique<mustache::mustache>(source);
  if (!m->is_valid()) {
    diags.Error(file, PositionOf(m->error_message(), source), "mustache", m->error_message());
    return nullptr;
  }
  return m;
}

void AddAttributes(mustache::data& object, const model::Attributes& attrs) {
  mustache::data attr{mustache::data::type::object};
  for (const auto& [k, v] : attrs) attr.set(k, v);
  object.set("attr", attr);
}

template <typename E>
std::string OptionalName(const std::optional<E>& v) {
  return v ? std::string(model::Name(*v)) : std::string();
}

mustache::data BuildData(const RenderInput& in) {
  const auto& c = in.contact;
  mustache::data contact{mustache::data::type::object};
  contact.set("email", c.email);
  contact.set("first_name", c.first_name);
  contact.set("last_name", c.last_name);
  contact.set("title", c.title);
  contact.set("role", OptionalName(c.role));
  contact.set("seniority", OptionalName(c.seniority));
  contact.set("department", c.department);
  contact.set("language", c.language);
  contact.set("country", c.country);
  contact.set("timezone", c.timezone);
  AddAttributes(contact, c.attrs);

  mustache::data root{mustache::data::type::object};
  root.set("contact", contact);
  if (in.account) {
    const auto& a = *in.account;
    mustache::data account{mustache::data::type::object};
    account.set("id", a.id);
    account.set("name", a.name);
    account.set("domain", a.domains.empty() ? std::string() : a.domains.front());
    account.set("industry", a.industry);
    account.set("employees", a.employees ? std::to_string(*a.employees) : std::string());
    account.set("country", a.country);
    account.set("timezone", a.timezone);
    account.set("stage", OptionalName(a.stage));
    account.set("tier", OptionalName(a.tier));
    account.set("buying_step", OptionalName(a.buying_step));
    account.set("purchase_type", OptionalName(a.purchase_type));
    AddAttributes(account, a.attrs);
    root.set("account", account);
  }
  mustache::data campaign{mustache::data::type::object};
  campaign.set("id", in.campaign.id);
  campaign.set("name", in.campaign.name);
  root.set("campaign", campaign);
  root.set("unsubscribe_url", in.unsubscribe_url);
  return root;
}

std::string NoEscape(const std::string& s) { return s; }

}  // namespace

struct MessageTemplate::Impl {
  std::unique_ptr<mustache::mustache> subject, html, text;
  std::map<std::string, std::string> partials;
};

MessageTemplate::MessageTemplate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MessageTemplate::~MessageTemplate() = default;

std::unique_ptr<MessageTemplate> MessageTemplate::Compile(const TemplateSource& source,
                                                          base::Diagnostics& diagnostics) {
  auto impl = std::make_unique<Impl>();
  std::size_t errors_before = diagnostics.items().size();
  impl->subject = CompilePart(source.subject, source.id + " subject", diagnostics);
  impl->html = CompilePart(source.html, source.html_file, diagnostics);
  if (source.text) impl->text = CompilePart(*source.text, source.text_file, diagnostics);
  for (const auto& [name, text] : source.partials) {
    // A partial is compiled where it is used; check it here so errors point at it.
    CompilePart(text, "partials/" + name + ".mustache", diagnostics);
  }
  impl->partials = source.partials;
  bool failed = false;
  for (std::size_t i = errors_before; i < diagnostics.items().size(); ++i)
    failed = failed || diagnostics.items()[i].severity == base::Severity::kError;
  if (failed) return nullptr;
  if (impl->subject) impl->subject->set_custom_escape(NoEscape);
  if (impl->text) impl->text->set_custom_escape(NoEscape);
  return std::unique_ptr<MessageTemplate>(new MessageTemplate(std::move(impl)));
}

RenderedMessage MessageTemplate::Render(const RenderInput& input) {
  mustache::data data = BuildData(input);
  for (const auto& [name, text] : impl_->partials) {
    const std::string* source = &text;
    data.set(name, mustache::partial([source] { return *source; }));
  }
  RenderedMessage out;
  out.subject = impl_->subject->render(data);
  // Header values are one line.
  for (char& ch : out.subject)
    if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
  out.html = impl_->html->render(data);
  out.text = impl_->text ? impl_->text->render(data) : HtmlToText(out.html);
  // Every message says how to stop receiving them, whatever the template forgot.
  if (!input.unsubscribe_url.empty() && out.text.find(input.unsubscribe_url) == std::string::npos)
    out.text += "\n--\nUnsubscribe: " + input.unsubscribe_url + "\n";
  return out;
}

}  // namespace b2bmail::render
