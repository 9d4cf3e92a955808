// Providers' and gateways' own bounce formats (issue 8): hand-made messages modelled on
// the corpus (tests/bounce/labels), one or more per reader in engine/bounce/vendor_*.cc.
#include <catch2/catch.hpp>
#include <string>

#include "b2bmail/bounce/bounce_report.h"

using namespace b2bmail;
using bounce::BounceAction;
using bounce::BounceReport;
using C = smtp::FailureCategory;

namespace {

// A single-part text message with the given headers (each ending in "\n") and body.
std::string Message(const std::string& headers, const std::string& body) {
  return headers + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body;
}

// The report's only recipient; fails the test when there is not exactly one.
const bounce::BouncedRecipient& Only(const BounceReport& report) {
  REQUIRE(report.kind == BounceReport::Kind::kDsn);
  REQUIRE(report.recipients.size() == 1);
  return report.recipients[0];
}

const std::string kGoogle =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: bounces+t1@lumetra.example\n";

}  // namespace

TEST_CASE("Gmail: permanent failures quote the remote server", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message(kGoogle + "Subject: Delivery Status Notification (Failure)\n",
              "Delivery to the following recipient failed permanently:\n\n"
              "     anna@example.org\n\n"
              "Technical details of permanent failure:\n"
              "Google tried to deliver your message, but it was rejected by the server for the\n"
              "recipient domain example.org by mx.example.org. [192.0.2.1].\n\n"
              "The error that the other server returned was:\n"
              "550 5.1.1 <anna@example.org>... User Unknown\n\n"
              "----- Original message -----\n\nTo: anna@example.org\nSubject: hi\n"));
  const auto& r = Only(report);
  CHECK(report.format == "gmail");
  CHECK(r.recipient == "anna@example.org");
  CHECK(r.action == BounceAction::kFailed);
  CHECK(r.status == "5.1.1");
  CHECK(r.diagnostic == "550 5.1.1 <anna@example.org>... User Unknown");
  CHECK(r.category == C::kBadMailbox);
  CHECK(r.hard);
}

TEST_CASE("Gmail: a delay warning without a reason is a soft delay", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message(kGoogle + "Subject: Delivery Status Notification (Delay)\n",
              "This is an automatically generated Delivery Status Notification\n\n"
              "THIS IS A WARNING MESSAGE ONLY.\n\n"
              "Delivery to the following recipient has been delayed:\n\n"
              "     bert@example.org\n\n"
              "Message will be retried for 2 more day(s)\n\n"
              "----- Original message -----\n\nTo: bert@example.org\n"));
  const auto& r = Only(report);
  CHECK(r.recipient == "bert@example.org");
  CHECK(r.action == BounceAction::kDelayed);
  CHECK_FALSE(r.hard);
  CHECK(r.category == C::kUnclassified);
}

TEST_CASE("Google Groups: a refused post, in any language, names the group", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message(kGoogle + "Subject: Delivery Status Notification (Failure)\n"
                        "X-Failed-Recipients: team@googlegroups.com\n",
              "Hallo anna@lumetra.example,\n\n"
              "Sie erhalten diese E-Mail, weil die Gruppe (team) möglicherweise nicht vorhanden "
              "ist bzw. Sie nicht die erforderlichen Berechtigungen haben.\n\n"
              "Hilfe unter https://groups.google.com/support/.\n\nGoogle Groups\n\n"
              "----- Original message -----\n\nTo: team@googlegroups.com\n"));
  const auto& r = Only(report);
  CHECK(report.format == "googlegroups");
  CHECK(r.recipient == "team@googlegroups.com");
  CHECK(r.status == "5.7.0");
  CHECK(r.category == C::kPolicyOrSpamBlock);
  CHECK_FALSE(r.hard);
}

TEST_CASE("Yahoo: the address in brackets, the reply after 'Remote host said:'", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n",
              "Sorry, we were unable to deliver your message to the following address.\n\n"
              "<carl@example.org>:\nRemote host said:\n"
              "552 5.2.2 <carl@example.org>... Mailbox Full\n[RCPT_TO]\n\n"
              "--- Below this line is a copy of the message.\n\nTo: carl@example.org\n"));
  const auto& r = Only(report);
  CHECK(report.format == "yahoo");
  CHECK(r.recipient == "carl@example.org");
  CHECK(r.diagnostic == "552 5.2.2 <carl@example.org>... Mailbox Full");
  CHECK(r.category == C::kMailboxFull);
  CHECK_FALSE(r.hard);
}

