// The bounce parser (issue 8, first increment): RFC 3464 DSNs, RFC 5965 feedback
// reports and auto-replies, over hand-made messages and the real corpus.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "b2bmail/bounce/bounce_report.h"

using namespace b2bmail;
using bounce::BounceAction;
using bounce::BounceReport;
using C = smtp::FailureCategory;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus =
    fs::path(B2BMAIL_SOURCE_DIR) / ".." / "shared" / "corpus" / "bounces" / "maildir";

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A DSN as Postfix writes one, with the per-recipient fields given.
std::string Dsn(const std::string& to, const std::string& recipient_fields) {
  return "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
         "To: " +
         to +
         "\n"
         "Subject: Undelivered Mail Returned to Sender\n"
         "Auto-Submitted: auto-replied\n"
         "MIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
         "--B\nContent-Type: text/plain\n\nI'm sorry to have to inform you...\n\n"
         "--B\nContent-Type: message/delivery-status\n\n"
         "Reporting-MTA: dns; mx.example.net\nArrival-Date: Mon, 23 Nov 2026 09:00:00 +0100\n\n" +
         recipient_fields +
         "\n--B\nContent-Type: text/rfc822-headers\n\n"
         "Return-Path: <bounces+abc123.def@bounces.lumetra.example>\n"
         "Message-ID: <m1@lumetra.example>\nTo: someone@example.org\n\n--B--\n";
}

}  // namespace

TEST_CASE("an RFC 3464 DSN gives the recipient we sent to, its status and class", "[bounce]") {
  auto report = bounce::ParseBounce(
      Dsn("bounces+tok42.mac@bounces.lumetra.example",
          "Final-Recipient: rfc822; anna.local@mail.example.org\n"
          "Original-Recipient: rfc822; Anna@Example.org\n"
          "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mail.example.org\n"
          "Diagnostic-Code: smtp; 550 5.1.1 <Anna@Example.org>: Recipient address rejected:\n"
          " User unknown in local recipient table\n"));
  REQUIRE(report.kind == BounceReport::Kind::kDsn);
  REQUIRE(report.recipients.size() == 1);
  const auto& r = report.recipients[0];
  CHECK(r.recipient == "Anna@Example.org");  // Original-Recipient: the RCPT TO we gave
  CHECK(r.action == BounceAction::kFailed);
  CHECK(r.status == "5.1.1");
  CHECK(r.remote_mta == "mail.example.org");
  CHECK(r.diagnostic.rfind("550 5.1.1 <Anna@Example.org>: Recipient address rejected:", 0) == 0);
  CHECK(r.category == C::kBadMailbox);
  CHECK(r.hard);
  CHECK(report.reporting_mta == "mx.example.net");
  CHECK(report.verp_token == "tok42.mac");  // from the To: of the bounce
  CHECK(report.original_message_id == "<m1@lumetra.example>");
}

TEST_CASE("delays, full mailboxes and blocks are soft; successes are not bounces", "[bounce]") {
  auto report = bounce::ParseBounce(
      Dsn("x@example.com",
          "Final-Recipient: rfc822; a@example.org\nAction: delayed\nStatus: 4.4.1\n"
          "Diagnostic-Code: smtp; 421 4.4.1 connection timed out\n\n"
          "Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\n"
          "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n"
          "Final-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.7.1\n"
          "Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
          "using zen.spamhaus.org\n\n"
          "Final-Recipient: rfc822; d@example.org\nAction: relayed\nStatus: 2.0.0\n\n"
          "Final-Recipient: rfc822; e@example.org\nAction: failed\nStatus: 5.1.2\n"
          "Diagnostic-Code: X-Postfix; Host or domain name not found\n"));
  REQUIRE(report.recipients.size() == 4);  // the relayed one is no bounce
  CHECK(report.recipients[0].action == BounceAction::kDelayed);
  CHECK_FALSE(report.recipients[0].hard);
  CHECK(report.recipients[1].category == C::kMailboxFull);
  CHECK_FALSE(report.recipients[1].hard);
  CHECK(report.recipients[2].category == C::kPolicyOrSpamBlock);
  CHECK_FALSE(report.recipients[2].hard);
  CHECK(report.recipients[3].recipient == "e@example.org");
  CHECK(report.recipients[3].category == C::kBadDomain);
  CHECK(report.recipients[3].hard);
  // No token in the To: here; the returned headers' Return-Path still names the send.
  CHECK(report.verp_token == "abc123.def");
}

