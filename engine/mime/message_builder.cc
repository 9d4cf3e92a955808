// RFC 5322 (message format), RFC 2045/2046 (MIME, multipart/alternative), RFC 2047.
#include "b2bmail/mime/message_builder.h"

#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/header_encoding.h"

namespace b2bmail::mime {
namespace {

std::string DomainOf(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

std::string Part(const std::string& content_type, const std::string& body) {
  return "Content-Type: " + content_type +
         "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
         EncodeQuotedPrintable(body);
}

}  // namespace

BuiltMessage MessageBuilder::Build(const MessageSpec& spec) {
  BuiltMessage out;
  out.message_id = base::RandomToken(random_, 24) + "@" + DomainOf(spec.from.address);
  std::string h;
  h += FoldHeader("Date", base::FormatRfc5322Date(clock_.Now()));
  h += FoldHeader("From", FormatMailbox(spec.from.display_name, spec.from.address));
  h += FoldHeader("To", FormatMailbox(spec.to.display_name, spec.to.address));
  if (!spec.reply_to.address.empty())
    h += FoldHeader("Reply-To", FormatMailbox(spec.reply_to.display_name, spec.reply_to.address));
  h += FoldHeader("Subject", EncodeUnstructured(spec.subject));
  h += FoldHeader("Message-ID", "<" + out.message_id + ">");
  for (const auto& [name, value] : spec.extra_headers) h += FoldHeader(name, value);
  h += "MIME-Version: 1.0\r\n";

  if (spec.html.empty()) {
    out.data = h + Part("text/plain", spec.text);
    return out;
  }
  // "=_" cannot occur in quoted-printable output, so the boundary never collides.
  std::string boundary = "=_b2b_" + base::RandomToken(random_, 24);
  h += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), so
  // each part's own last line break needs one more.
  std::string body = "\r\n--" + boundary + "\r\n" + Part("text/plain", spec.text) + "\r\n--" +
                     boundary + "\r\n" + Part("text/html", spec.html) + "\r\n--" + boundary +
                     "--\r\n";
  out.data = h + body;
  return out;
}

}  // namespace b2bmail::mime
