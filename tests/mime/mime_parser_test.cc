#include "b2bmail/mime/mime_parser.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/charset_conversion.h"
#include "b2bmail/mime/content_type.h"
#include "b2bmail/mime/encoded_word_decoder.h"
#include "b2bmail/mime/transfer_decoding.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(B2BMAIL_TEST_DATA) + "/parser/" + name, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ToCrlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::vector<std::string> Types(const MimePart& root) {
  std::vector<std::string> out;
  for (const MimePart* p : root.Walk()) out.push_back(p->content_type().MimeType());
  return out;
}

bool HasDefect(const MimePart& part, std::string_view fragment) {
  for (const auto& d : part.defects())
    if (d.find(fragment) != std::string::npos) return true;
  return false;
}

bool AnyDefect(const MimePart& root, std::string_view fragment) {
  for (const MimePart* p : root.Walk())
    if (HasDefect(*p, fragment)) return true;
  return false;
}

std::size_t DefectCount(const MimePart& root) {
  std::size_t n = 0;
  for (const MimePart* p : root.Walk()) n += p->defects().size();
  return n;
}

const std::string kNested =
    "From: a@example.com\n"
    "Subject: nested\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "preamble, ignored\n"
    "--outer\n"
    "Content-Type: multipart/alternative; boundary=\"inner\"\n"
    "\n"
    "--inner\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "plain text\n"
    "--inner\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>html text</p>\n"
    "--inner--\n"
    "inner epilogue, ignored\n"
    "--outer\n"
    "Content-Type: application/pdf; name=\"rates.pdf\"\n"
    "Content-Disposition: attachment\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "JVBERi0xLjQK\n"
    "--outer--\n"
    "epilogue, ignored\n";

}  // namespace

TEST_CASE("Nested multiparts form a tree in document order with preamble and epilogue dropped",
          "[mime]") {
  for (const std::string& data : {kNested, ToCrlf(kNested)}) {
    auto m = ParseMessage(data);
    CHECK(Types(m.root()) == std::vector<std::string>{"multipart/mixed", "multipart/alternative",
                                                      "text/plain", "text/html",
                                                      "application/pdf"});
    CHECK(m.part_count() == 5);
    const MimePart& alt = *m.root().children().at(0);
    CHECK(alt.depth() == 1);
    REQUIRE(alt.children().size() == 2);
    CHECK(alt.children()[0]->depth() == 2);
    CHECK(alt.children()[0]->text() == "plain text");
    CHECK(alt.children()[1]->text() == "<p>html text</p>");
    CHECK(alt.children()[0]->content_type().Charset() == "utf-8");
    const MimePart& pdf = *m.root().children().at(1);
    CHECK(pdf.FileName() == "rates.pdf");
    CHECK(pdf.content_disposition().type == "attachment");
    CHECK(pdf.transfer_encoding() == TransferEncoding::kBase64);
    CHECK(pdf.decoded_body() == "%PDF-1.4\n");
    CHECK(pdf.text().empty());
    CHECK(m.FindFirst("TEXT/HTML") == alt.children()[1]);
    CHECK(m.FindFirst("image/png") == nullptr);
    CHECK(m.BestText() == "plain text");
    CHECK(DefectCount(m.root()) == 0);
  }
}

TEST_CASE("A message without Content-Type is text/plain in us-ascii; digest parts are messages",
          "[mime]") {
  auto m = ParseMessage("Subject: hi\n\nbody\n");
  CHECK(m.root().content_type().MimeType() == "text/plain");
  CHECK(m.root().content_type().Parameter("charset") == "us-ascii");
  CHECK(m.root().transfer_encoding() == TransferEncoding::k7bit);
  CHECK(m.root().text() == "body\n");

  auto digest = ParseMessage(
      "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n--d\n"
      "Content-Type: text/plain\n\nnot a message\n--d--\n");
  CHECK(Types(digest.root()) ==
        std::vector<std::string>{"multipart/digest", "message/rfc822", "text/plain", "text/plain"});
  CHECK(digest.root().children()[0]->children()[0]->HeaderValue("subject") == "one");
}

