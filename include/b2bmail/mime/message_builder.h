#pragma once
// Builds complete RFC 5322 messages: headers, multipart/alternative (text first,
// HTML second, RFC 2046 §5.1.4), multipart/related for images embedded by Content-ID
// (RFC 2387), UTF-8 parts in quoted-printable, base64 or 8bit. Deterministic for a given
// Clock and Random, so tests compare bytes.

#include <string>
#include <utility>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"

namespace b2bmail::mime {

struct Mailbox {
  std::string address;       // local@domain; the domain may be internationalised (UTF-8)
  std::string display_name;  // UTF-8, may be empty
};

// An image the HTML shows with <img src="cid:CONTENT_ID">.
struct InlineImage {
  std::string content_id;    // without angle brackets, e.g. "logo.png@lumetra.example"
  std::string content_type;  // e.g. "image/png"
  std::string filename;      // UTF-8, may be empty
  std::string data;          // the image bytes
};

struct MessageSpec {
  Mailbox from;
  Mailbox to;
  Mailbox reply_to;  // address empty: no Reply-To
  std::string subject;
  std::string text;  // UTF-8, any line ends
  std::string html;  // UTF-8; empty: a single text/plain part
  // Used only with `html`: the HTML and these images go into a multipart/related.
  std::vector<InlineImage> inline_images;
  // Further header fields in order (e.g. List-Unsubscribe), values already encoded.
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // The server that will relay the message offers 8BITMIME (RFC 6152): text parts whose
  // lines allow it (at most 998 octets, no NUL or bare CR) go as 8bit, unencoded.
  bool allow_8bit = false;
};

struct BuiltMessage {
  std::string data;             // CRLF line ends, ends with CRLF
  std::string message_id;       // without angle brackets
  bool eight_bit = false;       // a part is 8bit: send with MAIL FROM ... BODY=8BITMIME
  bool needs_smtputf8 = false;  // an address has a UTF-8 local part (RFC 6531/6532)
};

// Thread safety: one builder per thread (the Random is not thread-safe).
class MessageBuilder {
 public:
  // Borrows clock and random; they must outlive the builder.
  MessageBuilder(const base::Clock& clock, base::Random& random) : clock_(clock), random_(random) {}

  // Domains are written as IDNA A-labels (xn--...), local parts as they are. Each text
  // part is quoted-printable, or base64 when that is shorter (mostly CJK or Cyrillic
  // text, which QP triples), or 8bit under `allow_8bit`.
  // Throws Error{kUsage} for an address whose domain is not a valid (IDNA) domain name.
  // REQUIRES: addresses hold no CR/LF.
  BuiltMessage Build(const MessageSpec& spec);

 private:
  std::string Boundary();

  const base::Clock& clock_;
  base::Random& random_;
};

}  // namespace b2bmail::mime
