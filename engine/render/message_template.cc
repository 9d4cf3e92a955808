#include "b2bmail/render/message_template.h"

#include <kainjow/mustache.hpp>

#include "b2bmail/base/strings.h"
#include "b2bmail/render/html_to_text.h"
#include "composed_source.h"
#include "fast_data.h"
#include "fast_template.h"
#include "html_escape.h"
#include "legacy_transform.h"
#include "link_markers.h"
#include "mustache_shield.h"

namespace b2bmail::render {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::size_t kMaxTemplateBytes = 2 * 1024 * 1024;

// kainjow reports "Unclosed tag at 123" with a byte offset.
std::optional<std::size_t> OffsetOf(const std::string& message) {
  auto at = message.rfind(" at ");
  if (at == std::string::npos) return std::nullopt;
  return std::strtoul(message.c_str() + at + 4, nullptr, 10);
}

std::string HtmlEscape(const std::string& s) { return EscapeHtml(s); }
std::string NoEscape(const std::string& s) { return DropLinkMarkers(s); }

// One Mustache text, compiled by kainjow (the reference: its diagnostics, and the
// renderer when FastTemplate declines) and by FastTemplate (the same bytes, about ten
// times faster: perf-baselines.md §4, bench/render).
struct Part {
  std::unique_ptr<mustache::mustache> slow;
  std::optional<FastTemplate> fast;
};
using Compiled = std::unique_ptr<Part>;

// Compiles one Mustache text; `locate` maps a byte offset to the authored position.
Compiled CompileMustache(const std::string& text,
                         const std::function<SourceLocation(std::size_t)>& locate,
                         base::Diagnostics& diags, bool html) {
  auto part = std::make_unique<Part>();
  part->slow = std::make_unique<mustache::mustache>(text);
  auto& m = part->slow;
  if (!m->is_valid()) {
    auto offset = OffsetOf(m->error_message());
    SourceLocation where = locate(offset.value_or(0));
    std::string message = m->error_message();
    if (auto at = message.rfind(" at "); at != std::string::npos) message.resize(at);
    diags.Error(where.file, where.position, "mustache", message);
    return nullptr;
  }
  m->set_custom_escape(html ? HtmlEscape : NoEscape);
  part->fast =
      FastTemplate::Compile(text, html ? FastTemplate::Escape::kHtml : FastTemplate::Escape::kNone);
  return part;
}

Compiled CompileSnippet(const std::string& text, const std::string& file, const std::string& what,
                        base::Diagnostics& diags) {
  if (!base::IsValidUtf8(text)) {
    diags.Error(file, {}, "encoding", what + " is not valid UTF-8");
    return nullptr;
  }
  return CompileMustache(
      text,
      [&](std::size_t) {
        return SourceLocation{file, {}};
      },
      diags, false);
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
  mustache::data sender{mustache::data::type::object};
  if (in.sender) {
    sender.set("company", in.sender->company);
    sender.set("address", in.sender->address);
    sender.set("website", in.sender->website);
  }
  root.set("sender", sender);
  root.set("unsubscribe_url", in.unsubscribe_url);
  root.set("preferences_url", in.preferences_url);
  root.set("view_online_url", in.view_online_url);
  return root;
}

// BuildData's values as FastData (the same tree: an account only when there is one,
// `attr` objects always, `sender` even when empty).
void BuildFastData(const RenderInput& in, FastData& data) {
  using Id = FastData::Id;
  data.Clear();
  const auto& c = in.contact;
  Id contact = data.Object(FastData::kRoot, "contact");
  data.Set(contact, "email", c.email);
  data.Set(contact, "first_name", c.first_name);
  data.Set(contact, "last_name", c.last_name);
  data.Set(contact, "title", c.title);
  data.Set(contact, "role", OptionalName(c.role));
  data.Set(contact, "seniority", OptionalName(c.seniority));
  data.Set(contact, "department", c.department);
  data.Set(contact, "language", c.language);
  data.Set(contact, "country", c.country);
  data.Set(contact, "timezone", c.timezone);
  Id attr = data.Object(contact, "attr");
  for (const auto& [k, v] : c.attrs) data.Set(attr, k, v);
  if (in.account) {
    const auto& a = *in.account;
    Id account = data.Object(FastData::kRoot, "account");
    data.Set(account, "id", a.id);
    data.Set(account, "name", a.name);
    data.Set(account, "domain", a.domains.empty() ? std::string() : a.domains.front());
    data.Set(account, "industry", a.industry);
    data.Set(account, "employees", a.employees ? std::to_string(*a.employees) : std::string());
    data.Set(account, "country", a.country);
    data.Set(account, "timezone", a.timezone);
    data.Set(account, "stage", OptionalName(a.stage));
    data.Set(account, "tier", OptionalName(a.tier));
    data.Set(account, "buying_step", OptionalName(a.buying_step));
    data.Set(account, "purchase_type", OptionalName(a.purchase_type));
    Id account_attr = data.Object(account, "attr");
    for (const auto& [k, v] : a.attrs) data.Set(account_attr, k, v);
  }
  Id campaign = data.Object(FastData::kRoot, "campaign");
  data.Set(campaign, "id", in.campaign.id);
  data.Set(campaign, "name", in.campaign.name);
  Id sender = data.Object(FastData::kRoot, "sender");
  if (in.sender) {
    data.Set(sender, "company", in.sender->company);
    data.Set(sender, "address", in.sender->address);
    data.Set(sender, "website", in.sender->website);
  }
  data.Set(FastData::kRoot, "unsubscribe_url", in.unsubscribe_url);
  data.Set(FastData::kRoot, "preferences_url", in.preferences_url);
  data.Set(FastData::kRoot, "view_online_url", in.view_online_url);
}

// The values of one message, for whichever engine renders it.
struct Values {
  bool fast = false;
  FastData* fast_data = nullptr;
  mustache::data slow_data;