TEST_CASE("Header lookups ignore case and give the first field's decoded value", "[mime]") {
  auto m = ParseMessage(
      "Received: one\nRECEIVED: two\nX-Empty:\nSubject: =?utf-8?q?caf=C3=A9?=\n  folded\n\n");
  CHECK(m.HeaderValue("received") == "one");
  CHECK(m.root().FindHeader("x-empty") != nullptr);
  CHECK(m.root().FindHeader("x-empty")->value.empty());
  CHECK(m.root().FindHeader("missing") == nullptr);
  CHECK(m.HeaderValue("missing").empty());
  const MimeHeader* subject = m.root().FindHeader("SUBJECT");
  REQUIRE(subject != nullptr);
  CHECK(subject->name == "Subject");
  CHECK(subject->raw_value == " =?utf-8?q?caf=C3=A9?=\n  folded");
  CHECK(subject->value == "café  folded");
  CHECK(m.root().headers().size() == 4);
}

TEST_CASE("Quoted-printable: soft breaks join lines, =XX in either case, stray '=' kept",
          "[mime]") {
  auto d = DecodeQuotedPrintable("soft=\r\nbreak and soft with padding= \nnext=3D=3d\r\nend  \n");
  CHECK(d.bytes == "softbreak and soft with paddingnext==\r\nend\n");
  CHECK(d.defects.empty());
  auto stray = DecodeQuotedPrintable("a=b =\n=4");
  CHECK(stray.bytes == "a=b =4");
  CHECK(stray.defects.size() == 1);

  auto m = ParseMessage(
      "Content-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: Quoted-Printable\n\n"
      "Gr=FC=DFe aus K=F6ln, ein sehr langer Satz, der am Zeilenende umgebrochen wer=\n"
      "den muss.\n");
  CHECK(m.root().transfer_encoding() == TransferEncoding::kQuotedPrintable);
  CHECK(m.root().text() ==
        "Grüße aus Köln, ein sehr langer Satz, der am Zeilenende umgebrochen werden muss.\n");
}

TEST_CASE("Base64 skips whitespace and junk, decodes unpadded groups, and says so", "[mime]") {
  auto clean = DecodeBase64("SGVsbG8g\r\nd29ybGQ=\r\n");
  CHECK(clean.bytes == "Hello world");
  CHECK(clean.defects.empty());
  auto junk = DecodeBase64("SGVs*bG8g!\nd2 9y\tbGQ");
  CHECK(junk.bytes == "Hello world");
  CHECK(junk.defects.size() == 2);  // junk characters, missing padding
  auto concatenated = DecodeBase64("SGk=SGk=");
  CHECK(concatenated.bytes == "HiHi");
  auto lone = DecodeBase64("SGVsbG8x=Q");
  CHECK(lone.bytes == "Hello1");
  CHECK_FALSE(lone.defects.empty());

  auto m = ParseMessage(
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: BASE64\n\n"
      "WsO8cmljaCwgw5xiZXJ3ZWlzdW5nIGVyaGFsdGVu\n~~~\nIQ\n");
  CHECK(m.root().text() == "Zürich, Überweisung erhalten!");
  CHECK(HasDefect(m.root(), "base64: characters outside the alphabet"));
}

TEST_CASE("Encoded words in Subject and From: B and Q, split across words, mixed charsets",
          "[mime]") {
  // "Grüße" in UTF-8 with the two bytes of "ü" split across two B words.
  CHECK(DecodeEncodedWords("=?UTF-8?B?R3LD?= =?utf-8?b?vMOfZQ==?=") == "Grüße");
  // Q: '_' is a space; whitespace between adjacent words goes, around plain text it stays.
  CHECK(DecodeEncodedWords("=?iso-8859-1?q?Caf=E9_cr=E8me?=   =?UTF-8?Q?_f=C3=BCr?= alle") ==
        "Café crème für alle");
  CHECK(DecodeEncodedWords("Re: =?ISO-8859-1?Q?J=F6rg?= and =?utf-8?B?8J+Riw==?=!") ==
        "Re: Jörg and 👋!");
  CHECK(DecodeEncodedWords("=?koi8-r?B?8NLJ18XU?=") == "Привет");
  CHECK(DecodeEncodedWords("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=") == "テスト");
  CHECK(DecodeEncodedWords("=?utf-8*en?q?language?=") == "language");
  // Malformed words are left as they are; raw 8-bit text is read as UTF-8.
  CHECK(DecodeEncodedWords("=?utf-8?x?abc?= =?utf-8?q?no end") ==
        "=?utf-8?x?abc?= =?utf-8?q?no end");
  CHECK(DecodeEncodedWords("=?utf-8?q?has space?=") == "=?utf-8?q?has space?=");
  CHECK(DecodeEncodedWords("Zoë \xFF") == "Zoë \xEF\xBF\xBD");
  CHECK(DecodeEncodedWords("=?x-unknown?q?caf=C3=A9?=") == "café");

  auto m = ParseMessage(
      "From: =?ISO-8859-1?Q?Andr=E9?= =?UTF-8?B?IE3DvGxsZXI=?= <andre@example.de>\n"
      "Subject: =?UTF-8?B?w5xiZXJ3ZWlz?=\n =?UTF-8?B?dW5nIOKCrA==?=\n\n");
  CHECK(m.HeaderValue("From") == "André Müller <andre@example.de>");
  CHECK(m.HeaderValue("Subject") == "Überweisung €");
}

