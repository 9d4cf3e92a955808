#include "lint_url.h"

#include <vector>

#include "b2bmail/base/strings.h"

namespace b2bmail::render::lint {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHostChar(char c) { return IsAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// The name inside the Mustache tag at the start of `value` ("unsubscribe_url" for
// "{{ unsubscribe_url }}", "{{{unsubscribe_url}}}" or "{{&unsubscribe_url}}").
std::string LeadingTagName(std::string_view value) {
  if (value.substr(0, 2) != "{{") return "";
  bool triple = value.substr(0, 3) == "{{{";
  std::size_t start = triple ? 3 : 2;
  std::size_t end = value.find(triple ? "}}}" : "}}", start);
  if (end == std::string_view::npos) return "";
  std::string_view name = base::Trim(value.substr(start, end - start));
  if (!name.empty() && name[0] == '&') name = base::Trim(name.substr(1));
  return std::string(name);
}

// "https://user@Host:443/x" -> "host"; empty when the host is templated or missing.
std::string HostOf(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  start += 3;
  std::size_t end = start;
  while (end < url.size() && url[end] != '/' && url[end] != '?' && url[end] != '#') ++end;
  std::string_view authority = url.substr(start, end - start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (auto colon = authority.find(':'); colon != std::string_view::npos)
    authority = authority.substr(0, colon);
  for (char c : authority)
    if (!IsHostChar(c)) return "";
  return base::AsciiLower(authority);
}

// A dotted host whose last label is alphabetic, e.g. "acme.com" (not "v1.2").
bool LooksLikeHost(std::string_view host) {
  std::size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || host.size() - dot - 1 < 2) return false;
  for (char c : host)
    if (!IsHostChar(c)) return false;
  for (char c : host.substr(dot + 1))
    if (!IsAlpha(c)) return false;
  return host.find("..") == std::string_view::npos;
}

// Bare "acme.com" link texts count only with a common TLD, so "Node.js" is no host.
bool CommonTld(std::string_view host) {
  static constexpr const char* kTlds[] = {"com", "net",  "org", "io",  "de", "co", "uk", "fr",
                                          "eu",  "ch",   "at",  "nl",  "be", "es", "it", "us",
                                          "biz", "info", "app", "dev", "ai", "se", "dk", "pl"};
  std::string_view tld = host.substr(host.rfind('.') + 1);
  for (const char* t : kTlds)
    if (base::EqualsIgnoreCase(tld, t)) return true;
  return false;
}

std::string RegistrableDomain(std::string_view host) {
  std::vector<std::string_view> labels = base::Split(host, '.');
  if (labels.size() <= 2) return std::string(host);
  std::size_t keep = 2;
  std::string_view second = labels[labels.size() - 2];
  // co.uk, com.au and the like register one level deeper.
  if (labels.back().size() == 2 && (second == "co" || second == "com" || second == "org" ||
                                    second == "net" || second == "ac" || second == "gov"))
    keep = 3;
  std::string out;
  for (std::size_t i = labels.size() - keep; i < labels.size(); ++i) {
    if (!out.empty()) out += '.';
    out += labels[i];
  }
  return out;
}

}  // namespace

UrlInfo ClassifyUrl(std::string_view value) {
  UrlInfo info;
  std::string_view v = base::Trim(value);
  std::string name = LeadingTagName(v);
  if (name == "unsubscribe_url" || name == "preferences_url" || name == "view_online_url") {
    info.kind = UrlKind::kKnownGood;
    info.unsubscribe = name == "unsubscribe_url";
    return info;
  }
  // Judge only what precedes the first tag: "http://{{host}}/x" is still http, but
  // "{{base}}/x" could be anything.
  std::string_view literal = v.substr(0, v.find("{{"));
  bool templated = literal.size() < v.size();
  std::string lower = base::AsciiLower(literal);
  if (lower.compare(0, 8, "https://") == 0) {
    info.kind = UrlKind::kHttps;
  } else if (lower.compare(0, 7, "http://") == 0) {
    info.kind = UrlKind::kHttp;
  } else if (lower.compare(0, 7, "mailto:") == 0 || lower.compare(0, 4, "tel:") == 0 ||
             lower.compare(0, 4, "sms:") == 0) {
    info.kind = UrlKind::kMailto;
  } else if (lower.compare(0, 5, "data:") == 0) {
    info.kind = UrlKind::kData;
  } else if (lower.compare(0, 4, "cid:") == 0) {
    info.kind = UrlKind::kCid;
  } else if (lower.compare(0, 11, "javascript:") == 0) {
    info.kind = UrlKind::kJavascript;
  } else if (lower.compare(0, 2, "//") == 0) {
    info.kind = UrlKind::kProtocolRelative;
  } else if (!lower.empty() && lower[0] == '#') {
    info.kind = lower == "#" && !templated ? UrlKind::kEmpty : UrlKind::kFragment;
  } else if (lower.empty()) {
    info.kind = templated ? UrlKind::kTemplated : UrlKind::kEmpty;
  } else {
    std::size_t colon = lower.find(':');
    bool scheme = colon != std::string::npos && colon > 0 && IsAlpha(lower[0]) &&
                  lower.find_first_of("/?#") > colon;
    if (scheme)
      info.kind = UrlKind::kOtherScheme;
    else if (lower[0] == '/' || lower[0] == '.' || lower[0] == '?' || !templated)
      info.kind = UrlKind::kRelative;
    else
      info.kind = UrlKind::kTemplated;  // "www.{{domain}}" and the like
  }
  if (info.kind == UrlKind::kHttps || info.kind == UrlKind::kHttp) {
    std::string_view host_part = literal;
    std::size_t after_scheme = host_part.find("://") + 3;
    // The host is known only when it is complete before any tag.
    if (host_part.find_first_of("/?#", after_scheme) != std::string_view::npos || !templated)
      info.host = HostOf(host_part);
  }
  return info;
}

std::string StripSectionTags(std::string_view text) {
  std::string out;
  std::size_t p = 0;
  while (p < text.size()) {
    std::size_t open = text.find("{{", p);
    if (open == std::string_view::npos || open + 2 >= text.size()) break;
    char sigil = text[open + 2];
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(p, open - p));
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!')
      p = close + 2;
    else {
      out.append(text.substr(open, close + 2 - open));
      p = close + 2;
    }
  }
  out.append(text.substr(std::min(p, text.size())));
  return out;
}

