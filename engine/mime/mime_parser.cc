// RFC 5322 §2.1 (message = header, empty line, body); RFC 2045 §5.2 (default
// Content-Type), §6.4 (encodings of composite types); RFC 2046 §5.1 (multipart, §5.1.5
// digest defaults), §5.2.1 (message/rfc822); RFC 6532 §3.5 (message/global, which may be
// encoded); RFC 3464 §2.1 and RFC 5965 §3 (field groups of DSNs and ARF reports).
#include "b2bmail/mime/mime_parser.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/charset_conversion.h"
#include "mime_parser_headers.h"
#include "mime_parser_html.h"
#include "mime_parser_multipart.h"

namespace b2bmail::mime {

struct ParsedMessage::Storage {
  // [0] is the input; then decoded bodies (QP/base64) that nested messages and leaves
  // point into. A deque never moves its elements, so views into them stay valid.
  std::deque<std::string> buffers;
  // Parts point to their children; the deque keeps their addresses stable, and destroys
  // them one by one, so deep trees cannot exhaust the stack.
  std::deque<MimePart> parts;
};

class MimeParser {
 public:
  MimeParser(std::string_view message, const ParseOptions& options)
      : options_(options),
        storage_(std::make_unique<ParsedMessage::Storage>()),
        fields_left_(options.max_header_fields),
        // Decoded bodies and converted text may take a few times the input (a Latin-1 or
        // invalid byte becomes two or three UTF-8 bytes), never more: what is over this
        // is left undecoded, so encoded messages nested in encoded messages cannot
        // multiply the input by the nesting depth.
        bytes_left_(8 * message.size() + (std::size_t{1} << 20)) {
    storage_->buffers.emplace_back(message);
  }

  ParsedMessage Run() {
    MimePart* root = NewPart(0);
    jobs_.push_back({root, storage_->buffers.front(), HeaderContext::kMessage, false});
    // An explicit stack instead of recursion: nesting depth never reaches the C++ stack.
    while (!jobs_.empty()) {
      Job job = jobs_.back();
      jobs_.pop_back();
      ParsePart(job);
    }
    return ParsedMessage(std::move(storage_));
  }

 private:
  struct Job {
    MimePart* part;
    std::string_view text;  // header and body
    HeaderContext context;
    bool in_digest;  // the parent is multipart/digest
  };

  MimePart* NewPart(int depth) {
    MimePart& part = storage_->parts.emplace_back();
    part.depth_ = depth;
    return &part;
  }

  bool CanAddPart() const { return storage_->parts.size() < options_.max_parts; }

  void ParsePart(const Job& job) {
    MimePart& part = *job.part;
    HeaderRead header = ReadHeader(job.text, job.context, fields_left_);
    fields_left_ -= header.fields.size();
    part.headers_ = std::move(header.fields);
    part.defects_ = std::move(header.defects);
    part.raw_body_ = header.body;
    ReadContentFields(part, job.in_digest);

    const ContentType& type = part.content_type_;
    if (type.type == "multipart") {
      ParseMultipart(part);
    } else if (type.Is("message/rfc822") || type.Is("message/global")) {
      ParseNestedMessage(part);
    } else {
      DecodeBody(part);
      if (type.type == "text") FillText(part, part.decoded_body_, type.Charset());
    }
  }

  void ReadContentFields(MimePart& part, bool in_digest) {
    if (const MimeHeader* ct = part.FindHeader("Content-Type")) {
      ParsedContentType parsed = ParseContentType(UnfoldLenient(ct->raw_value));
      part.content_type_ = std::move(parsed.value);
      for (auto& d : parsed.defects) part.defects_.push_back("Content-Type: " + d);
    } else if (in_digest) {
      part.content_type_.type = "message";
      part.content_type_.subtype = "rfc822";
    } else {
      part.content_type_.parameters.push_back({"charset", "us-ascii"});
    }
    if (const MimeHeader* cd = part.FindHeader("Content-Disposition")) {
      ParsedContentDisposition parsed = ParseContentDisposition(UnfoldLenient(cd->raw_value));
      part.content_disposition_ = std::move(parsed.value);
      for (auto& d : parsed.defects) part.defects_.push_back("Content-Disposition: " + d);
    }
    if (const MimeHeader* cte = part.FindHeader("Content-Transfer-Encoding")) {
      std::string value = UnfoldLenient(cte->raw_value);
      part.transfer_encoding_ = ParseTransferEncoding(value);
      if (part.transfer_encoding_ == TransferEncoding::kUnknown)
        part.defects_.push_back("unknown Content-Transfer-Encoding, body kept as it is: " +
                                value.substr(0, 40));
    }
  }