TEST_CASE("mail.ru: the English list is read, not the Russian one", "[vendor]") {
  auto report = bounce::ParseBounce(Message(
      "From: mailer-daemon@corp.mail.ru\nSubject: Mail failure.\n",
      "Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.\n\n"
      "К сожалению, Ваше письмо не может быть доставлено одному или нескольким "
      "получателям:\n\n  dana\n\n"
      "**********************\n\n"
      "A message that you sent could not be delivered to one or more of its\n"
      "recipients. This is a permanent error. The following address(es) failed:\n\n"
      "  dana@example.org\n"
      "    SMTP error from remote mail server after RCPT TO:<dana@example.org>:\n"
      "    host mx.example.org [192.0.2.2]: 550 5.1.1 <dana@example.org>... User Unknown\n\n"
      "------ This is a copy of the message, including all the headers. ------\n"));
  const auto& r = Only(report);
  CHECK(r.recipient == "dana@example.org");
  CHECK(r.diagnostic == "550 5.1.1 <dana@example.org>... User Unknown");
  CHECK(r.category == C::kBadMailbox);
  CHECK(r.hard);
}

TEST_CASE("GMX and 1&1: a wrapped list heading and the reason after 'reason:'", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: \"Mail Delivery System\" <mailer-daemon@kundenserver.de>\n"
              "Subject: Mail delivery failed: returning message to sender\n",
              "This message was created automatically by mail delivery software.\n\n"
              "A message that you sent could not be delivered to one or more of\n"
              "its recipients. This is a permanent error. The following address(es)\nfailed:\n\n"
              "erik@example.fr:\n"
              "SMTP error from remote server for TEXT command, host: smtp.example.fr "
              "(192.0.2.3) reason: 552 5.3.4 Message size exceeds fixed limit\n\n"
              "--- The header of the original message is following. ---\n\nTo: erik@example.fr\n"));
  const auto& r = Only(report);
  CHECK(report.format == "gmx");
  CHECK(r.recipient == "erik@example.fr");
  CHECK(r.diagnostic == "552 5.3.4 Message size exceeds fixed limit");
  CHECK(r.category == C::kMessageTooBig);
  CHECK_FALSE(r.hard);

  auto gmx =
      bounce::ParseBounce(Message("From: MAILER-DAEMON@mail.gmx.com\n",
                                  "This is a permanent error. The following address\nfailed:\n\n"
                                  "<fred@example.org>\nReason:\ndelivery retry timeout exceeded\n\n"
                                  "--- The header of the original message is following. ---\n"));
  CHECK(Only(gmx).category == C::kExpired);
  CHECK_FALSE(Only(gmx).hard);
}

TEST_CASE("Exchange 2003: 'did not reach the following recipient(s)'", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: System Administrator <postmaster@example.com>\nSubject: Undeliverable: hi\n",
              "Your message\n\n  To:      gina@example.com\n  Subject: hi\n\n"
              "did not reach the following recipient(s):\n\n"
              "gina@example.com on Thu, 29 Apr 2010 00:00:00 -0000\n"
              "    The recipient name is not recognized\n"
              "    MSEXCH:IMS:ORG:SITE:SRV 0 (000C05A6) Unknown Recipient\n"
              "hans@example.com on Thu, 29 Apr 2010 00:00:00 -0000\n"
              "    The message exceeds the maximum message size\n"));
  REQUIRE(report.recipients.size() == 2);
  CHECK(report.format == "exchange2003");
  CHECK(report.recipients[0].recipient == "gina@example.com");
  CHECK(report.recipients[0].category == C::kBadMailbox);
  CHECK(report.recipients[0].hard);
  CHECK(report.recipients[1].recipient == "hans@example.com");
  CHECK(report.recipients[1].category == C::kMessageTooBig);
  CHECK_FALSE(report.recipients[1].hard);
}

