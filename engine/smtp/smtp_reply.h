#pragma once
// SMTP replies as the client reads them: RFC 5321 §4.2 (reply lines, §4.2.1 the
// meaning of the first digit) and RFC 3463 §2 enhanced status codes as carried by
// RFC 2034 ("250 2.1.5 Ok").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::smtp {

struct SmtpReply {
  int code = 0;                    // 200..599
  std::string enhanced;            // "5.1.1", or empty when the reply carries none
  std::vector<std::string> lines;  // each line as received, without CRLF

  // The lines joined by "\n".
  std::string Text() const;
  int Class() const { return code / 100; }
};

// Builds replies from lines as they arrive, for readers that cannot block (the event
// loop). Not thread-safe.
class ReplyAssembler {
 public:
  // Adds one line (without CRLF). Returns the reply when this line ends it. Throws
  // Error{kProtocol} for a malformed line (no 3-digit code, a first digit outside 2-5,
  // the code changing between lines, over-long lines, too many lines).
  std::optional<SmtpReply> AddLine(std::string_view line);
  // Drops a partly read reply (the session restarts after STARTTLS).
  void Reset() { reply_ = SmtpReply{}; }

 private:
  SmtpReply reply_;
};

// The RFC 3463 code at the start of `text` ("5.1.1 No such user" -> "5.1.1"), or empty
// when there is none or its class differs from the reply's first digit.
std::string ParseEnhancedCode(int reply_code, std::string_view text);

// The reply as an outcome: status and category from ClassifyReply (2yz delivered, 4yz
// temporary, 5yz permanent but for a full mailbox), with code, enhanced code and text.
DeliveryOutcome ToOutcome(const SmtpReply& reply);

}  // namespace b2bmail::smtp