std::optional<std::string> HostShownIn(std::string_view text) {
  std::string_view trimmed = base::Trim(text);
  std::vector<std::string_view> tokens;
  std::size_t p = 0;
  while (p < trimmed.size()) {
    std::size_t end = trimmed.find_first_of(" \t\r\n", p);
    if (end == std::string_view::npos) end = trimmed.size();
    if (end > p) tokens.push_back(trimmed.substr(p, end - p));
    p = end + 1;
  }
  for (std::string_view token : tokens) {
    while (!token.empty() && (token.front() == '(' || token.front() == '<')) token.remove_prefix(1);
    while (!token.empty() &&
           std::string_view(".,;:!?)>").find(token.back()) != std::string_view::npos)
      token.remove_suffix(1);
    if (token.find("{{") != std::string_view::npos || token.find('@') != std::string_view::npos)
      continue;
    std::string lower = base::AsciiLower(token);
    std::string host;
    if (lower.compare(0, 7, "http://") == 0 || lower.compare(0, 8, "https://") == 0) {
      host = HostOf(lower);
    } else if (lower.compare(0, 4, "www.") == 0 || tokens.size() == 1) {
      host = lower.substr(0, lower.find_first_of("/?#:"));
      if (lower.compare(0, 4, "www.") != 0 && !CommonTld(host)) host.clear();
    }
    if (LooksLikeHost(host)) return host;
  }
  return std::nullopt;
}

bool SameSite(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view h) { return h.substr(0, 4) == "www." ? h.substr(4) : h; };
  a = strip(a);
  b = strip(b);
  return a == b || RegistrableDomain(a) == RegistrableDomain(b);
}

}  // namespace b2bmail::render::lint