TEST_CASE("a failure after temporary errors is the queue's last word", "[bounce]") {
  auto report = bounce::ParseBounce(
      Dsn("x@example.com",
          // Gmail gives up on a domain that never resolved: failed, though each lookup was a
          // temporary error. The domain is bad: hard.
          "Final-Recipient: rfc822; f@example.comn\nAction: failed\nStatus: 4.0.0\n"
          "Diagnostic-Code: smtp; DNS Error: DNS type 'mx' lookup of example.comn responded with "
          "code NXDOMAIN Domain name not found: example.comn\n\n"
          // Days of connection timeouts: the queue expired; nothing is known of the address.
          "Final-Recipient: rfc822; g@example.org\nAction: failed\nStatus: 4.4.1\n"
          "Diagnostic-Code: smtp; The recipient server did not accept our requests to connect. "
          "[example.org 192.0.2.222: timed out]\n\n"
          // Sendmail's status says 5.1.1; the remote server's own words say it blocked us.
          "Final-Recipient: rfc822; h@example.net\nAction: failed\nStatus: 5.1.1\n"
          "Diagnostic-Code: smtp; 550 5.7.1 IP address blacklisted by recipient\n"));
  REQUIRE(report.recipients.size() == 3);
  CHECK(report.recipients[0].category == C::kBadDomain);
  CHECK(report.recipients[0].hard);
  CHECK(report.recipients[1].category == C::kExpired);
  CHECK_FALSE(report.recipients[1].hard);
  CHECK(report.recipients[2].category == C::kPolicyOrSpamBlock);
  CHECK_FALSE(report.recipients[2].hard);
}

TEST_CASE("an ARF report is a complaint by the original recipient", "[bounce]") {
  std::string arf =
      "From: feedback@provider.example\nTo: fbl@lumetra.example\nSubject: complaint\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n"
      "--F\nContent-Type: text/plain\n\nThis is an abuse report.\n\n"
      "--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
      "User-Agent: SomeGenerator/1.0\nVersion: 1\nOriginal-Rcpt-To: <Bob@Example.com>\n\n"
      "--F\nContent-Type: message/rfc822\n\nFrom: news@lumetra.example\n"
      "To: someone-else@example.com\nMessage-ID: <c1@lumetra.example>\nSubject: x\n\nHello\n"
      "--F--\n";
  auto report = bounce::ParseBounce(arf);
  REQUIRE(report.kind == BounceReport::Kind::kComplaint);
  CHECK(report.feedback_type == "abuse");
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].recipient == "Bob@Example.com");
  CHECK(report.recipients[0].hard);
  CHECK(report.original_message_id == "<c1@lumetra.example>");
}

namespace {

// An ARF report with the given feedback-report fields and reported message headers.
std::string Arf(const std::string& fields, const std::string& reported) {
  return "From: fbl@provider.example\nTo: fbl@lumetra.example\nSubject: report\n"
         "MIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n"
         "--F\nContent-Type: text/plain\n\nA report.\n\n"
         "--F\nContent-Type: message/feedback-report\n\n" +
         fields + "\n--F\nContent-Type: text/rfc822-headers\n\n" + reported + "\n--F--\n";
}

}  // namespace

TEST_CASE("a DSN whose MIME structure broke is read from its text, with Sendmail's details",
          "[bounce]") {
  // The boundary in Content-Type never appears in the body (seen in the wild): the
  // fields sit in one text part. Sendmail names the alias the address expanded from,
  // and gives the reason only in the transcript.
  std::string broken =
      "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.edu>\n"
      "To: <news@lumetra.example>\nSubject: Returned mail: Service unavailable\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"NEVER\"\n\n"
      "   ----- The following addresses had permanent fatal errors -----\n"
      "\"|/usr/local/bin/procmail -f- #kim\"\n"
      "    (expanded from: <kim@example.edu>)\n\n"
      "   ----- Transcript of session follows -----\n"
      "mail.local: unknown user: kim\n"
      "554 \"|/usr/local/bin/procmail -f- #kim\"... Service unavailable\n\n"
      "Reporting-MTA: dns; mx.example.edu\n\n"
      "Final-Recipient: RFC822; kim@mx.example.edu\nAction: failed\nStatus: 5.5.0\n\n"
      "Return-Path: <news@lumetra.example>\nFrom: news@lumetra.example\nTo: kim@example.edu\n"
      "Subject: Webinar\n\nHello\n";
  auto report = bounce::ParseBounce(broken);
  REQUIRE(report.kind == BounceReport::Kind::kDsn);
  CHECK(report.format == "rfc3464-text");
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].recipient == "kim@example.edu");
  CHECK(report.recipients[0].category == C::kBadMailbox);
  CHECK(report.recipients[0].hard);
}

