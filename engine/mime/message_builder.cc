// RFC 5322 (message format), RFC 2045/2046 (MIME, multipart/alternative), RFC 2047,
// RFC 2387 (multipart/related), RFC 2183 + RFC 2231 (Content-Disposition filenames),
// RFC 6152 (8BITMIME), RFC 5891 (IDNA domains).
#include "b2bmail/mime/message_builder.h"

#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/address.h"
#include "b2bmail/mime/body_encoding.h"
#include "b2bmail/mime/header_encoding.h"

namespace b2bmail::mime {
namespace {

// A part as its header block (ending with the empty line) and a view of its body, so
// that bodies are copied once, into the message.
struct Piece {
  std::string head;
  std::string_view body;
};

Piece Part(std::string_view content_type, const EncodedBody& body) {
  Piece piece{{}, body.data};
  piece.head.reserve(80 + content_type.size());
  piece.head += "Content-Type: ";
  piece.head += content_type;
  piece.head += "; charset=UTF-8\r\nContent-Transfer-Encoding: ";
  piece.head += body.transfer_encoding;
  piece.head += "\r\n\r\n";
  return piece;
}

// A MIME parameter: a quoted string when the value is printable ASCII, else the RFC 2231
// form `name*=UTF-8''%XX...`, which MIME readers decode (RFC 2047 words are not allowed
// in parameters, RFC 2047 §5).
std::string Parameter(std::string_view name, std::string_view value) {
  bool plain = true;
  for (unsigned char c : value) plain = plain && c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  if (plain) return std::string(name) + "=\"" + std::string(value) + "\"";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = std::string(name) + "*=UTF-8''";
  for (unsigned char c : value) {
    bool attribute_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attribute_char) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string ImagePart(const InlineImage& image) {
  std::string type = image.content_type.empty() ? "application/octet-stream" : image.content_type;
  std::string disposition = "inline";
  if (!image.filename.empty()) {
    type += "; " + Parameter("name", image.filename);
    disposition += "; " + Parameter("filename", image.filename);
  }
  return FoldHeader("Content-Type", type) + "Content-Transfer-Encoding: base64\r\n" +
         FoldHeader("Content-ID", "<" + image.content_id + ">") +
         FoldHeader("Content-Disposition", disposition) + "\r\n" + EncodeBase64Lines(image.data);
}

// Appends the parts of a multipart body to `out`. The CRLF before each delimiter
// belongs to the delimiter (RFC 2046 §5.1.1), so each part's own last line break needs
// one more.
void AppendMultipart(std::string& out, const std::string& boundary,
                     const std::vector<Piece>& parts) {
  std::size_t size = out.size() + boundary.size() + 8;
  for (const auto& part : parts) size += part.head.size() + part.body.size() + boundary.size() + 6;
  out.reserve(size);
  for (const auto& part : parts) {
    out += "\r\n--";
    out += boundary;
    out += "\r\n";
    out += part.head;
    out += part.body;
  }
  out += "\r\n--";
  out += boundary;
  out += "--\r\n";
}

}  // namespace

std::string MessageBuilder::Boundary() {
  // "=_" cannot occur in quoted-printable or base64 output, so the boundary never
  // collides with encoded content; 8bit content would have to guess 24 random characters.
  return "=_b2b_" + base::RandomToken(random_, 24);
}

BuiltMessage MessageBuilder::Build(const MessageSpec& spec) {
  BuiltMessage out;
  std::string from = ToWireAddress(spec.from.address);
  std::string to = ToWireAddress(spec.to.address);
  out.needs_smtputf8 = NeedsSmtpUtf8(from) || NeedsSmtpUtf8(to);
  out.message_id = base::RandomToken(random_, 24) + "@" + std::string(DomainOf(from));
  std::string h;
  h.reserve(2048);  // a campaign message's header block, bulk-sender fields included
  AppendFoldedHeader(h, "Date", base::FormatRfc5322Date(clock_.Now()));
  AppendFoldedHeader(h, "From", FormatMailbox(spec.from.display_name, from));
  AppendFoldedHeader(h, "To", FormatMailbox(spec.to.display_name, to));
  if (!spec.reply_to.address.empty()) {
    std::string reply_to = ToWireAddress(spec.reply_to.address);
    out.needs_smtputf8 = out.needs_smtputf8 || NeedsSmtpUtf8(reply_to);
    AppendFoldedHeader(h, "Reply-To", FormatMailbox(spec.reply_to.display_name, reply_to));
  }
  AppendFoldedHeader(h, "Subject", EncodeUnstructured(spec.subject));
  AppendFoldedHeader(h, "Message-ID", "<" + out.message_id + ">");
  for (const auto& [name, value] : spec.extra_headers) AppendFoldedHeader(h, name, value);
  h += "MIME-Version: 1.0\r\n";

  auto text = EncodeTextBody(spec.text, spec.allow_8bit);
  out.eight_bit = text.eight_bit;
  if (spec.html.empty()) {
    auto part = Part("text/plain", text);
    out.data = std::move(h);
    out.data += part.head;
    out.data += part.body;
    return out;
  }
  auto html = EncodeTextBody(spec.html, spec.allow_8bit);
  out.eight_bit = out.eight_bit || html.eight_bit;
  Piece html_part = Part("text/html", html);
  if (!spec.inline_images.empty()) {
    std::string related = Boundary();
    std::vector<Piece> parts{html_part};
    for (const auto& image : spec.inline_images) parts.push_back({ImagePart(image), {}});
    std::string nested =
        "Content-Type: multipart/related; type=\"text/html\";\r\n boundary=\"" + related + "\"\r\n";
    AppendMultipart(nested, related, parts);
    html_part = {std::move(nested), {}};
  }
  std::string boundary = Boundary();
  h += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  out.data = std::move(h);
  AppendMultipart(out.data, boundary, {Part("text/plain", text), std::move(html_part)});
  // (the views in the pieces point into `text` and `html`, which live until here)
  return out;
}

}  // namespace b2bmail::mime
