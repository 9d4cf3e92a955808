// Replies as real servers send them (deliverability.md §4's provider table and §5's
// labelled Microsoft replies), each with the outcome a sender must draw from it.
#include "b2bmail/smtp/reply_classifier.h"

#include <catch2/catch.hpp>

using namespace b2bmail::smtp;

namespace {

struct Case {
  int code;
  const char* enhanced;
  const char* text;
  DeliveryStatus status;
  FailureCategory category;
};

constexpr auto kTemp = DeliveryStatus::kTemporary;
constexpr auto kPerm = DeliveryStatus::kPermanent;
using C = FailureCategory;

const Case kCases[] = {
    // Plain RFC 5321 / RFC 3463 replies.
    {250, "2.0.0", "Ok: queued as 4F1", DeliveryStatus::kDelivered, C::kNone},
    {550, "5.1.1", "5.1.1 <anna@acme.example>: Recipient address rejected: User unknown", kPerm,
     C::kBadMailbox},
    {550, "", "No such user here", kPerm, C::kBadMailbox},
    {550, "5.1.2", "5.1.2 Host or domain name not found", kPerm, C::kBadDomain},
    {553, "", "Requested action not taken: mailbox name not allowed", kPerm, C::kBadMailbox},
    {550, "5.2.1", "5.2.1 The email account that you tried to reach is disabled", kPerm,
     C::kBadMailbox},
    {552, "5.2.2", "5.2.2 The email account that you tried to reach is over quota", kTemp,
     C::kMailboxFull},
    {452, "4.2.2", "4.2.2 The email account that you tried to reach is over quota", kTemp,
     C::kMailboxFull},
    {552, "5.3.4", "5.3.4 Message size exceeds fixed limit", kPerm, C::kMessageTooBig},
    {554, "5.6.0", "5.6.0 Message is malformed", kPerm, C::kContentRejected},
    {554, "", "Transaction failed: message content rejected", kPerm, C::kContentRejected},
    {552, "", "Message exceeds maximum message size", kPerm, C::kMessageTooBig},
    {552, "5.6.0", "552 5.6.0 Headers too large (3 max)", kPerm, C::kMessageTooBig},
    {550, "5.7.1", "Message content rejected, UBE, id=00000-22-225", kPerm, C::kPolicyOrSpamBlock},
    {550, "5.7.1", "This message is not RFC 5322 compliant. There are multiple Subject headers",
     kPerm, C::kContentRejected},
    // Padded and folded text reads as if written on one line.
    {554, "", "This account has been    disabled\n  or discontinued [#102]", kPerm, C::kBadMailbox},
    // "5.5.0" on any refusal: the words decide, else it stays a protocol failure.
    {550, "5.5.0", "Requested action not taken: mailbox unavailable", kPerm, C::kBadMailbox},
    {550, "5.5.0", "Command rejected", kPerm, C::kProtocol},
    {450, "4.0.0", "DNS type 'mx' lookup of example.comn responded with code NXDOMAIN", kTemp,
     C::kBadDomain},
    // Postfix's "Recipient address rejected:" says nothing by itself; what follows does.
    {550, "5.7.0", "550 5.7.0 <a@b.example>: Recipient address rejected: No relaying", kPerm,
     C::kPolicyOrSpamBlock},
    {550, "5.7.13",
     "525 5.7.13 <a@b.example>: Recipient address rejected: Disabled recipient "
     "address",
     kPerm, C::kBadMailbox},
    {535, "5.7.13", "5.7.13 User account disabled", kTemp, C::kAuthenticationRequired},
    {550, "5.1.0", "550 #5.1.0 Address rejected.", kPerm, C::kBadMailbox},
    // Gmail's 5.2.1 for a recipient receiving too fast is no bad mailbox.
    {550, "5.2.1",
     "The user you are trying to contact is receiving mail at a rate that prevents "
     "additional messages from being delivered",
     kPerm, C::kRateLimited},
    // GoDaddy's and Facebook's refusals under 5.1.1.
    {550, "5.1.1", "203.0.113.222 has sent to too many recipients this hour. IB607", kPerm,
     C::kRateLimited},
    {550, "5.1.1", "RCP-P2 Refused due to recipient preferences", kPerm, C::kPolicyOrSpamBlock},
    // Not Microsoft's 5.4.1 "recipient address rejected": a connection timeout.
    {451, "4.4.1", "The recipient server did not accept our requests to connect", kTemp,
     C::kNetwork},
    {554, "5.4.7", "5.4.7 Delivery time expired", kPerm, C::kExpired},
    {554, "5.4.7", "5.4.7 retry timeout exceeded: host not found", kPerm, C::kBadDomain},
    {421, "", "mx.acme.example Service not available, closing transmission channel", kTemp,
     C::kRateLimited},
    {450, "", "Requested mail action not taken: mailbox busy, greylisted", kTemp, C::kUnclassified},
    {451, "4.4.1", "4.4.1 No answer from host", kTemp, C::kNetwork},
    {550, "5.4.4", "5.4.4 Unable to route", kPerm, C::kBadDomain},
    {500, "5.5.2", "5.5.2 Syntax error, command unrecognized", kPerm, C::kProtocol},
    {503, "", "Bad sequence of commands", kPerm, C::kProtocol},
    {530, "5.7.0", "5.7.0 Authentication required", kTemp, C::kAuthenticationRequired},
    {530, "5.7.0", "5.7.0 Must issue a STARTTLS command first", kTemp, C::kTlsFailure},
    {556, "", "acme.example does not accept mail (null MX)", kPerm, C::kBadDomain},
    {550, "5.1.10", "5.1.10 Null MX: acme.example does not accept mail", kPerm, C::kBadDomain},
    // Our envelope sender refused: not the recipient's fault.
    {550, "5.1.8", "5.1.8 <bounces@lumetra.example>: Sender address rejected: Domain not found",
     kPerm, C::kPolicyOrSpamBlock},
    {553, "", "Sender address rejected: domain not found", kPerm, C::kPolicyOrSpamBlock},
    // Gmail.
    {421, "4.7.28", "4.7.28 Our system has detected an unusual rate of unsolicited mail", kTemp,
     C::kRateLimited},
    {550, "5.7.28", "5.7.28 Our system has detected an unusual rate of unsolicited mail", kPerm,
     C::kPolicyOrSpamBlock},
    {421, "4.7.0", "4.7.0 This message is suspicious due to the very low reputation of the IP",
     kTemp, C::kPolicyOrSpamBlock},
    {550, "5.7.26", "5.7.26 This mail is unauthenticated, which poses a security risk (DMARC)",
     kPerm, C::kAuthenticationRequired},
    {451, "4.7.24",
     "4.7.24 The SPF record of the sending domain has one or more suspicious entries", kTemp,
     C::kAuthenticationRequired},
    {421, "4.7.32",
     "4.7.32 Your email has been rate limited because the From: header isn't aligned", kTemp,
     C::kAuthenticationRequired},
    {421, "4.7.29",
     "4.7.29 Your email has been rate limited because this message wasn't sent over TLS", kTemp,
     C::kTlsFailure},
    {450, "4.2.1", "4.2.1 The user you are trying to contact is receiving mail too quickly", kTemp,
     C::kRateLimited},
    {452, "4.5.3", "4.5.3 Your message has too many recipients", kTemp, C::kRateLimited},
    {550, "5.7.1", "5.7.1 Email quota exceeded.", kPerm, C::kPolicyOrSpamBlock},
    // Yahoo.
    {421, "4.7.0",
     "4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user "
     "complaints",
     kTemp, C::kRateLimited},
    {554, "", "delivery error: dd This user doesn't have a yahoo.com account", kPerm,
     C::kBadMailbox},
    // Outlook.com and Microsoft 365.
    {421, "", "RP-001 (BAY004-IBE003) Unfortunately, some messages from 192.0.2.1 weren't sent",
     kTemp, C::kRateLimited},
    {550, "", "SC-001 (BAY004-MC1F43) Unfortunately, messages from 192.0.2.1 weren't sent", kPerm,
     C::kPolicyOrSpamBlock},
    {451, "4.7.500", "4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719)",
     kTemp, C::kRateLimited},
    {451, "4.7.650",
     "4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation",
     kTemp, C::kRateLimited},
    {550, "5.7.708",
     "5.7.708 Service unavailable. Access denied, traffic not accepted from this IP", kPerm,
     C::kPolicyOrSpamBlock},
    {550, "5.7.606", "5.7.606 Access denied, banned sending IP [192.0.2.1]", kPerm,
     C::kPolicyOrSpamBlock},
    {550, "5.7.509", "5.7.509 Access denied, sending domain lumetra.example does not pass DMARC",
     kPerm, C::kAuthenticationRequired},
    {550, "5.7.515",
     "5.7.515 Access denied, sending domain doesn't meet the required authentication level", kPerm,
     C::kAuthenticationRequired},
    {550, "5.4.1",
     "5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT0.eop-EUR03]",
     kPerm, C::kBadMailbox},
    {550, "5.1.10", "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address",
     kPerm, C::kBadMailbox},
    // Mimecast and Proofpoint.
    {451, "", "Internal resource temporarily unavailable", kTemp, C::kUnclassified},
    {554, "5.7.0", "5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", kPerm,
     C::kPolicyOrSpamBlock},
    {554, "5.7.1", "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus",
     kPerm, C::kPolicyOrSpamBlock},
    // Nothing to go on but the code.
    {550, "", "Requested action not taken", kPerm, C::kUnclassified},
    {554, "", "Transaction failed", kPerm, C::kUnclassified},
    {451, "", "Requested action aborted: local error in processing", kTemp, C::kUnclassified},
};

}  // namespace

