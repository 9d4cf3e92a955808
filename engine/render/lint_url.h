#pragma once
// URL and link-text helpers for the linter. Values are Mustache templates: a URL that
// starts with a tag cannot be judged, except the pipeline's own absolute https links
// {{unsubscribe_url}}, {{preferences_url}} and {{view_online_url}}.

#include <optional>
#include <string>
#include <string_view>

namespace b2bmail::render::lint {

enum class UrlKind {
  kHttps,
  kKnownGood,  // {{unsubscribe_url}} and friends
  kTemplated,  // starts with a Mustache tag: unknown
  kHttp,
  kMailto,  // also tel:, sms:
  kData,
  kCid,
  kJavascript,
  kEmpty,     // "" or "#"
  kFragment,  // "#section"
  kProtocolRelative,
  kRelative,
  kOtherScheme,
};

struct UrlInfo {
  UrlKind kind = UrlKind::kEmpty;
  std::string host;          // lowercase host of an http(s) URL when it is literal; else empty
  bool unsubscribe = false;  // the value is {{unsubscribe_url}}
};

UrlInfo ClassifyUrl(std::string_view value);

// The text without Mustache section/comment tags ({{#x}}, {{/x}}, {{^x}}, {{!x}}), which
// render to nothing; variables are kept.
std::string StripSectionTags(std::string_view text);

// The host a link text shows when it looks like a URL or host ("www.acme.com",
// "https://acme.com/x", "acme.com"), lowercase; nullopt otherwise.
std::optional<std::string> HostShownIn(std::string_view text);

// Both hosts belong to the same site (equal after "www.", or one registrable domain).
bool SameSite(std::string_view a, std::string_view b);

}  // namespace b2bmail::render::lint