  void ParseMultipart(MimePart& part) {
    part.decoded_body_ = part.raw_body_;
    if (!IsIdentity(part.transfer_encoding_))
      part.defects_.push_back(
          "multipart with Content-Transfer-Encoding " +
          std::string(ToString(part.transfer_encoding_)) +
          ": the encoding is ignored (RFC 2045 §6.4 allows only 7bit, 8bit, binary)");
    std::string_view boundary = part.content_type_.Parameter("boundary");
    // Trailing spaces are not allowed in a boundary (RFC 2046 §5.1.1 bcharsnospace) and
    // delimiter lines may carry padding anyway, so they cannot matter.
    while (!boundary.empty() && (boundary.back() == ' ' || boundary.back() == '\t'))
      boundary.remove_suffix(1);
    if (boundary.empty()) {
      part.defects_.push_back("multipart without a boundary: body left unsplit");
      FillText(part, part.decoded_body_, "us-ascii");
      return;
    }
    if (part.depth_ >= options_.max_depth) {
      part.defects_.push_back("nested deeper than " + std::to_string(options_.max_depth) +
                              " levels: body left unparsed");
      FillText(part, part.decoded_body_, "us-ascii");
      return;
    }
    std::size_t capacity =
        options_.max_parts - std::min(options_.max_parts, storage_->parts.size());
    MultipartSplit split = SplitMultipart(part.raw_body_, boundary, capacity);
    if (!split.found_delimiter) {
      part.defects_.push_back("multipart: no delimiter line for its boundary: body left unsplit");
      FillText(part, part.decoded_body_, "us-ascii");
      return;
    }
    if (split.truncated) {
      part.defects_.push_back("more than " + std::to_string(options_.max_parts) +
                              " parts in the message: the rest are left unparsed");
    } else if (!split.closed) {
      part.defects_.push_back("multipart: close delimiter missing");
    }
    if (split.parts.empty()) {
      if (!split.truncated) part.defects_.push_back("multipart without parts");
      FillText(part, part.decoded_body_, "us-ascii");
      return;
    }
    bool digest = part.content_type_.subtype == "digest";
    std::vector<MimePart*> children;
    for (std::size_t i = 0; i < split.parts.size(); ++i) {
      children.push_back(NewPart(part.depth_ + 1));
      part.children_.push_back(children.back());
    }
    // Reverse order on the stack, so children are parsed in document order.
    for (std::size_t i = children.size(); i-- > 0;)
      jobs_.push_back({children[i], split.parts[i], HeaderContext::kPart, digest});
  }

  void ParseNestedMessage(MimePart& part) {
    if (!IsIdentity(part.transfer_encoding_) && part.content_type_.subtype == "rfc822")
      part.defects_.push_back("message/rfc822 with Content-Transfer-Encoding " +
                              std::string(ToString(part.transfer_encoding_)) +
                              " (RFC 2046 §5.2.1 allows only 7bit, 8bit, binary): decoded");
    DecodeBody(part);
    if (part.depth_ >= options_.max_depth) {
      part.defects_.push_back("nested deeper than " + std::to_string(options_.max_depth) +
                              " levels: body left unparsed");
      return;
    }
    if (!CanAddPart()) {
      part.defects_.push_back("more than " + std::to_string(options_.max_parts) +
                              " parts in the message: the rest are left unparsed");
      return;
    }
    MimePart* child = NewPart(part.depth_ + 1);
    part.children_.push_back(child);
    jobs_.push_back({child, part.decoded_body_, HeaderContext::kMessage, false});
  }

  void DecodeBody(MimePart& part) {
    part.decoded_body_ = part.raw_body_;
    if (IsIdentity(part.transfer_encoding_)) return;
    if (part.raw_body_.size() > bytes_left_) {
      part.defects_.push_back("memory limit reached: body left encoded");
      return;
    }
    DecodedBytes decoded = DecodeTransferEncoding(part.raw_body_, part.transfer_encoding_);
    for (auto& d : decoded.defects) part.defects_.push_back(std::move(d));
    bytes_left_ -= decoded.bytes.size();
    part.decoded_body_ = storage_->buffers.emplace_back(std::move(decoded.bytes));
  }

