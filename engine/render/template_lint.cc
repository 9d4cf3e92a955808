#include "b2bmail/render/template_lint.h"

#include <algorithm>
#include <array>
#include <map>

#include "b2bmail/base/strings.h"
#include "linter.h"

namespace b2bmail::render {
namespace {

constexpr std::array<const char*, 10> kContactFields = {
    "email",     "first_name", "last_name", "title",   "role",
    "seniority", "department", "language",  "country", "timezone"};
constexpr std::array<const char*, 11> kAccountFields = {
    "id",       "name",  "domain", "industry",    "employees",    "country",
    "timezone", "stage", "tier",   "buying_step", "purchase_type"};
constexpr std::array<const char*, 9> kOther = {
    "campaign.id",     "campaign.name",   "sender.company",  "sender.address", "sender.website",
    "unsubscribe_url", "preferences_url", "view_online_url", "preheader"};

std::vector<std::string> KnownNames(const std::map<std::string, Localized>& strings) {
  std::vector<std::string> out;
  for (const char* f : kContactFields) out.push_back(std::string("contact.") + f);
  for (const char* f : kAccountFields) out.push_back(std::string("account.") + f);
  for (const char* f : kOther) out.push_back(f);
  for (const auto& [key, _] : strings) out.push_back("t." + key);
  return out;
}

bool Known(const std::string& name, const std::map<std::string, Localized>& strings) {
  if (name == "." || name == "contact" || name == "account" || name == "campaign" ||
      name == "sender" || name == "t" || name == "contact.attr" || name == "account.attr")
    return true;
  if (name.starts_with("contact.attr.") || name.starts_with("account.attr.")) return true;
  if (name.starts_with("t.")) return strings.count(name.substr(2)) > 0;
  return IsKnownVariable(name);
}

// Each {{tag}} of `text`: its kind character ('#', '^', '/', '&', '{', '!', or 0 for a
// plain variable), its name, and its byte offset.
struct Tag {
  char kind;
  std::string name;
  std::size_t offset;
};

std::vector<Tag> Tags(const std::string& text) {
  std::vector<Tag> out;
  for (std::size_t at = text.find("{{"); at != std::string::npos;) {
    bool triple = text.compare(at, 3, "{{{") == 0;
    std::size_t close = text.find(triple ? "}}}" : "}}", at);
    if (close == std::string::npos) break;
    std::string inner = text.substr(at + (triple ? 3 : 2), close - at - (triple ? 3 : 2));
    if (inner.starts_with("=")) break;  // changed delimiters: stop checking names
    char kind = triple ? '{' : 0;
    if (!triple && !inner.empty() &&
        std::string_view("#^/&!>").find(inner[0]) != std::string::npos) {
      kind = inner[0];
      inner = inner.substr(1);
    }
    out.push_back({kind, std::string(base::Trim(inner)), at});
    at = text.find("{{", close + (triple ? 3 : 2));
  }
  return out;
}

}  // namespace

bool IsKnownVariable(const std::string& name) {
  for (const char* f : kContactFields)
    if (name == std::string("contact.") + f) return true;
  for (const char* f : kAccountFields)
    if (name == std::string("account.") + f) return true;
  for (const char* f : kOther)
    if (name == f) return true;
  return false;
}

std::string TemplateFinding::Format() const {
  std::string where = file;
  if (position.line > 0) where += ":" + std::to_string(position.line);
  if (position.column > 0) where += ":" + std::to_string(position.column);
  std::string out = where + ": " + std::string(base::ToString(severity)) + "[" + rule + "]";
  if (!clients.empty()) out += " (" + clients + ")";
  return out + ": " + message;
}

bool TemplateLintReport::HasErrors() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const TemplateFinding& f) { return f.severity == base::Severity::kError; });
}

TemplateLintReport LintTemplate(const TemplateSource& source) {
  TemplateLintReport report;
  base::Diagnostics diags;
  auto tmpl = MessageTemplate::Compile(source, diags);
  for (const auto& d : diags.items())
    report.findings.push_back({d.code, d.severity, "", d.file, d.position, d.message});
  if (!tmpl) return report;

  // V1: names the data does not have render as empty text.
  const std::string& composed = tmpl->composed_html();
  auto known = KnownNames(source.strings);
  int unknown_sections = 0;  // inside a section over unknown data, names are relative
  for (const auto& tag : Tags(composed)) {
    if (tag.kind == '!' || tag.kind == '>') continue;
    if (tag.kind == '/') {
      if (unknown_sections > 0 && !Known(tag.name, source.strings)) --unknown_sections;
      continue;
    }
    bool ok = Known(tag.name, source.strings);
    if (unknown_sections > 0) {
      if ((tag.kind == '#' || tag.kind == '^') && !ok) ++unknown_sections;
      continue;
    }
    if (ok) continue;
    auto where = tmpl->Locate(tag.offset);
    std::string best = base::Nearest(tag.name, known);
    report.findings.push_back({"V1", base::Severity::kWarning, "all", where.first, where.second,
                               "'" + tag.name + "' is not in the template data and renders empty" +
                                   (best.empty() ? "" : "; did you mean " + best + "?")});
    if (tag.kind == '#' || tag.kind == '^') ++unknown_sections;
  }

  // A sample contact for the size check: long-ish values, an account with a name.
  model::Contact contact;
  contact.email = "alexandra.mustermann-schmidt@example-industries.com";
  contact.first_name = "Alexandra";
  contact.last_name = "Mustermann-Schmidt";
  contact.title = "Head of Strategic Procurement";
  contact.language = "en";
  model::Account account;
  account.id = "sample";
  account.name = "Example Industries Manufacturing GmbH & Co. KG";
  account.domains = {"example-industries.com"};
  model::Campaign campaign;
  campaign.id = "sample-campaign";
  campaign.name = "Sample campaign";
  Sender sender{"Example Sender GmbH", "Example Street 1, 12345 City, Country",
                "https://www.example.com"};
  std::string url = "https://t.example.com/u/" + std::string(26, 'x');
  auto rendered = tmpl->Render({contact, &account, campaign, url, &sender, url, url});
  report.rendered_size = rendered.html.size();

  // The rules: findings the compiled message still has, at their place in the source.
  LintOptions options;
  options.rendered_size = report.rendered_size;
  options.has_text_template = source.text.has_value();
  auto compiled = LintHtml(tmpl->compiled_html(), options);
  std::multimap<std::string, std::string> remaining;  // rule -> message, fixed ones absent
  for (const auto& f : compiled) remaining.emplace(f.rule, f.message);
  for (const auto& f : LintHtml(composed, options)) {
    auto range = remaining.equal_range(f.rule);
    auto match = std::find_if(range.first, range.second,
                              [&](const auto& entry) { return entry.second == f.message; });
    if (match == range.second) continue;  // the legacy transform fixes this one
    remaining.erase(match);
    TemplateFinding out{f.rule, f.severity, f.clients, source.html_file, {}, f.message};
    if (f.line > 0) {
      auto where = tmpl->LocateComposed(f.line, f.column);
      out.file = where.first;
      out.position = where.second;
    }
    report.findings.push_back(std::move(out));
  }
  // What only the compiled message has (the transform's own output, the sample's size).
  for (const auto& f : compiled) {
    auto range = remaining.equal_range(f.rule);
    auto match = std::find_if(range.first, range.second,
                              [&](const auto& entry) { return entry.second == f.message; });
    if (match == range.second) continue;
    remaining.erase(match);
    report.findings.push_back({f.rule, f.severity, f.clients, source.html_file, {}, f.message});
  }
  return report;
}

}  // namespace b2bmail::render