TEST_CASE("a DSN with every recipient in one block, SendGrid's 'expired', a source route",
          "[bounce]") {
  // AOL writes the per-message and per-recipient fields without blank lines between.
  auto one_block = bounce::ParseBounce(
      Dsn("x@example.com",
          "Final-Recipient: rfc822; a@example.jp\nOriginal-Recipient: rfc822;a@example.jp\n"
          "Action: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 550 5.2.2 Mailbox Full\n"
          "Final-Recipient: rfc822; b@example.jp\nOriginal-Recipient: rfc822;b@example.jp\n"
          "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User Unknown\n"));
  REQUIRE(one_block.recipients.size() == 2);
  CHECK(one_block.recipients[0].category == C::kMailboxFull);
  CHECK_FALSE(one_block.recipients[0].hard);
  CHECK(one_block.recipients[1].recipient == "b@example.jp");
  CHECK(one_block.recipients[1].hard);
  // SendGrid's "Action: expired": the queue gave up.
  auto expired = bounce::ParseBounce(Dsn("x@example.com",
                                         "Final-Recipient: rfc822; c@example.org\n"
                                         "Action: expired\nStatus: \n"
                                         "Diagnostic-Code: Connection timed out\n"));
  REQUIRE(expired.recipients.size() == 1);
  CHECK(expired.recipients[0].action == BounceAction::kFailed);
  CHECK(expired.recipients[0].category == C::kExpired);
  CHECK_FALSE(expired.recipients[0].hard);
  // A source route names no mailbox: nothing is reported rather than "@mx.example.org".
  auto route = bounce::ParseBounce(Dsn("x@example.com",
                                       "Final-Recipient: RFC822; @mx.example.org\n"
                                       "Action: failed\nStatus: 5.1.2\n"));
  for (const auto& r : route.recipients) CHECK(r.recipient.front() != '@');
}

TEST_CASE("ARF: every complainer, opt-out requests, and auth-failure reports that are none",
          "[bounce]") {
  // RFC 5965 §3.2: a report about one message sent to several people who complained.
  auto several = bounce::ParseBounce(
      Arf("Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: <a@example.com>\n"
          "Original-Rcpt-To: b@example.net\nOriginal-Rcpt-To: A@example.com\n",
          "From: news@lumetra.example\nTo: undisclosed-recipients:;\n"));
  REQUIRE(several.kind == BounceReport::Kind::kComplaint);
  REQUIRE(several.recipients.size() == 2);  // a@example.com once
  CHECK(several.recipients[1].recipient == "b@example.net");
  // RFC 5965 §7.3 opt-out: the person to remove is named by Removal-Recipient.
  auto opt_out = bounce::ParseBounce(
      Arf("Feedback-Type: opt-out\nVersion: 1\nRemoval-Recipient: user@example.com\n",
          "From: news@lumetra.example\nTo: <Undisclosed Recipients>\n"));
  REQUIRE(opt_out.recipients.size() == 1);
  CHECK(opt_out.recipients[0].recipient == "user@example.com");
  CHECK(opt_out.feedback_type == "opt-out");
  // No Original-Rcpt-To: the reported message's To.
  auto to_only = bounce::ParseBounce(Arf("Feedback-Type: abuse\nVersion: 1\n",
                                         "From: news@lumetra.example\nTo: <kim@example.org>\n"));
  REQUIRE(to_only.recipients.size() == 1);
  CHECK(to_only.recipients[0].recipient == "kim@example.org");
  // RFC 6591: a DMARC failure report is about our authentication, not a complaint.
  auto auth =
      bounce::ParseBounce(Arf("Feedback-Type: auth-failure\nVersion: 1\nAuth-Failure: dmarc\n"
                              "Original-Rcpt-To: kim@example.org\nDelivery-Result: delivered\n",
                              "From: news@lumetra.example\nTo: <kim@example.org>\n"));
  CHECK(auth.kind == BounceReport::Kind::kNone);
  CHECK(auth.recipients.empty());
}

