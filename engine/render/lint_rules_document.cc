// Whole-document rules: L21 (Outlook namespaces and the 96 DPI settings block), L22
// (balanced MSO conditional comments), L23 (Gmail clipping) and L28 (text part).

#include "lint_rules.h"

namespace b2bmail::render::lint {
namespace {

using base::Severity;

// Gmail clips an HTML part beyond about 102 KB (hteumeuleu/email-bugs #41) and hides the
// rest behind "[Message clipped]" - with the unsubscribe link usually in that rest.
constexpr std::size_t kGmailClip = 102 * 1024;
constexpr std::size_t kGmailClipWarning = 90 * 1024;

const Element* FindElement(const LintDocument& doc, const char* name) {
  for (const auto& e : doc.elements())
    if (e.name == name) return &e;
  return nullptr;
}

void CheckOutlookHead(const LintDocument& doc, LintReport& report) {
  const Element* html = FindElement(doc, "html");
  if (!html) return;  // nothing parsed
  bool vml = false, office = false;
  if (html->tag != kNone) {
    for (const auto& a : doc.source().Attributes(doc.source().tags()[html->tag])) {
      vml = vml || a.name == "xmlns:v";
      office = office || a.name == "xmlns:o";
    }
  }
  base::SourcePosition at = html->tag != kNone ? doc.PositionOf(*html) : base::SourcePosition{1, 1};
  if (!vml || !office)
    report.Add("L21", Severity::kWarning, client::kOutlook, at,
               "declare xmlns:v=\"urn:schemas-microsoft-com:vml\" and "
               "xmlns:o=\"urn:schemas-microsoft-com:office:office\" on <html> for Outlook");
  if (!doc.source().has_pixels_per_inch()) {
    const Element* head = FindElement(doc, "head");
    if (head && head->tag != kNone) at = doc.PositionOf(*head);
    report.Add("L21", Severity::kWarning, client::kOutlook, at,
               "add <!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/>"
               "<o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml>"
               "<![endif]--> to <head>: Outlook at 120 DPI scales images otherwise");
  }
}

}  // namespace

void CheckDocument(const LintDocument& doc, const LintOptions& options, LintReport& report) {
  CheckOutlookHead(doc, report);
  for (const auto& issue : doc.source().conditional_issues())
    report.Add("L22", Severity::kError, client::kAll, doc.source().PositionOf(issue.offset),
               issue.message);
  std::size_t kb = (options.rendered_size + 1023) / 1024;
  if (options.rendered_size > kGmailClip)
    report.Add("L23", Severity::kError, client::kGmail, {},
               "the rendered HTML is " + std::to_string(kb) +
                   " KB; Gmail clips beyond ~102 KB and hides the rest, unsubscribe link "
                   "included: trim markup and inline CSS");
  else if (options.rendered_size > kGmailClipWarning)
    report.Add("L23", Severity::kWarning, client::kGmail, {},
               "the rendered HTML is " + std::to_string(kb) +
                   " KB, close to Gmail's ~102 KB clipping limit: personalised data can push "
                   "it over");
  if (options.has_text_template)
    report.Add("L28", Severity::kNote, client::kAll, {},
               "text.mustache is written by hand: keep its links and {{unsubscribe_url}} in "
               "step with the HTML, or delete it to generate the text part");
}

}  // namespace b2bmail::render::lint