  std::string Render(const Part& part) {
    if (fast) return part.fast->Render(*fast_data);
    return part.slow->render(slow_data);
  }
  void SetTopLevel(const std::string& key, const std::string& value) {
    if (fast)
      fast_data->Set(FastData::kRoot, key, value);
    else
      slow_data.set(key, value);
  }
  void SetStrings(const std::map<std::string, std::string>& strings) {
    if (fast) {
      FastData::Id t = fast_data->Object(FastData::kRoot, "t");
      for (const auto& [k, v] : strings) fast_data->Set(t, k, v);
      return;
    }
    mustache::data t{mustache::data::type::object};
    for (const auto& [k, v] : strings) t.set(k, v);
    slow_data.set("t", t);
  }
};

// The text part's "[n] url" reference lines, marked as the first HTML link with the
// same URL, so the rewriter sees text links too.
std::string MarkTextReferences(const std::string& text, const std::vector<LinkInfo>& links) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string line = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? text.size() : eol + 1;
    std::size_t close = line.find("] ");
    if (!line.empty() && line[0] == '[' && close != std::string::npos) {
      std::string url = line.substr(close + 2);
      for (const auto& link : links)
        if (link.href == url) {
          line = line.substr(0, close + 2) + MarkLink(link.index, url);
          break;
        }
    }
    out += line;
    if (eol != std::string::npos) out += '\n';
  }
  return out;
}

// A generated heading's underline was measured on the template ("What is new for
// {{account.name}}"); measure it again on the rendered heading.
std::string MatchUnderlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t previous_width = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    bool rule = line.size() >= 3 && (line.find_first_not_of('=') == std::string_view::npos ||
                                     line.find_first_not_of('-') == std::string_view::npos);
    if (rule && previous_width > 0) {
      out.append(std::min<std::size_t>(previous_width, 76), line[0]);
    } else {
      out.append(line);
    }
    previous_width = rule ? 0 : base::Utf8Length(line);
    if (eol < text.size()) out += '\n';
    pos = eol + 1;
  }
  return out;
}

}  // namespace

namespace {

// A contact's language as the keys it selects, worked out once per message: the exact
// tag, then the primary language, then the default ("").
struct LanguageChoice {
  std::string tag, primary;
  explicit LanguageChoice(const std::string& language)
      : tag(base::AsciiLower(language)), primary(tag.substr(0, tag.find_first_of("-_"))) {}

  // The entry of `texts` this language selects; end() when none.
  template <typename Map>
  typename Map::const_iterator Pick(const Map& texts) const {
    if (auto it = texts.find(tag); it != texts.end() && !tag.empty()) return it;
    if (auto it = texts.find(primary); it != texts.end() && !primary.empty()) return it;
    return texts.find("");
  }
};

}  // namespace

const std::string* SelectLanguage(const Localized& texts, const std::string& language) {
  auto it = LanguageChoice(language).Pick(texts);
  return it == texts.end() ? nullptr : &it->second;
}

struct MessageTemplate::Impl {
  Compiled html, text;
  std::map<std::string, Compiled> subjects, preheaders;            // language -> template
  std::map<std::string, std::map<std::string, Compiled>> strings;  // key -> language -> ...
  std::string compiled_html, compiled_text;
  std::vector<LinkInfo> links;
  std::optional<ComposedSource> composed;
  bool generated_text = false;
  bool all_fast = false;  // every part compiled by FastTemplate: render without kainjow
  FastData fast_data;     // reused from message to message

