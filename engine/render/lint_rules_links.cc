// Image sources and links: L6 (absolute https images, no data:), L7 (background
// attribute), L20 (absolute https links) and L27 (link text showing another host).

#include "b2bmail/base/strings.h"
#include "lint_rules.h"
#include "lint_url.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

void CheckImageSource(const LintDocument& doc, LintReport& report, const Element& e) {
  auto src = doc.Attribute(e, "src");
  auto at = src ? doc.PositionOf(e, "src") : doc.PositionOf(e);
  UrlInfo url = ClassifyUrl(src.value_or(""));
  switch (url.kind) {
    case UrlKind::kHttps:
    case UrlKind::kKnownGood:
    case UrlKind::kTemplated:
      return;
    case UrlKind::kHttp:
      report.Add("L6", Severity::kWarning, client::kAll, e, at,
                 "load images over https://: http images trigger mixed-content warnings and "
                 "gateway rewrites");
      return;
    case UrlKind::kData:
      report.Add("L6", Severity::kError, "outlook-word,gmail", e, at,
                 "Gmail and Outlook 2007-2016 do not show data: images: host the image at an "
                 "https:// URL");
      return;
    case UrlKind::kCid:
      report.Add("L6", Severity::kWarning, client::kAll, e, at,
                 "cid: images need a multipart/related attachment b2bmail does not send: host "
                 "the image at an https:// URL");
      return;
    default:
      report.Add("L6", Severity::kError, client::kAll, e, at,
                 src && !base::Trim(*src).empty()
                     ? "image src must be an absolute https:// URL (Notes shows a red X, other "
                       "clients nothing)"
                     : "the image has no src: give it an absolute https:// URL");
  }
}

void CheckBackgroundAttribute(const LintDocument& doc, LintReport& report, const Element& e) {
  auto background = doc.Attribute(e, "background");
  if (!background || base::Trim(*background).empty()) return;
  bool fallback = doc.Attribute(e, "bgcolor").has_value() ||
                  FindDeclaration(e.style, "background-color") != nullptr;
  report.Add("L7", fallback ? Severity::kWarning : Severity::kError,
             "outlook-word,lotus-notes,gmail", e, doc.PositionOf(e, "background"),
             fallback ? "Outlook and Notes ignore the background attribute: add VML inside "
                        "<!--[if gte mso 9]> if the image carries content"
                      : "Outlook and Notes ignore the background attribute: add a bgcolor "
                        "fallback (and VML for Outlook)");
}

void CheckLink(const LintDocument& doc, LintReport& report, const Element& e) {
  auto href = doc.Attribute(e, "href");
  if (!href) return;  // a named anchor, not a link
  auto at = doc.PositionOf(e, "href");
  UrlInfo url = ClassifyUrl(*href);
  switch (url.kind) {
    case UrlKind::kHttps:
    case UrlKind::kKnownGood:
    case UrlKind::kTemplated:
    case UrlKind::kMailto:
      break;
    case UrlKind::kHttp:
      report.Add("L20", Severity::kWarning, client::kAll, e, at,
                 "link over https://: http links are flagged by scanners and browsers");
      break;
    case UrlKind::kFragment:
      report.Add("L20", Severity::kWarning, "lotus-notes,gmail", e, at,
                 "#anchor links rarely work in mail clients (Notes, Gmail apps): link to a web "
                 "page");
      break;
    case UrlKind::kOtherScheme:
      report.Add("L20", Severity::kWarning, client::kAll, e, at,
                 "only https:, mailto: and tel: links work in every client");
      break;
    case UrlKind::kEmpty:
      report.Add("L20", Severity::kError, client::kAll, e, at,
                 "this link goes nowhere: give it an absolute https:// URL");
      break;
    default:
      report.Add("L20", Severity::kError, client::kAll, e, at,
                 "links must be absolute https:// URLs: relative, data:, cid: and javascript: "
                 "links break or get blocked");
  }
  if (url.host.empty()) return;
  // L27: the text promises one site and the link goes to another - the phishing pattern
  // Gmail and security gateways look for.
  if (auto shown = HostShownIn(doc.TextOf(e)); shown && !SameSite(*shown, url.host))
    report.Add("L27", Severity::kError, client::kAll, e, doc.PositionOf(e),
               "the link text shows " + *shown + " but the link goes to " + url.host +
                   ": make them match or use words as link text");
}

}  // namespace

void CheckLinks(const LintDocument& doc, LintReport& report) {
  for (const auto& e : doc.elements()) {
    if (!e.in_body) continue;
    if (e.name == "img") CheckImageSource(doc, report, e);
    if (e.name == "a") CheckLink(doc, report, e);
    CheckBackgroundAttribute(doc, report, e);
  }
}

}  // namespace b2bmail::render::lint
