#pragma once
// A tolerant MIME parser for mail we receive (DSNs, ARF reports, replies): RFC 5322
// (message format), RFC 2045/2046 (MIME entities, multipart, message/rfc822), RFC 2047
// (encoded words), RFC 2231 (parameter values), RFC 3464 §2.1 (delivery-status fields),
// RFC 6532 (UTF-8 headers, message/global).
//
// Like Python's email package, it never rejects a message: what is malformed is read as
// well as it can be and recorded as a defect on the part where it was found. It never
// throws for bad input, uses no recursion, and its time and memory are bounded by
// ParseOptions and linear in the input for a fixed nesting depth.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/mime/content_type.h"
#include "b2bmail/mime/transfer_decoding.h"

namespace b2bmail::mime {

struct ParseOptions {
  // Parts nested deeper than this (the message itself is depth 0) are not created: a
  // multipart or message/rfc822 part at this depth keeps its body unparsed.
  int max_depth = 32;
  // Parts per message, the message itself included; parts beyond it stay unparsed in
  // their parent's body.
  std::size_t max_parts = 10000;
  // Header fields per message over all parts (and per ParseHeaderBlocks call); further
  // fields are skipped.
  std::size_t max_header_fields = 100000;
};

// One header field. Views point into the ParsedMessage (or the text given to
// ParseHeaderBlocks) and live as long as it.
struct MimeHeader {
  std::string_view name;       // as written, without the colon and trailing whitespace
  std::string_view raw_value;  // after the colon, folding kept, final line end excluded
  std::string value;           // unfolded, trimmed, RFC 2047 words decoded; UTF-8
};

// One MIME entity: the message itself, a part of a multipart, or a message nested in a
// message/rfc822 or message/global part. Immutable once parsed; owned by its
// ParsedMessage, whose lifetime bounds every reference and view obtained from it.
// Thread-safe for concurrent readers.
class MimePart {
 public:
  const std::vector<MimeHeader>& headers() const { return headers_; }
  // The first field called `name` (case-insensitive), or nullptr.
  const MimeHeader* FindHeader(std::string_view name) const;
  // The decoded value of the first field called `name`, or empty when there is none.
  std::string_view HeaderValue(std::string_view name) const;

  // From Content-Type; text/plain; charset=us-ascii when absent or unreadable (RFC 2045
  // §5.2), message/rfc822 inside multipart/digest (RFC 2046 §5.1.5).
  const ContentType& content_type() const { return content_type_; }
  // From Content-Disposition; type empty when absent.
  const ContentDisposition& content_disposition() const { return content_disposition_; }
  // The disposition's filename, else the content type's name (both UTF-8); may be empty.
  std::string_view FileName() const;
  TransferEncoding transfer_encoding() const { return transfer_encoding_; }

  // The body as written (after the empty line that ends the header).
  std::string_view raw_body() const { return raw_body_; }
  // The body with its Content-Transfer-Encoding undone (QP, base64); the raw body for
  // 7bit/8bit/binary and for multiparts (which may not be encoded, RFC 2045 §6.4).
  std::string_view decoded_body() const { return decoded_body_; }
  // For text/* parts: the decoded body converted from its charset to UTF-8, line ends
  // (CRLF, LF, a lone CR) as "\n", a leading byte order mark dropped. Also for a
  // multipart whose body could not be split (no boundary, none of its delimiter lines
  // found, or too deep), so that its words can still be read. Empty otherwise.
  const std::string& text() const { return text_; }

  // The parts of a multipart, in order; or the one message of a message/rfc822 or
  // message/global part. Empty for other parts and where limits stopped parsing.
  const std::vector<const MimePart*>& children() const { return children_; }
  // What was malformed and how it was read, in the order found; empty for clean input.
  const std::vector<std::string>& defects() const { return defects_; }
  // 0 for the message itself, parent's depth + 1 otherwise.
  int depth() const { return depth_; }

  // This part and all below it, depth-first in document order.
  std::vector<const MimePart*> Walk() const;
  // The first part in Walk() order whose type is `mime_type` ("message/delivery-status",
  // any case), or nullptr.
  const MimePart* FindFirst(std::string_view mime_type) const;
  // The text a person would read: the first text/plain part's text (or that of a
  // multipart that could not be split), else the first text/html part's text with tags
  // stripped roughly, else empty.
  std::string BestText() const;

 private:
  friend class MimeParser;  // engine/mime/mime_parser.cc fills parts in

  std::vector<MimeHeader> headers_;
  ContentType content_type_;
  ContentDisposition content_disposition_;
  TransferEncoding transfer_encoding_ = TransferEncoding::k7bit;
  std::string_view raw_body_;
  std::string_view decoded_body_;
  std::string text_;
  std::vector<const MimePart*> children_;
  std::vector<std::string> defects_;
  int depth_ = 0;
};

// A parsed message: owns a copy of the input and every part. Move-only; moving keeps
// all references and views obtained from it valid (a moved-from message may only be
// destroyed or assigned to). Thread-safe for concurrent readers.
class ParsedMessage {
 public:
  ParsedMessage(ParsedMessage&&) noexcept;
  ParsedMessage& operator=(ParsedMessage&&) noexcept;
  ~ParsedMessage();

  const MimePart& root() const { return *root_; }
  // The number of parts, the message itself included.
  std::size_t part_count() const;

  // Shorthands for root().HeaderValue/FindFirst/BestText.
  std::string_view HeaderValue(std::string_view name) const { return root_->HeaderValue(name); }
  const MimePart* FindFirst(std::string_view mime_type) const {
    return root_->FindFirst(mime_type);
  }
  std::string BestText() const { return root_->BestText(); }

 private:
  friend class MimeParser;
  struct Storage;
  explicit ParsedMessage(std::unique_ptr<Storage> storage);

  std::unique_ptr<Storage> storage_;
  const MimePart* root_ = nullptr;
};

// Parses a whole message (CRLF or bare LF line ends; a leading mbox "From " line is
// skipped). Never fails and never throws for any input (only std::bad_alloc).
// Thread-safe.
ParsedMessage ParseMessage(std::string_view message, const ParseOptions& options = {});

// The groups of header-like fields in a message/delivery-status (RFC 3464 §2.1: the
// per-message fields, then one group per recipient) or message/feedback-report body
// (RFC 5965 §3), separated by empty lines (also lines of only whitespace). Fields are
// read as in a header: folded lines are joined, a line without a name that follows a
// field is joined to it (Diagnostic-Code often loses its indentation), and a leading
// line without a name becomes a field with an empty name. Empty groups are dropped.
// The views point into `body`, which must outlive the result. Thread-safe.
std::vector<std::vector<MimeHeader>> ParseHeaderBlocks(std::string_view body,
                                                       const ParseOptions& options = {});

}  // namespace b2bmail::mime