TEST_CASE("RFC 2231 file names: charset, language, continuations, and RFC 2047 fallbacks",
          "[mime]") {
  auto extended = ParseContentDisposition("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf");
  CHECK(extended.value.type == "attachment");
  CHECK(extended.value.Parameter("filename") == "€ rates.pdf");
  CHECK(extended.defects.empty());

  auto continued = ParseContentDisposition(
      "attachment;\n filename*0*=iso-8859-1'de'Pr%E4sentation%20;"
      " filename*1=\"Q4 \"; filename*2*=%FCbersicht.pdf; filename=\"fallback.pdf\"");
  CHECK(continued.value.Parameter("filename") == "Präsentation Q4 übersicht.pdf");

  auto gap = ParseContentType("application/pdf; name*0=a; name*2=c");
  CHECK(gap.value.Parameter("name") == "ac");
  CHECK_FALSE(gap.defects.empty());

  auto encoded_word =
      ParseContentType("application/pdf; name=\"=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?=\"");
  CHECK(encoded_word.value.Parameter("name") == "Übersicht.pdf");

  auto m = ParseMessage(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: application/octet-stream; name*=utf-8''%E6%97%A5%E6%9C%AC.txt\n\nx\n"
      "--b\nContent-Type: text/plain\n"
      "Content-Disposition: attachment; filename*0=\"a very long \";\n"
      "  filename*1=\"name.txt\"\n\ny\n--b--\n");
  CHECK(m.root().children().at(0)->FileName() == "日本.txt");
  CHECK(m.root().children().at(1)->FileName() == "a very long name.txt");
}

TEST_CASE("Content-Type parameters survive comments, case, missing ';' and bare boundaries",
          "[mime]") {
  auto ct = ParseContentType(
      "Multipart/Mixed (a comment); BOUNDARY=----=_Part_1_2.3 ; Charset=\"UTF-8\"");
  CHECK(ct.valid);
  CHECK(ct.value.MimeType() == "multipart/mixed");
  CHECK(ct.value.Parameter("boundary") == "----=_Part_1_2.3");
  CHECK(ct.value.Charset() == "UTF-8");
  CHECK(ct.defects.empty());

  auto no_semicolon = ParseContentType("text/plain\n   charset=\"iso-2022-jp\"");
  CHECK(no_semicolon.value.Parameter("charset") == "iso-2022-jp");
  CHECK(no_semicolon.defects.size() == 1);

  auto quoted = ParseContentType("text/plain; name=\"a \\\"b\\\";c\"; x=1");
  CHECK(quoted.value.Parameter("name") == "a \"b\";c");
  CHECK(quoted.value.Parameter("x") == "1");

  auto bad = ParseContentType("texthtml; charset=koi8-r");
  CHECK_FALSE(bad.valid);
  CHECK(bad.value.MimeType() == "text/plain");
  CHECK(bad.value.Charset() == "koi8-r");
  auto empty = ParseContentType("");
  CHECK(empty.value.Charset() == "us-ascii");
}