TEST_CASE("RFC 5965's samples and providers' feedback reports are complaints", "[bounce]") {
  // RFC 5965 appendix B.1: the minimal report; its reported message went to
  // "Undisclosed Recipients", so nobody can be named, but it is still a complaint.
  std::string minimal =
      "From: <abusedesk@example.com>\nDate: Thu, 8 Mar 2005 17:40:36 EDT\n"
      "Subject: FW: Earn money\nTo: <abuse@example.net>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=feedback-report;\n"
      "     boundary=\"part1_13d.2e68ed54_boundary\"\n\n"
      "--part1_13d.2e68ed54_boundary\nContent-Type: text/plain; charset=\"US-ASCII\"\n\n"
      "This is an email abuse report for an email message received from IP\n"
      "192.0.2.1 on Thu, 8 Mar 2005 14:00:00 EDT.\n\n"
      "--part1_13d.2e68ed54_boundary\nContent-Type: message/feedback-report\n\n"
      "Feedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\n\n"
      "--part1_13d.2e68ed54_boundary\nContent-Type: message/rfc822\n"
      "Content-Disposition: inline\n\n"
      "From: <somespammer@example.net>\nTo: <Undisclosed Recipients>\nSubject: Earn money\n"
      "Message-ID: 8787KJKJ3K4J3K4J3K4J3.mail@example.net\n\nSpam Spam Spam\n"
      "--part1_13d.2e68ed54_boundary--\n";
  auto b1 = bounce::ParseBounce(minimal);
  CHECK(b1.kind == BounceReport::Kind::kComplaint);
  CHECK(b1.feedback_type == "abuse");
  CHECK(b1.recipients.empty());
  // Appendix B.2's fields: the complainer is Original-Rcpt-To.
  auto b2 = bounce::ParseBounce(
      Arf("Feedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\n"
          "Original-Mail-From: <somespammer@example.net>\n"
          "Original-Rcpt-To: <user@example.com>\nArrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\n"
          "Reporting-MTA: dns; mail.example.com\nSource-IP: 192.0.2.1\n"
          "Reported-Domain: example.net\n",
          "From: <somespammer@example.net>\nTo: <Undisclosed Recipients>\n"));
  REQUIRE(b2.recipients.size() == 1);
  CHECK(b2.recipients[0].recipient == "user@example.com");
  CHECK(b2.reporting_mta == "mail.example.com");
  // Providers' reports in the corpus (Yahoo, Hotmail, and others): each names its
  // complainer.
  for (const char* file : {"arf-02.eml", "arf-14.eml", "arf-16.eml", "arf-17.eml", "arf-21.eml",
                           "arf-22.eml", "arf-23.eml", "arf-24.eml", "arf-25.eml"}) {
    INFO(file);
    auto report = bounce::ParseBounce(Read(kCorpus / "bsd" / file));
    CHECK(report.kind == BounceReport::Kind::kComplaint);
    CHECK_FALSE(report.recipients.empty());
    for (const auto& r : report.recipients) CHECK(r.hard);
  }
}

TEST_CASE("Hotmail's older complaint format names the To of the reported message", "[bounce]") {
  std::string complaint =
      "From: staff@hotmail.com\nTo: abuse-report@lumetra.example\n"
      "Subject: complaint about message from 192.0.2.1\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"H\"\n\n"
      "--H\nContent-Type: message/rfc822\n\nFrom: news@lumetra.example\n"
      "To: Kim <kim@example.com>\nMessage-ID: <h1@lumetra.example>\nSubject: x\n\nHello\n"
      "--H--\n";
  auto report = bounce::ParseBounce(complaint);
  REQUIRE(report.kind == BounceReport::Kind::kComplaint);
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].recipient == "kim@example.com");
  CHECK(report.original_message_id == "<h1@lumetra.example>");
}

