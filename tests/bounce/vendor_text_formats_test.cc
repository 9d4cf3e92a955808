// Readers of MTAs' own text formats (engine/bounce/vendor_<name>.cc) over hand-made
// notices modelled on the corpus: who failed, how, and what is never taken for a
// recipient.

#include <catch2/catch.hpp>
#include <string>

#include "b2bmail/bounce/bounce_report.h"

using namespace b2bmail;
using bounce::BounceAction;
using bounce::BounceReport;
using C = smtp::FailureCategory;

namespace {

// A plain-text notice as the text formats send it, the returned message appended.
BounceReport Parse(const std::string& from, const std::string& subject, const std::string& body,
                   const std::string& extra_headers = "") {
  return bounce::ParseBounce("From: " + from + "\nTo: news@sender.example\nSubject: " + subject +
                             "\n" + extra_headers + "Content-Type: text/plain\n\n" + body);
}

const std::string kCopy =
    "Return-Path: <news@sender.example>\nFrom: News <news@sender.example>\n"
    "Reply-To: desk@sender.example\nTo: someone@dest.example\nSubject: Hello\n\nHi\n";

void CheckOne(const bounce::BouncedRecipient& r, const std::string& address, BounceAction action,
              C category, bool hard) {
  CHECK(r.recipient == address);
  CHECK(r.action == action);
  CHECK(r.category == category);
  CHECK(r.hard == hard);
}

// The report names exactly one recipient, as given.
void ExpectOne(const BounceReport& report, const std::string& address, BounceAction action,
               C category, bool hard) {
  REQUIRE(report.recipients.size() == 1);
  CheckOne(report.recipients[0], address, action, category, hard);
}

}  // namespace