TEST_CASE("Text parts are converted from common charsets to UTF-8", "[mime]") {
  struct Case {
    const char* charset;
    std::string bytes;
    const char* utf8;
  };
  const Case cases[] = {
      {"iso-8859-1", "K\xF6ln", "Köln"},
      {"ISO-8859-2", "\xA3\xF3\x64\xBC", "Łódź"},
      {"iso-8859-15", "\xA4", "€"},
      {"windows-1252", "\x80 \x93quoted\x94", "€ “quoted”"},
      {"cp1251", "\xCF\xF0\xE8\xE2\xE5\xF2", "Привет"},
      {"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "Привет"},
      {"Shift_JIS", "\x83\x65\x83\x58\x83\x67", "テスト"},
      {"iso-2022-jp", "\x1B$B%F%9%H\x1B(B", "テスト"},
      {"euc-jp", "\xA5\xC6\xA5\xB9\xA5\xC8", "テスト"},
      {"gb2312", "\xC4\xE3\xBA\xC3", "你好"},
      {"GBK", "\xC4\xE3\xBA\xC3", "你好"},
      {"big5", "\xA7\x41\xA6\x6E", "你好"},
      {"euc-kr", "\xBE\xC8\xB3\xE7", "안녕"},
      {"ks_c_5601-1987", "\xBE\xC8\xB3\xE7", "안녕"},
      {"utf-16", std::string("\xFF\xFE\x42\x00\xFC\x00", 6), "Bü"},
      {"UTF-16BE", std::string("\x00\x42\x00\xFC", 4), "Bü"},
      {"unicode-1-1-utf-7", "Hi Mom -+Jjo--!", "Hi Mom -☺-!"},
      {"\"utf-8\"", "caf\xC3\xA9", "café"},
  };
  for (const auto& c : cases) {
    INFO(c.charset);
    CHECK(ConvertToUtf8(c.bytes, c.charset).text == c.utf8);
    auto m = ParseMessage(std::string("Content-Type: text/plain; charset=") + c.charset +
                          "\nContent-Transfer-Encoding: 8bit\n\n" + c.bytes);
    CHECK(m.root().text() == c.utf8);
    CHECK(m.root().defects().empty());
  }
}

TEST_CASE("Invalid bytes become U+FFFD; an unknown charset is read as UTF-8 with a defect",
          "[mime]") {
  auto sjis = ConvertToUtf8("ok\x81", "shift_jis");
  CHECK(sjis.text == "ok\xEF\xBF\xBD");
  CHECK(sjis.replaced_bytes == 1);
  auto utf8 = SanitizeUtf8("a\xC0\xAF b\xED\xA0\x80 c\xE2\x82");
  CHECK(utf8.text ==
        "a\xEF\xBF\xBD\xEF\xBF\xBD b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD c"
        "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(base::IsValidUtf8(utf8.text));

  auto m = ParseMessage("Content-Type: text/plain; charset=x-klingon\n\ncaf\xC3\xA9 \xFF\n");
  CHECK(m.root().text() == "café \xEF\xBF\xBD\n");
  CHECK(HasDefect(m.root(), "unknown charset, read as UTF-8: x-klingon"));
  CHECK(HasDefect(m.root(), "1 bytes invalid"));
  // Names outside the allowlist never reach iconv, even ones it knows.
  CHECK_FALSE(ConvertToUtf8("abc", "IBM037").known_charset);
  CHECK(ConvertToUtf8("abc", "utf-8//TRANSLIT").text == "abc");
}

TEST_CASE("Bare LF messages parse like CRLF ones, and text uses LF either way", "[mime]") {
  std::string lf =
      "Subject: line ends\nContent-Type: multipart/alternative; boundary=x\n\n--x\n"
      "Content-Type: text/plain\n\none\ntwo\n--x--\n";
  auto a = ParseMessage(lf);
  auto b = ParseMessage(ToCrlf(lf));
  CHECK(Types(a.root()) == Types(b.root()));
  CHECK(a.root().children().at(0)->text() == "one\ntwo");
  CHECK(b.root().children().at(0)->text() == "one\ntwo");
  CHECK(b.root().children().at(0)->raw_body() == "one\r\ntwo");
  CHECK(a.HeaderValue("Subject") == b.HeaderValue("Subject"));
  CHECK(DefectCount(a.root()) == 0);
  CHECK(DefectCount(b.root()) == 0);
}

TEST_CASE("A missing close delimiter is tolerated: the last part runs to the end", "[mime]") {
  auto m = ParseMessage(
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nfirst\n"
      "--b   \t\nContent-Type: text/plain\n\nsecond\nand more\n");
  REQUIRE(m.root().children().size() == 2);
  CHECK(m.root().children()[0]->text() == "first");
  CHECK(m.root().children()[1]->text() == "second\nand more\n");
  CHECK(HasDefect(m.root(), "close delimiter missing"));
}

TEST_CASE("A line that only starts with the boundary is not a delimiter", "[mime]") {
  auto m = ParseMessage(
      "Content-Type: multipart/mixed; boundary=\"abc\"\n\n"
      "--abc\n"
      "Content-Type: multipart/alternative; boundary=\"abc-1\"\n\n"
      "--abc-1\nContent-Type: text/plain\n\ninner one\n"
      "--abc-1\nContent-Type: text/plain\n\ninner two\n--abcdef is text\n"
      "--abc-1--\n"
      "--abc\nContent-Type: text/plain\n\nouter two\n"
      "--abc--x\n"
      "--abc--\n");
  CHECK(Types(m.root()) == std::vector<std::string>{"multipart/mixed", "multipart/alternative",
                                                    "text/plain", "text/plain", "text/plain"});
  const MimePart& alt = *m.root().children().at(0);
  CHECK(alt.children().at(1)->text() == "inner two\n--abcdef is text");
  CHECK(m.root().children().at(1)->text() == "outer two\n--abc--x");
  CHECK(DefectCount(m.root()) == 0);
}

TEST_CASE("message/rfc822 parts hold their message as a child", "[mime]") {
  std::string inner =
      "From: =?utf-8?q?J=C3=BCrgen?= <j@example.de>\nSubject: inner\n"
      "Content-Type: multipart/alternative; boundary=i\n\n--i\nContent-Type: text/plain; "
      "charset=utf-8\n\nhallo\n--i\nContent-Type: text/html\n\n<b>hallo</b>\n--i--\n";
  auto m = ParseMessage(
      "Subject: outer\nContent-Type: multipart/mixed; boundary=o\n\n--o\n"
      "Content-Type: text/plain\n\nsee attached\n--o\nContent-Type: message/rfc822\n\n" +
      inner +
      "--o\nContent-Type: message/global\nContent-Transfer-Encoding: base64\n\n"
      "U3ViamVjdDogZ2xvYmFsIMO8CgpoaQo=\n--o--\n");
  CHECK(Types(m.root()) == std::vector<std::string>{"multipart/mixed", "text/plain",
                                                    "message/rfc822", "multipart/alternative",
                                                    "text/plain", "text/html", "message/global",
                                                    "text/plain"});
  const MimePart& rfc822 = *m.root().children().at(1);
  REQUIRE(rfc822.children().size() == 1);
  const MimePart& nested = *rfc822.children()[0];
  CHECK(nested.depth() == 2);
  CHECK(nested.HeaderValue("Subject") == "inner");
  CHECK(nested.HeaderValue("From") == "Jürgen <j@example.de>");
  CHECK(nested.BestText() == "hallo");
  // The line end before the next delimiter belongs to the delimiter.
  CHECK(std::string(rfc822.raw_body()) + "\n" == inner);
  const MimePart& global = *m.root().children().at(2);
  CHECK(global.children().at(0)->HeaderValue("Subject") == "global ü");
  CHECK(global.children().at(0)->text() == "hi\n");
  CHECK(m.HeaderValue("Subject") == "outer");
  CHECK(DefectCount(m.root()) == 0);
}

TEST_CASE("A DSN's delivery-status body splits into its per-message and per-recipient blocks",
          "[mime]") {
  for (const std::string& data : {ReadData("dsn.eml"), ToCrlf(ReadData("dsn.eml"))}) {
    auto m = ParseMessage(data);
    CHECK(m.HeaderValue("Subject") == "Undelivered Mail Returned to Sender");
    CHECK(m.root().content_type().Parameter("report-type") == "delivery-status");
    const MimePart* status = m.FindFirst("message/delivery-status");
    REQUIRE(status != nullptr);
    CHECK(status->children().empty());
    auto blocks = ParseHeaderBlocks(status->decoded_body());
    REQUIRE(blocks.size() == 3);
    REQUIRE(blocks[0].size() == 3);
    CHECK(blocks[0][0].name == "Reporting-MTA");
    CHECK(blocks[0][0].value == "dns; mx.example.net");
    REQUIRE(blocks[1].size() == 6);
    CHECK(blocks[1][0].value == "rfc822; anna@example.org");
    CHECK(blocks[1][5].name == "Diagnostic-Code");
    CHECK(blocks[1][5].value ==
          "smtp; 550 5.1.1 <anna@example.org>: Recipient address    rejected: User unknown in "
          "local recipient table");
    REQUIRE(blocks[2].size() == 4);
    CHECK(blocks[2][1].value == "delayed");
    // The lost indentation of the last line is read as a fold.
    CHECK(blocks[2][3].value ==
          "X-Postfix; connect to mail.example.org[192.0.2.1]:25: Connection timed out");

    const MimePart* original = m.FindFirst("message/rfc822");
    REQUIRE(original != nullptr);
    REQUIRE(original->children().size() == 1);
    CHECK(original->children()[0]->HeaderValue("Subject") == "Q4 Webinar: Costs in €");
    CHECK(original->children()[0]->HeaderValue("From") == "Zoë Müller <sender@example.com>");
    CHECK(original->children()[0]->text() == "Hallo Anna, die Kosten in €.\n");
    CHECK(m.BestText().find("550 5.1.1 User unknown") != std::string::npos);
    CHECK(DefectCount(m.root()) == 0);
  }
}

TEST_CASE("An ARF report's feedback-report body is one block of fields", "[mime]") {
  auto m = ParseMessage(ReadData("arf.eml"));
  const MimePart* report = m.FindFirst("message/feedback-report");
  REQUIRE(report != nullptr);
  auto blocks = ParseHeaderBlocks(report->decoded_body());
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].size() == 7);
  CHECK(blocks[0][0].name == "Feedback-Type");
  CHECK(blocks[0][0].value == "abuse");
  const MimePart* headers = m.FindFirst("text/rfc822-headers");
  REQUIRE(headers != nullptr);
  CHECK(headers->text().find("Message-ID: <q4-webinar-17@example.com>") == 0);
}