TEST_CASE("out-of-office replies are not bounces; Exim's auto-replied bounces are", "[bounce]") {
  auto vacation = bounce::ParseBounce(
      "From: Anna <anna@example.org>\nTo: news@lumetra.example\n"
      "Subject: Abwesenheitsnotiz: Procurement 4.0\nAuto-Submitted: auto-replied\n\n"
      "Ich bin bis 30.11. nicht im Büro.\n");
  CHECK(vacation.kind == BounceReport::Kind::kAutoReply);
  CHECK(vacation.recipients.empty());
  auto exim = bounce::ParseBounce(
      "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: news@lumetra.example\n"
      "Subject: Mail delivery failed: returning message to sender\n"
      "Auto-Submitted: auto-replied\n\n"
      "This message was created automatically by mail delivery software.\n\n"
      "  x@example.org\n    Unrouteable address\n");
  CHECK(exim.kind == BounceReport::Kind::kUnrecognised);  // a bounce, not yet read
  CHECK(exim.recipients.empty());
}

TEST_CASE("hand-checked corpus files give the recipients and classes their texts say", "[bounce]") {
  struct Expected {
    const char* file;
    const char* recipient;
    const char* status;
    C category;
    bool hard;
  };
  // Read by eye from each file's delivery-status part (not from another tool's output).
  const Expected table[] = {
      // Final-Recipient r@p351355..., Original-Recipient kijitora@example.org: we sent to
      // the original one; procmail said "No such user".
      {"lhost-postfix-01.eml", "kijitora@example.org", "5.1.1", C::kBadMailbox, true},
      {"rfc3464-01.eml", "userunknown@bouncehammer.jp", "5.1.1", C::kBadMailbox, true},
      {"lhost-sendmail-01.eml", "userunknown@bouncehammer.jp", "5.1.1", C::kBadMailbox, true},
  };
  for (const auto& e : table) {
    INFO(e.file);
    auto report = bounce::ParseBounce(Read(kCorpus / "bsd" / e.file));
    REQUIRE(report.recipients.size() == 1);
    CHECK(report.recipients[0].recipient == e.recipient);
    CHECK(report.recipients[0].status == e.status);
    CHECK(report.recipients[0].category == e.category);
    CHECK(report.recipients[0].hard == e.hard);
  }
  // arf-01: a feedback report without Original-Rcpt-To; the complainer is the To of the
  // returned message.
  auto arf = bounce::ParseBounce(Read(kCorpus / "bsd" / "arf-01.eml"));
  CHECK(arf.kind == BounceReport::Kind::kComplaint);
  REQUIRE(arf.recipients.size() == 1);
  CHECK(arf.recipients[0].recipient == "redacted@example.net");
}

TEST_CASE("a hostile report naming 100,000 addresses is read in linear time, 1000 at most",
          "[bounce]") {
  std::string fields = "Feedback-Type: abuse\nVersion: 1\n";
  std::string text = "From: MAILER-DAEMON@mx.example\nSubject: failure notice\n\n";
  for (int i = 0; i < 100000; ++i) {
    fields += "Original-Rcpt-To: u" + std::to_string(i) + "@example.com\n";
    text += "<u" + std::to_string(i) + "@example.com>: Sorry, no mailbox here by that name.\n";
  }
  auto arf = bounce::ParseBounce(Arf(fields, "To: x@example.com\n"));
  CHECK(arf.recipients.size() == 1000);
  auto notice = bounce::ParseBounce(text);
  CHECK(notice.recipients.size() <= 1000);
}

TEST_CASE("the whole corpus parses; no message that is not a bounce yields a recipient",
          "[bounce]") {
  int files = 0, with_recipients = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "bsd")) {
    auto report = bounce::ParseBounce(Read(entry.path()));
    ++files;
    if (!report.recipients.empty()) ++with_recipients;
    for (const auto& r : report.recipients) {
      INFO(entry.path().filename().string());
      CHECK(r.recipient.find('@') != std::string::npos);
    }
  }
  CHECK(files == 629);
  // This increment reads RFC 3464 and ARF only: a floor, raised as vendor formats come.
  CHECK(with_recipients >= 340);
  for (const auto& entry : fs::directory_iterator(kCorpus / "not")) {
    INFO(entry.path().filename().string());
    CHECK(bounce::ParseBounce(Read(entry.path())).recipients.empty());
  }
}