TEST_CASE("qmail: two recipients, an unknown user and a full mailbox", "[vendor]") {
  auto r = Parse("MAILER-DAEMON@mx.sender.example", "failure notice",
                 "Hi. This is the qmail-send program at mx.sender.example.\n"
                 "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                 "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                 "<anna@dest.example>:\n"
                 "198.51.100.7 does not like recipient.\n"
                 "Remote host said: 550 5.1.1 <anna@dest.example>: User unknown\n"
                 "Giving up on 198.51.100.7.\n\n"
                 "<bert@dest.example>:\n"
                 "198.51.100.7 does not like recipient.\n"
                 "Remote host said: 552 5.2.2 Mailbox over quota\n\n"
                 "--- Below this line is a copy of the message.\n\n" +
                     kCopy);
  CHECK(r.kind == BounceReport::Kind::kDsn);
  CHECK(r.format == "qmail");
  REQUIRE(r.recipients.size() == 2);
  CheckOne(r.recipients[0], "anna@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
  CHECK(r.recipients[0].status == "5.1.1");
  CHECK(r.recipients[0].diagnostic.rfind("550 5.1.1", 0) == 0);
  CheckOne(r.recipients[1], "bert@dest.example", BounceAction::kFailed, C::kMailboxFull, false);
}

TEST_CASE("qmail: its own wording without a remote reply", "[vendor]") {
  auto r = Parse("MAILER-DAEMON@mx.sender.example", "failure notice",
                 "Hi. This is the qmail-send program at mx.sender.example.\n\n"
                 "<carl@dest.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
                 "--- Enclosed is a copy of the message.\n");
  ExpectOne(r, "carl@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
}

TEST_CASE("Exim: a delay warning is delayed and soft", "[vendor]") {
  auto r = Parse("Mail Delivery System <Mailer-Daemon@relay.sender.example>",
                 "Warning: message 1abc-000 delayed 24 hours",
                 "This message was created automatically by mail delivery software.\n"
                 "A message that you sent has not yet been delivered to one or more of its\n"
                 "recipients after more than 24 hours on the queue on relay.sender.example.\n\n"
                 "The address to which the message has not yet been delivered is:\n\n"
                 "  dora@dest.example\n"
                 "    host mx.dest.example [198.51.100.9]\n"
                 "    Delay reason: SMTP error from remote mail server after RCPT TO:\n"
                 "    451 4.3.0 Temporary local problem\n\n"
                 "No action is required on your part.\n");
  CHECK(r.format == "exim");
  REQUIRE(r.recipients.size() == 1);
  CHECK(r.recipients[0].recipient == "dora@dest.example");
  CHECK(r.recipients[0].action == BounceAction::kDelayed);
  CHECK(r.recipients[0].status == "4.3.0");
  CHECK_FALSE(r.recipients[0].hard);
}

TEST_CASE("Exim: the address the sender used, behind an alias or a bare local part", "[vendor]") {
  auto r =
      Parse("Mail Delivery System <Mailer-Daemon@relay.sender.example>",
            "Mail delivery failed: returning message to sender",
            "This message was created automatically by mail delivery software.\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            "  forward@elsewhere.example\n"
            "    (ultimately generated from emil@dest.example)\n"
            "    SMTP error from remote mail server after RCPT TO:<forward@elsewhere.example>:\n"
            "    host mx.elsewhere.example [198.51.100.3]: 550 5.1.1 User unknown\n"
            "  fritz\n"
            "    SMTP error from remote mail server after end of data:\n"
            "    host mx.dest.example [198.51.100.4]: 552 5.3.4 Message size exceeds limit\n\n"
            "------ This is a copy of the message, including all the headers. ------\n" +
                kCopy,
            "X-Failed-Recipients: forward@elsewhere.example, fritz@dest.example\n");
  REQUIRE(r.recipients.size() == 2);
  CheckOne(r.recipients[0], "emil@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
  CheckOne(r.recipients[1], "fritz@dest.example", BounceAction::kFailed, C::kMessageTooBig, false);
}

TEST_CASE("Sendmail: the reason given with the address, else from the transcript", "[vendor]") {
  auto r = Parse("Mail Delivery Subsystem <MAILER-DAEMON@mx.sender.example>",
                 "Returned mail: see transcript for details",
                 "The original message was received at Mon, 1 Jan 2024 10:00:00 +0000\n\n"
                 "   ----- The following addresses had permanent fatal errors -----\n"
                 "<gina@dest.example>\n"
                 "    (reason: 550 5.1.1 <gina@dest.example>... User unknown)\n"
                 "<hans@other.example>\n\n"
                 "   ----- Transcript of session follows -----\n"
                 "... while talking to mx.other.example.:\n"
                 ">>> RCPT To:<hans@other.example>\n"
                 "<<< 554 5.7.1 Service unavailable; client host blocked using a blocklist\n"
                 "554 5.0.0 Service unavailable\n\n"
                 "   ----- Original message follows -----\n" +
                     kCopy);
  CHECK(r.format == "sendmail");
  REQUIRE(r.recipients.size() == 2);
  CheckOne(r.recipients[0], "gina@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
  CheckOne(r.recipients[1], "hans@other.example", BounceAction::kFailed, C::kPolicyOrSpamBlock,
           false);
  CHECK(r.recipients[1].status == "5.7.1");
}

TEST_CASE("V5 Sendmail: recipients named in the transcript only", "[vendor]") {
  auto r = Parse("Mail Delivery Subsystem <MAILER-DAEMON@old.sender.example>",
                 "Returned mail: Host unknown",
                 "   ----- Transcript of session follows -----\n"
                 "550 nowhere.example (smtp)... 550 Host unknown\n"
                 "554 <ida@nowhere.example>... 550 Host unknown (Authoritative answer)\n"
                 "421 slow.example (smtp)... Deferred: Connection timed out\n"
                 "   ----- Unsent message follows -----\n" +
                     kCopy);
  ExpectOne(r, "ida@nowhere.example", BounceAction::kFailed, C::kBadDomain, true);
}

TEST_CASE("Postfix text: the alias's original address; a warning is a delay; success is none",
          "[vendor]") {
  const std::string intro =
      "This is the mail system at host mx.sender.example.\n\n"
      "I'm sorry to have to inform you that your message could not\n"
      "be delivered to one or more recipients.\n\n";
  auto failed = Parse("MAILER-DAEMON@mx.sender.example (Mail Delivery System)",
                      "Undelivered Mail Returned to Sender",
                      intro +
                          "<jan.box@dest.example> (expanded from <jan@dest.example>): host\n"
                          "    mx.dest.example[198.51.100.5] said: 550 5.1.1 User unknown (in\n"
                          "    reply to RCPT TO command)\n");
  CHECK(failed.format == "postfix");
  ExpectOne(failed, "jan@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto warning = Parse("MAILER-DAEMON@mx.sender.example (Mail Delivery System)",
                       "Delayed Mail (still being retried)",
                       "This is the mail system at host mx.sender.example.\n\n"
                       "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\n"
                       "<kai@dest.example>: connect to mx.dest.example[198.51.100.5]:25: "
                       "Connection timed out\n");
  REQUIRE(warning.recipients.size() == 1);
  CHECK(warning.recipients[0].action == BounceAction::kDelayed);
  CHECK_FALSE(warning.recipients[0].hard);

  auto success =
      Parse("MAILER-DAEMON@mx.sender.example (Mail Delivery System)", "Mail Delivery Status Report",
            "This is the mail system at host mx.sender.example.\n\n"
            "Enclosed is the mail delivery report that you requested.\n\n"
            "<lea@dest.example>: delivery via mx.dest.example[198.51.100.5]:25: "
            "250 2.0.0 Ok\n");
  CHECK(success.recipients.empty());
}

TEST_CASE("DragonFly and OpenSMTPD", "[vendor]") {
  auto dma = Parse("MAILER-DAEMON <>", "Mail delivery failed",
                   "This is the DragonFly Mail Agent v0.13 at df.sender.example.\n\n"
                   "There was an error delivering your mail to <mia@dest.example>.\n\n"
                   "mx.dest.example [198.51.100.6] did not like our RCPT TO:\n"
                   "552 5.2.2 <mia@dest.example>: Mailbox full\n\n"
                   "Message headers follow.\n\n" +
                       kCopy);
  CHECK(dma.format == "dragonfly");
  ExpectOne(dma, "mia@dest.example", BounceAction::kFailed, C::kMailboxFull, false);

  auto delayed = Parse("Mailer Daemon <MAILER-DAEMON@smtpd.sender.example>",
                       "Delivery status notification: warning",
                       "    Hi!\n\n"
                       "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n"
                       "    A message is delayed for more than 4 hours for the following\n"
                       "    list of recipients:\n\n"
                       "nils@dest.example: Network error on destination MXs\n\n"
                       "    Please note that this is only a temporary failure report.\n");
  CHECK(delayed.format == "opensmtpd");
  REQUIRE(delayed.recipients.size() == 1);
  CHECK(delayed.recipients[0].recipient == "nils@dest.example");
  CHECK(delayed.recipients[0].action == BounceAction::kDelayed);
  CHECK_FALSE(delayed.recipients[0].hard);
}

TEST_CASE("Smaller formats: X2, X3, X6, MailFoundry, m-FILTER, MailMarshal", "[vendor]") {
  auto x2 = Parse("MAILER-DAEMON@dest.example", "Delivery failure",
                  "Message from dest.example.\nUnable to deliver message to the following "
                  "address(es).\n\n<olga@dest.example>:\nSorry, your message to "
                  "olga@dest.example cannot be delivered. This account is over quota.\n\n"
                  "--- Original message follows.\n" +
                      kCopy);
  CHECK(x2.format == "x2");
  ExpectOne(x2, "olga@dest.example", BounceAction::kFailed, C::kMailboxFull, false);

  auto x3 = Parse("Mail Delivery System <Mail.Delivery.System@mx.dest.example>",
                  "Delivery status notification",
                  "      This is an automatically generated Delivery Status Notification.\n\n"
                  "Delivery to the following recipients failed permanently:\n\n"
                  "   * paul@dest.example\n\n"
                  "=====================================\n"
                  "                   Technical details:\n\n"
                  "SMTP:RCPT host 198.51.100.8: 553 5.3.0 <paul@dest.example>... No such user\n"
                  "=====================================\n");
  ExpectOne(x3, "paul@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto x6 = Parse("mailer-daemon", "There was an error sending your mail",
                  "We had trouble delivering your message. Full details follow:\n\n"
                  "Subject: 'Hello'\n1 error(s):\n\n"
                  "SMTP Server <mx.dest.example> rejected recipient <quinn@dest.example> "
                  "(Error following RCPT command). It responded as follows: [550 5.1.1 User "
                  "unknown]\n\nThe attachment contains the original mail headers.\n");
  ExpectOne(x6, "quinn@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto foundry = Parse("MAILER-DAEMON@dest.example", "Message delivery has failed",
                       "Unable to deliver message to: <rosa@dest.example>\n"
                       "Delivery failed for the following reason:\n"
                       "Server mx.dest.example[198.51.100.2] failed with: 550 <rosa@dest.example> "
                       "No such user here\n\n"
                       "This has been a permanent failure.  No further delivery attempts will "
                       "be made.\n");
  ExpectOne(foundry, "rosa@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto mfilter = Parse("POSTMASTER <postmaster@sender.example>", "failure notice",
                       "sven@dest.example\n\n-------server message\n"
                       "552 5.2.2 Mailbox full\n\n-------SMTP command\nDATA\n");
  CHECK(mfilter.format == "mfilter");
  ExpectOne(mfilter, "sven@dest.example", BounceAction::kFailed, C::kMailboxFull, false);

  auto marshal = Parse("postmaster@gw.dest.example", "Undeliverable Mail: \"Hello\"",
                       "Your message:\n   From:    news@sender.example\n\n"
                       "Could not be delivered because of\n\n550 5.1.1 User unknown\n\n"
                       "The following recipients were affected:\n    tina@dest.example\n\n"
                       "Additional Information\n======================\n");
  ExpectOne(marshal, "tina@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
}

TEST_CASE("Japanese carriers, Apache James, fml, IMail", "[vendor]") {
  auto ezweb = Parse("Postmaster@ezweb.example", "Mail System Error - Returned Mail",
                     "Each of the following recipients was rejected by a remote\nmail server.\n\n"
                     "    Recipient: <uwe@dest.example>\n"
                     "    >>> RCPT TO:<uwe@dest.example>\n"
                     "    <<< 550 <uwe@dest.example>: User unknown\n");
  CHECK(ezweb.format == "ezweb");
  ExpectOne(ezweb, "uwe@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto kddi = Parse("no-reply@carrier.example", "Mail",
                    "Your mail sent on: Mon, 1 Jan 2024 10:00:00 +0900\n"
                    "     Could not be delivered to: <vera@dest.example>\n"
                    "     As their mailbox is full.\n");
  ExpectOne(kddi, "vera@dest.example", BounceAction::kFailed, C::kMailboxFull, false);

  auto james = Parse("post_master@dest.example", "Re:Hello",
                     "Error: Invalid user address\n\nError message below:\n"
                     "550 - Requested action not taken: no such user here\n\n"
                     "Message details:\n  Subject: Hello\n  MAIL FROM: news@sender.example\n"
                     "  RCPT TO: walt@dest.example\n  From: news@sender.example\n");
  ExpectOne(james, "walt@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  auto fml = Parse("list-admin@dest.example", "You are not member (list ML)",
                   "You are not a member of this mailing list <list@dest.example>.\n");
  REQUIRE(fml.recipients.size() == 1);
  CHECK(fml.recipients[0].recipient == "list@dest.example");
  CHECK_FALSE(fml.recipients[0].hard);

  auto imail = Parse("\"Postmaster\" <postmaster@dest.example>", "Undeliverable Mail",
                     "Unknown user: xena@dest.example\n\nOriginal message follows.\n\n" + kCopy);
  ExpectOne(imail, "xena@dest.example", BounceAction::kFailed, C::kBadMailbox, true);
}

TEST_CASE("Generic reader: a listed address near failure words, never the message's parties",
          "[vendor]") {
  auto r = Parse("Mail Delivery Subsystem <mailer-daemon@gw.dest.example>", "Undeliverable",
                 "Delivery to the following recipients failed:\n\n"
                 "       yara@dest.example\n"
                 "       postmaster@dest.example\n"
                 "       news@sender.example\n\n"
                 "The server said: 550 5.1.1 Recipient not found\n\n" +
                     kCopy);
  CHECK(r.format == "generic-text");
  ExpectOne(r, "yara@dest.example", BounceAction::kFailed, C::kBadMailbox, true);

  // Addresses only in prose or in the returned headers are no recipients.
  auto prose = Parse("postmaster@dest.example", "email bounce notification",
                     "This message is to inform you that an email you sent was rejected.\n"
                     "reject reason: Mailbox full\n"
                     "target mail address: zoe@dest.example\n\n" +
                         kCopy);
  CHECK(prose.recipients.empty());

  // Not from a mailer daemon: left alone, however it is worded.
  auto person = Parse("Zack <zack@dest.example>", "Re: Hello",
                      "The following address failed for me:\nzora@dest.example rejected\n");
  CHECK(person.recipients.empty());
}