TEST_CASE("Header blocks: leading blank lines, text without a name, and no final line end",
          "[mime]") {
  auto blocks = ParseHeaderBlocks("\r\n\r\nintro line\r\nA: 1\r\n \t \r\nB: 2\r\n folded\r\n\r\n");
  REQUIRE(blocks.size() == 2);
  REQUIRE(blocks[0].size() == 2);
  CHECK(blocks[0][0].name.empty());
  CHECK(blocks[0][0].value == "intro line");
  CHECK(blocks[0][1].value == "1");
  CHECK(blocks[1][0].value == "2 folded");
  CHECK(ParseHeaderBlocks("").empty());
  CHECK(ParseHeaderBlocks("\n\n  \n").empty());
  auto last = ParseHeaderBlocks("Action: failed");
  REQUIRE(last.size() == 1);
  CHECK(last[0][0].value == "failed");
}

TEST_CASE("Folds that lost their indentation are joined; body text without a separator is body",
          "[mime]") {
  // As Office 365 returns original messages: DKIM-Signature and Content-Type folds unindented.
  auto m = ParseMessage(
      "DKIM-Signature: v=1; a=rsa-sha256; d=outlook.com;\ns=selector1;\n"
      "h=From:Date:Subject;\nbh=abc=;\nFrom: Anna <anna@example.org>\n"
      "Content-Type: multipart/alternative;\nboundary=\"_000_X_\"\nX-Empty:\nvalue on next line\n\n"
      "--_000_X_\nContent-Type: text/plain\n\nhello\n--_000_X_--\n");
  CHECK(m.HeaderValue("From") == "Anna <anna@example.org>");
  CHECK(m.HeaderValue("Content-Type") == "multipart/alternative; boundary=\"_000_X_\"");
  CHECK(m.HeaderValue("X-Empty") == "value on next line");
  CHECK(m.BestText() == "hello");
  CHECK(HasDefect(m.root(), "joined to the field before it"));

  auto body = ParseMessage(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n"
      "Dear customer, your message could not be delivered.\n\nReason: mailbox full\n--b\n"
      "Reason: only text here\n--b--\n");
  REQUIRE(body.root().children().size() == 2);
  const MimePart& first = *body.root().children()[0];
  CHECK(first.headers().size() == 1);
  CHECK(first.text() ==
        "Dear customer, your message could not be delivered.\n\nReason: mailbox full");
  CHECK(HasDefect(first, "no empty line after the header"));
  // A part whose first line is a field but that has no separator at all: all header.
  CHECK(body.root().children()[1]->HeaderValue("Reason") == "only text here");

  auto no_header = ParseMessage(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n[original message goes here]\n--b--\n");
  const MimePart& part = *no_header.root().children().at(0);
  CHECK(part.headers().empty());
  CHECK(part.text() == "[original message goes here]");
  CHECK(HasDefect(part, "no header"));
}

TEST_CASE("A leading mbox From line is skipped, not taken for a field", "[mime]") {
  auto m = ParseMessage("From MAILER-DAEMON Thu Apr 29 23:34:45 2010\nSubject: x\n\nbody\n");
  CHECK(m.root().headers().size() == 1);
  CHECK(m.HeaderValue("Subject") == "x");
  CHECK(DefectCount(m.root()) == 0);
  // Whitespace before the colon is obsolete syntax for a field, not an mbox line.
  auto obsolete = ParseMessage("From : old@example.com\nSubject : y\n\n");
  CHECK(obsolete.HeaderValue("From") == "old@example.com");
  CHECK(obsolete.HeaderValue("Subject") == "y");
}

TEST_CASE("The best text is the first text/plain, else the HTML with tags stripped", "[mime]") {
  auto html = ParseMessage(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\n\nPNG\n--b\n"
      "Content-Type: text/html; charset=utf-8\n\n"
      "<html><head><title>T</title><style>p{color:red}</style>\n<script>if (a<b) x();</script>"
      "</head><body><p>Sehr&nbsp;geehrte   Frau&#32;M&uuml;ller,</p><p>Ihr  Termin am "
      "<b>3.&#x2009;M&auml;rz</b> &amp; mehr&hellip;<br>Gr&#252;&#xDF;e</p><!-- comment -->"
      "<p>a &lt; b &gt; c</p></body></html>\n--b--\n");
  // Named references beyond the common few stay as written.
  CHECK(html.BestText() ==
        "T\n\nSehr geehrte Frau M&uuml;ller,\n\nIhr Termin am 3.\xE2\x80\x89M&auml;rz & "
        "mehr&hellip;\nGrüße\n\na < b > c");
  auto plain_after_html = ParseMessage(
      "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n"
      "<p>html</p>\n--b\nContent-Type: text/plain\n\nplain\n--b--\n");
  CHECK(plain_after_html.BestText() == "plain");
  CHECK(ParseMessage("Content-Type: image/png\n\nPNG").BestText().empty());
  // A report whose boundary never appears can still be read.
  auto broken = ParseMessage(
      "Content-Type: multipart/report; boundary=\"missing\"\n\n--other\n550 user unknown\n");
  CHECK(broken.root().children().empty());
  CHECK(broken.BestText() == "--other\n550 user unknown\n");
  CHECK(HasDefect(broken.root(), "no delimiter line"));
}

TEST_CASE("Malformed input is read anyway and recorded as defects", "[mime]") {
  struct Case {
    const char* name;
    std::string message;
    const char* defect;
  };
  const Case cases[] = {
      {"no boundary", "Content-Type: multipart/mixed\n\nbody\n", "without a boundary"},
      {"empty boundary", "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
       "without a boundary"},
      {"boundary never used", "Content-Type: multipart/mixed; boundary=x\n\nbody\n",
       "no delimiter line"},
      {"only a close delimiter", "Content-Type: multipart/mixed; boundary=x\n\n--x--\n",
       "multipart without parts"},
      {"encoded multipart",
       "Content-Type: multipart/mixed; boundary=x\nContent-Transfer-Encoding: base64\n\n--x\n\n"
       "a\n--x--\n",
       "the encoding is ignored"},
      {"encoded rfc822",
       "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeAoKeQo=\n",
       "RFC 2046 §5.2.1"},
      {"unknown encoding", "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 x\n",
       "unknown Content-Transfer-Encoding"},
      {"unreadable type", "Content-Type: /plain\n\nx\n", "Content-Type unreadable"},
      {"unterminated quote", "Content-Type: text/plain; charset=\"utf-8\n\nx\n",
       "unterminated quoted string"},
      {"unterminated comment", "Content-Type: text/plain (oops; charset=utf-8\n\nx\n",
       "unterminated comment"},
      {"parameter without value", "Content-Type: text/plain; format; charset=utf-8\n\nx\n",
       "parameter without a value"},
      {"duplicate parameter", "Content-Type: text/plain; charset=utf-8; charset=latin1\n\nx\n",
       "duplicate parameter"},
      {"base64 junk", "Content-Transfer-Encoding: base64\n\nYWJj!!!\n", "outside the alphabet"},
      {"stray = in QP", "Content-Transfer-Encoding: quoted-printable\n\na=zz\n",
       "not followed by two hex digits"},
      {"invalid UTF-8", "Content-Type: text/plain; charset=utf-8\n\n\xC3\x28\n", "U+FFFD"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto m = ParseMessage(c.message);
    CHECK(AnyDefect(m.root(), c.defect));
  }
  // The rfc822 part was decoded despite the defect.
  auto m = ParseMessage(cases[5].message);
  CHECK(m.root().children().at(0)->HeaderValue("Subject") == "x");
}

TEST_CASE("Nesting deeper than max_depth stays an unparsed body with a defect", "[mime]") {
  std::string deep;
  for (int i = 0; i < 10; ++i) deep += "Content-Type: message/rfc822\n\n";
  deep += "Subject: bottom\n\ntext\n";
  ParseOptions options;
  options.max_depth = 4;
  auto m = ParseMessage(deep, options);
  auto parts = m.root().Walk();
  CHECK(parts.size() == 5);
  CHECK(parts.back()->depth() == 4);
  CHECK(parts.back()->children().empty());
  CHECK(HasDefect(*parts.back(), "nested deeper than 4 levels"));
  CHECK(parts.back()->raw_body().find("Subject: bottom") != std::string_view::npos);
  CHECK(ParseMessage(deep).root().Walk().back()->HeaderValue("Subject") == "bottom");
}

TEST_CASE("No more than max_parts parts and max_header_fields fields are created", "[mime]") {
  std::string many = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 50; ++i) many += "--b\nX-N: " + std::to_string(i) + "\n\npart\n";
  many += "--b--\n";
  ParseOptions options;
  options.max_parts = 10;
  auto m = ParseMessage(many, options);
  CHECK(m.part_count() == 10);
  CHECK(m.root().children().size() == 9);
  CHECK(HasDefect(m.root(), "more than 10 parts"));
  CHECK_FALSE(HasDefect(m.root(), "close delimiter missing"));

  options = {};
  options.max_header_fields = 20;
  auto fields = ParseMessage(many, options);
  std::size_t total = 0;
  for (const MimePart* p : fields.root().Walk()) total += p->headers().size();
  CHECK(total == 20);
  CHECK(AnyDefect(fields.root(), "too many header fields"));
}

TEST_CASE("A parsed message owns its data: moving it and dropping the input keep views valid",
          "[mime]") {
  std::string input = "A: b\n\nc";  // short enough for the small-string buffer
  ParsedMessage m = ParseMessage(input);
  input.assign(input.size(), 'x');
  ParsedMessage moved = std::move(m);
  CHECK(moved.root().FindHeader("a")->raw_value == " b");
  CHECK(moved.root().raw_body() == "c");
  ParsedMessage other = ParseMessage("");
  other = std::move(moved);
  CHECK(other.root().raw_body() == "c");
  CHECK(other.HeaderValue("A") == "b");
}

TEST_CASE("Transfer encodings are read case-insensitively, with comments and quotes", "[mime]") {
  CHECK(ParseTransferEncoding("") == TransferEncoding::k7bit);
  CHECK(ParseTransferEncoding(" 7BIT ") == TransferEncoding::k7bit);
  CHECK(ParseTransferEncoding("8bit") == TransferEncoding::k8bit);
  CHECK(ParseTransferEncoding("Binary") == TransferEncoding::kBinary);
  CHECK(ParseTransferEncoding("\"base64\"") == TransferEncoding::kBase64);
  CHECK(ParseTransferEncoding("quoted-printable (by X)") == TransferEncoding::kQuotedPrintable);
  CHECK(ParseTransferEncoding("x-uuencode") == TransferEncoding::kUnknown);
  CHECK(ToString(TransferEncoding::kQuotedPrintable) == "quoted-printable");
  CHECK(IsIdentity(TransferEncoding::kUnknown));
  CHECK_FALSE(IsIdentity(TransferEncoding::kBase64));
}