TEST_CASE("Exchange 2007 and Office 365: the administrators' section, in French too", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: <postmaster@example.fr>\nSubject: Non remis : hi\n",
              "Échec de la remise pour ces destinataires ou groupes :\n\n"
              "ines@example.fr<mailto:ines@example.fr>\n"
              "L'adresse de messagerie que vous avez entrée est introuvable.\n\n"
              "Informations de diagnostic pour les administrateurs :\n\n"
              "Serveur de génération : SRV1.example.fr\n\n"
              "ines@example.fr\n"
              "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n\n"
              "En-têtes de message d'origine :\n\nTo: ines@example.fr\n"));
  const auto& r = Only(report);
  CHECK(report.format == "exchange2007");
  CHECK(r.recipient == "ines@example.fr");
  CHECK(r.diagnostic == "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
  CHECK(r.status == "5.1.1");
  CHECK(r.hard);
}

TEST_CASE("Zoho: failures on one line each, delays in brackets", "[vendor]") {
  auto failed = bounce::ParseBounce(
      Message("From: mailer-daemon@mail.zoho.com\nSubject: Undelivered Mail Returned to Sender\n",
              "This is a permanent error.\n\n"
              "jan@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 "
              "<jan@example.org>... User Unknown\n"
              "kim@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.2 "
              "<kim@example.org>... Mailbox Full\n"));
  REQUIRE(failed.recipients.size() == 2);
  CHECK(failed.recipients[0].category == C::kBadMailbox);
  CHECK(failed.recipients[1].category == C::kMailboxFull);

  auto delayed = bounce::ParseBounce(Message(
      "From: mailer-daemon@mail.zoho.com\n"
      "Subject: Mail Delivery Status Notification (Delay)\n",
      "THIS IS A WARNING MESSAGE ONLY.\n\n"
      "----- The following addresses had fatal errors -----\n"
      "[Status: Error, Address: <lea@example.org>, ResponseCode 421, , Host not reachable.]\n"
      "Message will be retried for 4 more day(s)\n"));
  const auto& r = Only(delayed);
  CHECK(r.recipient == "lea@example.org");
  CHECK(r.action == BounceAction::kDelayed);
  CHECK(r.diagnostic == "Host not reachable.");
  CHECK_FALSE(r.hard);
}

TEST_CASE("Amazon SES: JSON bounce notifications, plain or inside SNS", "[vendor]") {
  const std::string event =
      R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent",)"
      R"("bounceSubType":"General","bouncedRecipients":[{"emailAddress":"max@example.org",)"
      R"("action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],)"
      R"("reportingMTA":"dsn; a1.smtp-out.amazonses.com"},"mail":{"messageId":"m-1"}})";
  const std::string ses = "From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n";
  auto plain = bounce::ParseBounce(Message(ses, event + "\n\n--\nIf you wish to stop...\n"));
  const auto& r = Only(plain);
  CHECK(plain.format == "amazonses");
  CHECK(r.recipient == "max@example.org");
  CHECK(r.status == "5.1.1");
  CHECK(r.diagnostic == "550 5.1.1 user unknown");
  CHECK(r.hard);
  CHECK(plain.original_message_id == "m-1");

  std::string escaped;
  for (char c : event) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  auto sns = bounce::ParseBounce(
      Message(ses, "{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"" + escaped + "\"\n}\n"));
  CHECK(Only(sns).recipient == "max@example.org");

  // A transient bounce without a reply: SES's sub-type is the reason.
  auto full = bounce::ParseBounce(Message(
      ses,
      R"({"notificationType":"Bounce","bounce":{"bounceType":"Transient",)"
      R"("bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"ned@example.org"}]}})"));
  CHECK(Only(full).category == C::kMailboxFull);
  CHECK_FALSE(Only(full).hard);
}

TEST_CASE("Amazon SES: a delivery notification is not a bounce", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n",
              R"({"notificationType":"Delivery","mail":{"destination":["ok@example.org"]},)"
              R"("delivery":{"recipients":["ok@example.org"],"smtpResponse":"250 2.6.0 ok"}})"));
  CHECK(report.recipients.empty());
  CHECK(report.kind != BounceReport::Kind::kDsn);
}

TEST_CASE("Amazon SES: a complaint names the complainer", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n",
              R"({"notificationType":"Complaint","complaint":{"complainedRecipients":)"
              R"([{"emailAddress":"ola@example.org"}],"complaintFeedbackType":"abuse"}})"));
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].recipient == "ola@example.org");
  CHECK(report.recipients[0].hard);
  CHECK(report.feedback_type == "abuse");
  CHECK(report.kind == bounce::BounceReport::Kind::kComplaint);
}

