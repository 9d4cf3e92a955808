// Reply classification (deliverability.md §4 and §5; RFC 3463 for the enhanced codes,
// RFC 7372 for the authentication ones, RFC 7505 for null MX, RFC 7504 for 521/556).
// Order matters: provider-specific codes and words first, then the enhanced code's
// subject and detail, then words in the text, then the bare reply code. Suppression
// follows only from kBadMailbox and kBadDomain, so a doubtful reply falls to a category
// that does not suppress.
#include "b2bmail/smtp/reply_classifier.h"

#include <array>
#include <charconv>
#include <string>

#include "b2bmail/base/strings.h"
#include "reply_phrases_i18n.h"

namespace b2bmail::smtp {
namespace {

using Category = FailureCategory;

bool HasAny(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (text.find(w) != std::string_view::npos) return true;
  return false;
}

struct Enhanced {
  int klass = 0, subject = -1, detail = -1;
};

Enhanced ParseEnhanced(std::string_view code) {
  Enhanced e;
  auto first = code.find('.');
  auto second = first == std::string_view::npos ? first : code.find('.', first + 1);
  if (second == std::string_view::npos) return e;
  auto number = [](std::string_view s, int& out) {
    return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
  };
  Enhanced parsed;
  if (number(code.substr(0, first), parsed.klass) &&
      number(code.substr(first + 1, second - first - 1), parsed.subject) &&
      number(code.substr(second + 1), parsed.detail))
    return parsed;
  return e;
}

// Words in the text, strongest first: a full mailbox before "exceeded" reads as a rate,
// a refused sender before anything about the recipient, an unknown domain before the
// "does not exist" of an unknown user, an unknown recipient before "denied" reads as
// policy.
Category FromText(std::string_view t) {
  if (HasAny(t, {"mailbox full", "mailbox is full", "over quota", "quota exceeded",
                 "exceeded storage", "insufficient storage", "mailbox size limit",
                 "exceeds mailbox", "storage allocation", "mailbox exceeds", "mailfolder is full"}))
    return Category::kMailboxFull;
  // Our own envelope sender refused ("Sender address rejected: Domain not found"): the
  // recipient is not at fault, whatever else the text says.
  if (HasAny(t, {"sender address", "sender domain", "envelope sender", "mail from"}))
    return Category::kPolicyOrSpamBlock;
  if (HasAny(t, {"host unknown", "host not found", "domain not found", "domain name not found",
                 "nxdomain", "doesn't receive email", "host name lookup failure",
                 "domain is not reachable", "no mx found", "no mx record", "dns lookup failure",
                 "no such domain", "domain does not exist", "unrouteable domain", "unknown domain",
                 "null mx", "does not accept mail"}))
    return Category::kBadDomain;
  if (HasAny(t, {"user unknown",
                 "unknown user",
                 "no such user",
                 "user not found",
                 "recipient not found",
                 "recipientnotfound",
                 "unknown recipient",
                 "recipient unknown",
                 "invalid recipient",
                 "no such recipient",
                 "does not exist",
                 "no mailbox",
                 "mailbox unavailable",
                 "mailbox not found",
                 "not a valid mailbox",
                 "not a registered user",
                 "not a registered gateway user",
                 "mailbox disabled",
                 "disabled recipient",
                 "account disabled",
                 "account has been disabled",
                 "account is disabled",
                 "unrouteable address",
                 "user doesn't exist",
                 "user doesn't have"}))
    return Category::kBadMailbox;
  // Said to be spam in so many words: a block, whatever else the text mentions (content,
  // authentication advice).
  if (HasAny(t, {"spam", "unsolicited", " ube ", " ube,", "(ube)"}))
    return Category::kPolicyOrSpamBlock;
  if (HasAny(t, {"starttls", "tls required", "requires tls", "encryption required", "must use tls",
                 "tls is required"}))
    return Category::kTlsFailure;
  if (HasAny(t, {"authentication required", "auth required", "authentication is required",
                 "not authenticated", "unauthenticated", "spf", "dkim", "dmarc", "reverse dns",
                 "rdns", "ptr record"}))
    return Category::kAuthenticationRequired;
  if (HasAny(t, {"rate limit", "ratelimit", "rate-limit", "too many", "try again later",
                 "at a rate that", "temporarily deferred", "unusual rate", "server busy", "throttl",
                 "slow down", "too fast", "unexpected volume", "deferred due to", "relay quota"}))
    return Category::kRateLimited;
  if (HasAny(t, {"message too big", "message size", "too large", "size limit", "too big",
                 "exceeds the maximum", "maximum message size", "message length exceeds"}))
    return Category::kMessageTooBig;
  if (HasAny(t, {"virus", "malware", "malformed", "content rejected", "message content",
                 "attachment", "content filter", "content policy", "rfc 5322", "rfc5322",
                 "rfc 2822", "not compliant", "multiple addresses in from"}))
    return Category::kContentRejected;
  // A queue that gave up retrying, with no more specific reason given.
  if (HasAny(t,
             {"retry timeout exceeded", "retry time", "time expired", "message expired",
              "lifetime expired", "expired after", "could not be delivered within",
              "too long in queue", "delayed for too long", "giving up", "failing for a long time"}))
    return Category::kExpired;
  if (HasAny(t, {"spam", "blocked", "blacklist", "blocklist", "block list", "reputation", "policy",
                 "relaying", "relay access denied", "not authorized", "not permitted", "denied",
                 "listed in", "listed on", "listed at", "is listed", "junk", "not accepted",
                 "refused"}))
    return Category::kPolicyOrSpamBlock;
  return Category::kUnclassified;
}

// Codes and words that belong to one provider (deliverability.md §4's table; Sisimai's
// labelled Microsoft replies, §5).
Category FromProvider(const Enhanced& e, std::string_view t) {
  // Yahoo "[TS01]".."[TSS04]", Outlook.com "RP-001".."RP-003": deferrals for volume.
  if (HasAny(t, {"[ts0", "[tss0", "rp-001", "rp-002", "rp-003"})) return Category::kRateLimited;
  // GoDaddy's hourly limit and Facebook's refusals come with 5.1.1 (IB607, RCP-P2).
  if (HasAny(t, {"sent to too many recipients"})) return Category::kRateLimited;
  if (HasAny(t, {"recipient preferences"})) return Category::kPolicyOrSpamBlock;
  // Outlook.com policy blocks.
  if (HasAny(t, {"sc-001", "sc-002", "sc-003", "sc-004", "ou-001", "ou-002", "dy-001", "dy-002"}))
    return Category::kPolicyOrSpamBlock;
  // Microsoft reuses 5.4.1 (Directory-Based Edge Blocking) and 5.1.10 for an unknown
  // recipient; RFC 7505 gives 5.1.10 to a null MX.
  if (e.klass == 5 && e.subject == 4 && e.detail == 1 &&
      HasAny(t, {"recipient address rejected", "access denied", "recipient not found"}))
    return Category::kBadMailbox;
  if (e.subject == 1 && e.detail == 10)
    return HasAny(t, {"null mx"}) ? Category::kBadDomain : Category::kBadMailbox;
  // Microsoft 365 "AS" codes: 4.7.500-699 are "server busy" graylisting and IP
  // reputation throttles; 5.7.509/515 authentication, 5.7.606/708 blocks.
  if (e.subject == 7 && e.detail >= 500 && e.detail <= 799) {
    if (e.klass == 4) return Category::kRateLimited;
    if (e.detail == 509 || e.detail == 515) return Category::kAuthenticationRequired;
    return Category::kPolicyOrSpamBlock;
  }
  return Category::kUnclassified;
}

Category FromEnhanced(const Enhanced& e, std::string_view t) {
  const bool temporary = e.klass == 4;
  switch (e.subject) {
    case 1:  // addressing
      switch (e.detail) {
        case 1:
        case 3:
        case 6:
          return Category::kBadMailbox;
        case 2:
          return Category::kBadDomain;
        case 7:
        case 8:
          return Category::kPolicyOrSpamBlock;  // our sender address refused
        default: {
          // An addressing status ("5.1.0 Address rejected") with no more specific words
          // is about the recipient's address.
          Category c = FromText(t);
          if (c == Category::kUnclassified && HasAny(t, {"address rejected"}))
            return Category::kBadMailbox;
          return c;
        }
      }
    case 2:  // mailbox
      switch (e.detail) {
        case 1: {
          // Gmail says 4.2.1 and 5.2.1 for a recipient receiving too fast, and 5.2.1 for a
          // disabled account: the words tell which.
          if (FromText(t) == Category::kRateLimited) return Category::kRateLimited;
          return temporary ? Category::kRateLimited : Category::kBadMailbox;
        }
        case 2:
          return Category::kMailboxFull;
        case 3:
          return Category::kMessageTooBig;  // too big for the mailbox
        default:
          return FromText(t);
      }
    case 3:  // mail system
      if (e.detail == 4) return Category::kMessageTooBig;
      return FromText(t);
    case 4:  // network and routing
      switch (e.detail) {
        case 4:
          return temporary ? Category::kNetwork : Category::kBadDomain;
        case 7: {
          // Delivery time expired: a bounce after days of retrying. The text may still
          // name the reason the queue kept failing ("host not found").
          Category c = FromText(t);
          return c == Category::kUnclassified ? Category::kExpired : c;
        }
        case 5:
          return Category::kRateLimited;  // congestion
        case 1:
        case 2:
        case 6:
          return Category::kNetwork;
        default: {
          Category c = FromText(t);
          return c == Category::kUnclassified ? Category::kNetwork : c;
        }
      }
    case 5: {                                            // protocol
      if (e.detail == 3) return Category::kRateLimited;  // too many recipients
      // "5.5.0" is what some MTAs put on any refusal ("550 Requested action not
      // taken: mailbox unavailable"): the words may say more.
      Category c = e.detail == 0 ? FromText(t) : Category::kUnclassified;
      return c == Category::kUnclassified ? Category::kProtocol : c;
    }
    case 6:  // content: "552 5.6.0 Headers too large" is about size
      return FromText(t) == Category::kMessageTooBig ? Category::kMessageTooBig
                                                     : Category::kContentRejected;
    case 7: {  // security and policy
      switch (e.detail) {
        case 13:  // RFC 7372 "user account disabled": to RCPT, the recipient's
          return FromText(t) == Category::kBadMailbox ? Category::kBadMailbox
                                                      : Category::kAuthenticationRequired;
        case 8:
        case 9:
        case 11:
        case 12:
        case 14:
        case 30:
        case 32:
        case 40:
          return Category::kAuthenticationRequired;
        case 10:
        case 29:
          return Category::kTlsFailure;
        case 28:
          return temporary ? Category::kRateLimited : Category::kPolicyOrSpamBlock;
        default:
          break;
      }
      if (e.detail >= 20 && e.detail <= 27) return Category::kAuthenticationRequired;
      Category c = FromText(t);
      if (c != Category::kUnclassified && c != Category::kMailboxFull) return c;
      return temporary ? Category::kRateLimited : Category::kPolicyOrSpamBlock;
    }
    default:
      return FromText(t);
  }
}

Category FromCode(int code) {
  switch (code) {
    case 421:
      return Category::kRateLimited;  // closing the channel: come back slower
    case 500:
    case 501:
    case 502:
    case 503:
    case 504:
    case 555:
      return Category::kProtocol;
    case 530:
    case 535:
    case 538:
      return Category::kAuthenticationRequired;
    case 551:
    case 553:
      return Category::kBadMailbox;
    case 552:
      return Category::kMailboxFull;  // "exceeded storage allocation"
    case 521:
    case 556:
      return Category::kBadDomain;  // RFC 7504: the domain takes no mail
    default:
      return Category::kUnclassified;
  }
}

}  // namespace

std::string_view FailureCategoryName(FailureCategory category) {
  switch (category) {
    case Category::kNone:
      return "";
    case Category::kBadMailbox:
      return "bad-mailbox";
    case Category::kBadDomain:
      return "bad-domain";
    case Category::kMailboxFull:
      return "mailbox-full";
    case Category::kPolicyOrSpamBlock:
      return "policy-or-spam-block";
    case Category::kRateLimited:
      return "rate-limited";
    case Category::kAuthenticationRequired:
      return "authentication";
    case Category::kMessageTooBig:
      return "message-too-big";
    case Category::kContentRejected:
      return "content-rejected";
    case Category::kExpired:
      return "expired";
    case Category::kTlsFailure:
      return "tls-failure";
    case Category::kNetwork:
      return "network";
    case Category::kProtocol:
      return "protocol";
    case Category::kUnclassified:
      return "other";
  }
  return "other";
}

ReplyClass ClassifyReply(int code, std::string_view enhanced, std::string_view text) {
  if (code >= 200 && code < 300) return {DeliveryStatus::kDelivered, Category::kNone};
  if (code < 400 || code > 599) return {DeliveryStatus::kTemporary, Category::kProtocol};
  // Lower case, runs of blanks and line breaks as one space: folded and padded replies
  // ("This account has been    disabled") read like any other.
  std::string lower;
  lower.reserve(text.size());
  for (char ch : base::AsciiLower(text)) {
    bool blank = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    if (blank && (lower.empty() || lower.back() == ' ')) continue;
    lower += blank ? ' ' : ch;
  }
  const Enhanced e = ParseEnhanced(enhanced);
  Category category = FromProvider(e, lower);
  if (category == Category::kUnclassified && e.klass != 0) category = FromEnhanced(e, lower);
  if (category == Category::kUnclassified) category = FromText(lower);
  if (category == Category::kUnclassified) category = FromI18nText(text);  // other languages
  if (category == Category::kUnclassified) category = FromCode(code);
  // 535 answers AUTH (RFC 4954 §6): whatever its words ("user account disabled"), it
  // is about our credentials, not a recipient.
  if (code == 535) category = Category::kAuthenticationRequired;
  DeliveryStatus status = code >= 500 ? DeliveryStatus::kPermanent : DeliveryStatus::kTemporary;
  if (category == Category::kMailboxFull) status = DeliveryStatus::kTemporary;
  // 530/535/538 answer *our* session (RFC 4954 §6: authentication or TLS required,
  // credentials wrong): a relay set up wrongly must not fail a whole campaign for
  // good. The messages wait until b2bmail.toml is fixed; DMARC and SPF refusals
  // (550 5.7.2x) stay permanent.
  if (code == 530 || code == 535 || code == 538) status = DeliveryStatus::kTemporary;
  return {status, category};
}

bool SuppressesAddress(const DeliveryOutcome& outcome) {
  return outcome.status == DeliveryStatus::kPermanent &&
         (outcome.category == Category::kBadMailbox || outcome.category == Category::kBadDomain);
}

}  // namespace b2bmail::smtp