  // Renders the entry of `parts` the language selects; "" when none.
  static std::string RenderLocalized(const std::map<std::string, Compiled>& parts,
                                     const LanguageChoice& language, Values& data) {
    auto it = language.Pick(parts);
    return it == parts.end() ? "" : data.Render(*it->second);
  }
};

MessageTemplate::MessageTemplate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MessageTemplate::~MessageTemplate() = default;
const std::string& MessageTemplate::compiled_html() const { return impl_->compiled_html; }
const std::string& MessageTemplate::compiled_text() const { return impl_->compiled_text; }
const std::vector<LinkInfo>& MessageTemplate::links() const { return impl_->links; }
const std::string& MessageTemplate::composed_html() const { return impl_->composed->text(); }
std::pair<std::string, base::SourcePosition> MessageTemplate::Locate(std::size_t offset) const {
  auto where = impl_->composed->Locate(offset);
  return {where.file, where.position};
}
std::pair<std::string, base::SourcePosition> MessageTemplate::LocateComposed(int line,
                                                                             int column) const {
  auto where = impl_->composed->LocateLine(line, column);
  return {where.file, where.position};
}

std::unique_ptr<MessageTemplate> MessageTemplate::Compile(const TemplateSource& source,
                                                          base::Diagnostics& diagnostics) {
  auto impl = std::make_unique<Impl>();
  std::size_t errors_before = diagnostics.items().size();
  auto failed = [&] {
    for (std::size_t i = errors_before; i < diagnostics.items().size(); ++i)
      if (diagnostics.items()[i].severity == base::Severity::kError) return true;
    return false;
  };

  // Every authored file must be UTF-8 before anything parses it.
  std::map<std::string, ComposedSource::File> partials;
  for (const auto& [name, text] : source.partials) {
    auto file = source.partial_files.count(name) ? source.partial_files.at(name)
                                                 : "partials/" + name + ".mustache";
    if (!base::IsValidUtf8(text)) diagnostics.Error(file, {1, 1}, "encoding", "not valid UTF-8");
    partials[name] = {file, text};
  }
  if (!base::IsValidUtf8(source.html))
    diagnostics.Error(source.html_file, {1, 1}, "encoding", "the template is not valid UTF-8");
  if (source.layout && !base::IsValidUtf8(*source.layout))
    diagnostics.Error(source.layout_file, {1, 1}, "encoding", "the layout is not valid UTF-8");
  if (source.text && !base::IsValidUtf8(*source.text))
    diagnostics.Error(source.text_file, {1, 1}, "encoding", "the text part is not valid UTF-8");
  if (failed()) return nullptr;

  // The HTML: layout + body + partials, checked as Mustache where the author wrote it.
  ComposedSource::File body{source.html_file, source.html};
  std::optional<ComposedSource::File> layout;
  if (source.layout) layout = ComposedSource::File{source.layout_file, *source.layout};
  ComposedSource html =
      ComposedSource::Compose(body, layout ? &*layout : nullptr, partials, diagnostics);
  if (failed()) return nullptr;
  auto locate = [&html](std::size_t offset) { return html.Locate(offset); };
  // Gmail clips a message beyond ~102 KB; a template a hundred times that size is a
  // mistake, and libxml2 would truncate its text nodes (10 MB) silently.
  if (html.text().size() > kMaxTemplateBytes) {
    diagnostics.Error(source.html_file, {1, 1}, "too-large",
                      "the template is " + std::to_string(html.text().size() / 1024) +
                          " KB with its layout and partials; at most " +
                          std::to_string(kMaxTemplateBytes / 1024) +
                          " KB (Gmail clips messages beyond 102 KB)");
    return nullptr;
  }
  // The legacy transform hides {{ }} tags from the HTML parser; other delimiters would
  // reach it as text and be mangled.
  for (std::size_t at = html.text().find("{{="); at != std::string::npos;
       at = html.text().find("{{=", at + 3)) {
    SourceLocation where = html.Locate(at);
    diagnostics.Error(where.file, where.position, "mustache",
                      "set-delimiter tags ({{=...=}}) are not supported; templates use {{ }}");
  }
  if (failed()) return nullptr;
  if (!CompileMustache(html.text(), locate, diagnostics, true)) return nullptr;

  // The legacy transform, once, on the HTML with its Mustache tags hidden.
  MustacheShield shield;
  std::string hidden = shield.Hide(html.text());
  bool has_preheader =
      !source.preheaders.empty() && html.text().find("{{preheader}}") == std::string::npos;
  TransformedHtml transformed =
      LegacyTransform(hidden, shield, {source.html_file, has_preheader}, diagnostics);
  if (failed()) return nullptr;
  std::string restored = shield.Restore(transformed.html);
  for (std::size_t i = 0; i < transformed.links.size(); ++i) {
    const auto& c = transformed.links[i];
    SourceLocation where = html.LocateLine(c.line);
    impl->links.push_back({i, c.href, c.text, where.file, where.position});
  }
  // Text first (links as written), then the HTML with its links marked.
  std::string plain_html = restored;
  // A link appears more than once when it is a button (the VML copy for Outlook).
  auto replace_all = [](std::string& text, const std::string& token, const std::string& by) {
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + by.size()))
      text.replace(at, token.size(), by);
  };
  for (std::size_t i = 0; i < transformed.links.size(); ++i) {
    std::string href = EscapeAttribute(transformed.links[i].href);
    replace_all(plain_html, LinkToken(i), href);
    replace_all(restored, LinkToken(i), MarkLink(i, href));
  }
  impl->compiled_html = plain_html;
  impl->html = CompileMustache(restored, locate, diagnostics, true);

  // The text part: the author's, or generated from the transformed HTML.
  if (source.text) {
    ComposedSource text =
        ComposedSource::Compose({source.text_file, *source.text}, nullptr, partials, diagnostics);
    if (failed()) return nullptr;
    impl->compiled_text = text.text();
    impl->text = CompileMustache(
        text.text(), [&text](std::size_t o) { return text.Locate(o); }, diagnostics, false);
  } else {
    impl->generated_text = true;
    TextOptions options;
    options.width = 0;  // wrapped per recipient, after the values are in
    std::string generated = HtmlToText(plain_html, options);
    if (generated.find("{{unsubscribe_url}}") == std::string::npos)
      generated += "\n--\nUnsubscribe: {{unsubscribe_url}}\n";
    impl->compiled_text = MarkTextReferences(generated, impl->links);
    impl->text = CompileMustache(
        impl->compiled_text,
        [&](std::size_t) {
          return SourceLocation{source.html_file, {}};
        },
        diagnostics, false);
  }

  const std::string config = source.config_file.empty() ? source.id : source.config_file;
  for (const auto& [lang, text] : source.subjects)
    impl->subjects[lang] = CompileSnippet(text, config, "subject '" + lang + "'", diagnostics);
  for (const auto& [lang, text] : source.preheaders)
    impl->preheaders[lang] = CompileSnippet(text, config, "preheader '" + lang + "'", diagnostics);
  for (const auto& [key, texts] : source.strings)
    for (const auto& [lang, text] : texts)
      impl->strings[key][lang] = CompileSnippet(text, config, "string '" + key + "'", diagnostics);
  if (impl->subjects.empty())
    diagnostics.Error(config, {}, "subject", "template '" + source.id + "' has no subject");
  if (failed()) return nullptr;
  impl->all_fast = impl->html->fast && impl->text->fast;
  for (auto* parts : {&impl->subjects, &impl->preheaders})
    for (const auto& [_, part] : *parts) impl->all_fast = impl->all_fast && part->fast;
  for (const auto& [_, parts] : impl->strings)
    for (const auto& [__, part] : parts) impl->all_fast = impl->all_fast && part->fast;
  impl->composed.emplace(std::move(html));
  return std::unique_ptr<MessageTemplate>(new MessageTemplate(std::move(impl)));
}