TEST_CASE("Amazon WorkMail: DSN fields copied into the text", "[vendor]") {
  auto report = bounce::ParseBounce(Message(
      "From: MAILER-DAEMON@us-west-2.amazonses.com\nX-Mailer: Amazon WorkMail\n",
      "An error occurred while trying to deliver the mail to the following recipients:\n"
      "pia@example.org\n\nTechnical report:\n\n"
      "Reporting-MTA: dsn; a27.smtp-out.us-west-2.amazonses.com\nAction: failed\n"
      "Final-Recipient: rfc822; pia@example.org\n"
      "Diagnostic-Code: smtp; 550 5.2.2 <pia@example.org>... Mailbox Full\nStatus: 5.2.2\n"));
  const auto& r = Only(report);
  CHECK(report.format == "amazonworkmail");
  CHECK(r.recipient == "pia@example.org");
  CHECK(r.category == C::kMailboxFull);
  CHECK_FALSE(r.hard);
}

TEST_CASE("Lotus Notes and Domino: 'not listed in' the directory is an unknown user", "[vendor]") {
  auto notes = bounce::ParseBounce(
      Message("From: postmaster@example.co.jp\nSubject: Undeliverable message\n",
              "------- Failure Reasons  --------\n\n"
              "ディレクトリのリストにありません\nquin@example.co.jp\n\n"
              "------- Returned Message --------\nTo: quin@example.co.jp\n"));
  CHECK(notes.format == "notes");
  CHECK(Only(notes).recipient == "quin@example.co.jp");
  CHECK(Only(notes).category == C::kBadMailbox);
  CHECK(Only(notes).hard);

  auto domino = bounce::ParseBounce(
      Message("From: Postmaster@example.jp\nSubject: DELIVERY FAILURE: User rosa not listed\n",
              "Your message\n\n  Subject: hi\n\nwas not delivered to:\n\n  rosa@example.jp\n\n"
              "because:\n\n  User rosa (rosa@example.jp) not listed in Domino Directory\n"));
  CHECK(domino.format == "domino");
  CHECK(Only(domino).status == "5.1.1");
  CHECK(Only(domino).hard);
}

TEST_CASE("Trend Micro InterScan: the SMTP transcript", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: \"InterScan MSS\" <postmaster@example.co.jp>\nSubject: Undeliverable\n",
              "...\nSent <<< RCPT TO:<sven@example.co.jp>\n"
              "Received >>> 550 5.1.1 <sven@example.co.jp>... user unknown\n...\n"));
  const auto& r = Only(report);
  CHECK(report.format == "trendmicro");
  CHECK(r.recipient == "sven@example.co.jp");
  CHECK(r.hard);
}

TEST_CASE("Mimecast: items after '-- '", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: \"postmaster\" <postmaster@example.org>\n"
              "Subject: [Postmaster] Email Delivery Failure\n",
              "An email that you attempted to send to the following address could not be "
              "delivered:\n\n-- tom@example.org\n\nThe problem appears to be :\n\n"
              "-- Recipient email address is possibly incorrect\n\n"
              "Additional information follows :\n\n-- 550 5.1.1 User unknown\n\n"));
  const auto& r = Only(report);
  CHECK(report.format == "mimecast");
  CHECK(r.recipient == "tom@example.org");
  CHECK(r.diagnostic == "550 5.1.1 User unknown");
  CHECK(r.hard);
}

TEST_CASE("Verizon: the SMS gateway's 'Message details'", "[vendor]") {
  auto report = bounce::ParseBounce(
      Message("From: post_master@vtext.com\nSubject: Re: hi\n",
              "Error: Invalid user address\n\nError message below:\n"
              "550 - Requested action not taken: no such user here\n\nMessage details:\n"
              "  Subject: hi\n  MAIL FROM: bounces+t@lumetra.example\n"
              "  RCPT TO: 5550100@vtext.com\n"));
  const auto& r = Only(report);
  CHECK(report.format == "verizon");
  CHECK(r.recipient == "5550100@vtext.com");
  CHECK(r.category == C::kBadMailbox);
  CHECK(r.hard);
}

TEST_CASE("provider readers leave ordinary messages alone", "[vendor]") {
  // Words from the formats in a person's mail: no recipient.
  auto report = bounce::ParseBounce(
      Message("From: Anna <anna@example.org>\nSubject: Re: your offer\n",
              "Thanks! The following address failed: bert@example.org is old, use the new one.\n"
              "Delivery to the following recipient: nobody\n"));
  CHECK(report.recipients.empty());
}