TEST_CASE("replies are classified by code, enhanced code and text together", "[smtp]") {
  for (const auto& c : kCases) {
    INFO(c.code << " " << c.text);
    auto r = ClassifyReply(c.code, c.enhanced, c.text);
    CHECK(r.status == c.status);
    CHECK(FailureCategoryName(r.category) == FailureCategoryName(c.category));
  }
}

TEST_CASE("only a permanent bad mailbox or bad domain suppresses the address", "[smtp]") {
  auto outcome = [](int code, const char* enhanced, const char* text) {
    DeliveryOutcome o;
    auto r = ClassifyReply(code, enhanced, text);
    o.status = r.status;
    o.category = r.category;
    return o;
  };
  CHECK(SuppressesAddress(outcome(550, "5.1.1", "5.1.1 User unknown")));
  CHECK(
      SuppressesAddress(outcome(550, "5.4.1", "5.4.1 Recipient address rejected: Access denied")));
  CHECK(SuppressesAddress(outcome(556, "", "example.com does not accept mail")));
  // A block, a throttle, a full mailbox or an unclear 550 is never the address's fault.
  CHECK_FALSE(SuppressesAddress(outcome(554, "5.7.1", "blocked using Spamhaus")));
  CHECK_FALSE(SuppressesAddress(outcome(421, "4.7.28", "unusual rate")));
  CHECK_FALSE(SuppressesAddress(outcome(552, "5.2.2", "over quota")));
  CHECK_FALSE(SuppressesAddress(outcome(550, "", "Requested action not taken")));
  CHECK_FALSE(
      SuppressesAddress(outcome(550, "5.1.8", "Sender address rejected: Domain not found")));
  // A temporary "user unknown" (some servers defer while a directory syncs) waits.
  CHECK_FALSE(SuppressesAddress(outcome(450, "4.1.1", "4.1.1 User unknown, try again")));
}

TEST_CASE("a reply code outside 200-599 is a protocol failure, and every category has a name",
          "[smtp]") {
  CHECK(ClassifyReply(354, "", "go ahead").category == FailureCategory::kProtocol);
  CHECK(ClassifyReply(354, "", "go ahead").status == DeliveryStatus::kTemporary);
  for (auto c :
       {C::kBadMailbox, C::kBadDomain, C::kMailboxFull, C::kPolicyOrSpamBlock, C::kRateLimited,
        C::kAuthenticationRequired, C::kMessageTooBig, C::kContentRejected, C::kExpired,
        C::kTlsFailure, C::kNetwork, C::kProtocol, C::kUnclassified})
    CHECK_FALSE(FailureCategoryName(c).empty());
}