  void FillText(MimePart& part, std::string_view bytes, std::string_view charset) {
    // Three output bytes per input byte is the most any conversion produces (U+FFFD for
    // an invalid byte).
    if (bytes.size() > bytes_left_ / 3) {
      part.defects_.push_back("memory limit reached: text not converted");
      return;
    }
    ConvertedText converted = ConvertToUtf8(bytes, charset);
    if (!converted.known_charset)
      part.defects_.push_back("unknown charset, read as UTF-8: " +
                              std::string(charset.substr(0, 40)));
    if (converted.replaced_bytes > 0)
      part.defects_.push_back(std::to_string(converted.replaced_bytes) +
                              " bytes invalid in their charset replaced with U+FFFD");
    std::string_view text = converted.text;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte order mark
    std::string& out = part.text_;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\r') {
        out += text[i];
      } else if (i + 1 == text.size() || text[i + 1] != '\n') {
        out += '\n';  // a lone CR is a line end too (RFC 5322 §2.3 forbids it; it happens)
      }
    }
    bytes_left_ -= std::min(bytes_left_, out.size());
  }

  ParseOptions options_;
  std::unique_ptr<ParsedMessage::Storage> storage_;
  std::vector<Job> jobs_;
  std::size_t fields_left_;
  std::size_t bytes_left_;
};

ParsedMessage::ParsedMessage(std::unique_ptr<Storage> storage)
    : storage_(std::move(storage)), root_(&storage_->parts.front()) {}

ParsedMessage::ParsedMessage(ParsedMessage&& other) noexcept
    : storage_(std::move(other.storage_)), root_(std::exchange(other.root_, nullptr)) {}

ParsedMessage& ParsedMessage::operator=(ParsedMessage&& other) noexcept {
  storage_ = std::move(other.storage_);
  root_ = std::exchange(other.root_, nullptr);
  return *this;
}

ParsedMessage::~ParsedMessage() = default;

std::size_t ParsedMessage::part_count() const { return storage_->parts.size(); }

const MimeHeader* MimePart::FindHeader(std::string_view name) const {
  for (const auto& h : headers_)
    if (base::EqualsIgnoreCase(h.name, name)) return &h;
  return nullptr;
}

std::string_view MimePart::HeaderValue(std::string_view name) const {
  const MimeHeader* h = FindHeader(name);
  return h == nullptr ? std::string_view() : std::string_view(h->value);
}

std::string_view MimePart::FileName() const {
  std::string_view name = content_disposition_.Parameter("filename");
  return name.empty() ? content_type_.Parameter("name") : name;
}

std::vector<const MimePart*> MimePart::Walk() const {
  std::vector<const MimePart*> out;
  std::vector<const MimePart*> stack{this};
  while (!stack.empty()) {
    const MimePart* p = stack.back();
    stack.pop_back();
    out.push_back(p);
    for (auto it = p->children_.rbegin(); it != p->children_.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

const MimePart* MimePart::FindFirst(std::string_view mime_type) const {
  for (const MimePart* p : Walk())
    if (p->content_type_.Is(mime_type)) return p;
  return nullptr;
}

std::string MimePart::BestText() const {
  std::vector<const MimePart*> parts = Walk();
  for (const MimePart* p : parts) {
    if (p->content_type_.Is("text/plain")) return p->text_;
    if (p->content_type_.type == "multipart" && p->children_.empty() && !p->text_.empty())
      return p->text_;
  }
  for (const MimePart* p : parts)
    if (p->content_type_.Is("text/html")) return HtmlToText(p->text_);
  return {};
}

ParsedMessage ParseMessage(std::string_view message, const ParseOptions& options) {
  return MimeParser(message, options).Run();
}

std::vector<std::vector<MimeHeader>> ParseHeaderBlocks(std::string_view body,
                                                       const ParseOptions& options) {
  std::vector<std::vector<MimeHeader>> blocks;
  std::size_t fields_left = options.max_header_fields;
  std::string_view rest = body;
  while (!rest.empty() && fields_left > 0) {
    HeaderRead read = ReadHeader(rest, HeaderContext::kBlock, fields_left);
    fields_left -= read.fields.size();
    if (!read.fields.empty()) blocks.push_back(std::move(read.fields));
    // Each round consumes at least one line; the check guards the loop all the same.
    if (read.body.size() >= rest.size()) break;
    rest = read.body;
  }
  return blocks;
}

}  // namespace b2bmail::mime
