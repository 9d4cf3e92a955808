#pragma once
// Builds complete RFC 5322 messages: headers, multipart/alternative (text first,
// HTML second, RFC 2046 §5.1.4), quoted-printable UTF-8 parts. Deterministic for a
// given Clock and Random, so tests compare bytes.

#include <string>
#include <utility>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"

namespace b2bmail::mime {

struct Mailbox {
  std::string address;
  std::string display_name;  // UTF-8, may be empty
};

struct MessageSpec {
  Mailbox from;
  Mailbox to;
  Mailbox reply_to;  // address empty: no Reply-To
  std::string subject;
  std::string text;  // UTF-8, any line ends
  std::string html;  // UTF-8; empty: a single text/plain part
  // Further header fields in order (e.g. List-Unsubscribe), values already encoded.
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

struct BuiltMessage {
  std::string data;        // CRLF line ends, ends with CRLF
  std::string message_id;  // without angle brackets
};

// Thread safety: one builder per thread (the Random is not thread-safe).
class MessageBuilder {
 public:
  // Borrows clock and random; they must outlive the builder.
  MessageBuilder(const base::Clock& clock, base::Random& random) : clock_(clock), random_(random) {}

  // REQUIRES: from.address and to.address are valid addresses (no CR/LF).
  BuiltMessage Build(const MessageSpec& spec);

 private:
  const base::Clock& clock_;
  base::Random& random_;
};

}  // namespace b2bmail::mime