RenderedMessage MessageTemplate::Render(const RenderInput& input) {
  Values data;
  data.fast = impl_->all_fast;
  if (data.fast) {
    data.fast_data = &impl_->fast_data;
    BuildFastData(input, impl_->fast_data);
  } else {
    data.slow_data = BuildData(input);
  }
  const LanguageChoice language(input.contact.language);
  // Strings and the preheader first: the body shows them.
  std::map<std::string, std::string> strings;
  for (auto& [key, parts] : impl_->strings)
    strings[key] = Impl::RenderLocalized(parts, language, data);
  data.SetStrings(strings);
  data.SetTopLevel("preheader", Impl::RenderLocalized(impl_->preheaders, language, data));

  RenderedMessage out;
  if (auto chosen = language.Pick(impl_->subjects); chosen != impl_->subjects.end())
    out.language = chosen->first;
  out.subject = Impl::RenderLocalized(impl_->subjects, language, data);
  // Header values are one line.
  for (char& ch : out.subject)
    if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
  out.html = data.Render(*impl_->html);
  RewriteMarkedLinks(out.html, true, impl_->links, input.rewrite_links);
  out.text = data.Render(*impl_->text);
  RewriteMarkedLinks(out.text, false, impl_->links, input.rewrite_links);
  if (impl_->generated_text) out.text = MatchUnderlines(out.text);
  out.text = WrapText(out.text, 76);
  // Every message says how to stop receiving them, whatever the template forgot.
  if (!input.unsubscribe_url.empty() && out.text.find(input.unsubscribe_url) == std::string::npos)
    out.text += "\n--\nUnsubscribe: " + input.unsubscribe_url + "\n";
  return out;
}

}  // namespace b2bmail::render
