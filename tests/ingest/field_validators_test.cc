#include "b2bmail/ingest/field_validators.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/error.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::ingest;

TEST_CASE("emails: one '@', a local part, a dotted domain, RFC 5321 lengths", "[ingest]") {
  CHECK(CheckEmail("Anna.Weber@Bergmann-Antriebe.DE").value == "Anna.Weber@bergmann-antriebe.de");
  CHECK(CheckEmail("o'brien+news@sub.example.co.uk").ok());
  CHECK(CheckEmail("zoë@example.de").ok());  // RFC 6531 local part
  CHECK(CheckEmail("no-at.example.de").problem == "has no '@'");
  CHECK(CheckEmail("a@b@example.de").problem == "contains more than one '@'");
  CHECK(CheckEmail("@example.de").problem == "has nothing before the '@'");
  CHECK(CheckEmail("anna@").problem == "has nothing after the '@'");
  CHECK(CheckEmail("anna@localhost").problem.find("has no '.'") != std::string::npos);
  CHECK(CheckEmail("anna weber@example.de").problem == "contains a space");
  CHECK(CheckEmail("anna\t@example.de").problem == "contains a control character");
  CHECK(CheckEmail("anna..weber@example.de").problem.find("misplaced '.'") != std::string::npos);
  CHECK(CheckEmail(".anna@example.de").problem.find("misplaced '.'") != std::string::npos);
  CHECK(CheckEmail("anna;bob@example.de").problem.find("';'") != std::string::npos);
  CHECK(CheckEmail("anna@exa_mple.de").problem.find("'_' is not allowed") != std::string::npos);
  CHECK(CheckEmail("anna@example.de.").problem == "ends with '.'");
  CHECK(CheckEmail(std::string(64, 'a') + "@example.de").ok());
  CHECK(CheckEmail(std::string(65, 'a') + "@example.de").problem.find("64") != std::string::npos);
  std::string long_domain;
  for (int i = 0; i < 5; ++i) long_domain += std::string(49, 'd') + ".";
  long_domain += "dex";  // 253 octets, the most a domain may have
  CHECK(CheckEmail("a@" + long_domain).problem.find("254") != std::string::npos);
}

TEST_CASE("domains: DNS labels, lower-cased, punycode only, lists split on ';'", "[ingest]") {
  CHECK(CheckDomain("Sonnfeld-Chemie.DE").value == "sonnfeld-chemie.de");
  CHECK(CheckDomain("example.com.").value == "example.com");
  CHECK(CheckDomain("xn--mller-kva.de").ok());
  CHECK(CheckDomain("müller.de").problem.find("punycode") != std::string::npos);
  CHECK(CheckDomain("-bad.de").problem.find("starts or ends with '-'") != std::string::npos);
  CHECK(CheckDomain("a..de").problem.find("empty label") != std::string::npos);
  CHECK(CheckDomain("10.0.0.1").problem.find("numeric") != std::string::npos);
  CHECK(CheckDomain(std::string(64, 'a') + ".de").problem.find("63") != std::string::npos);
  CHECK(CheckDomain("https://example.com").problem.find("':'") != std::string::npos);

  auto list = CheckDomainList(" a.de ; B.com;;a.de ");
  REQUIRE(list.ok());
  CHECK(list.value == std::vector<std::string>{"a.de", "b.com"});
  CHECK(CheckDomainList("a.de;b..com").problem ==
        "has 'b..com', which is not a domain name "
        "(it has an empty label)");
}

TEST_CASE("countries: the assigned ISO 3166-1 alpha-2 codes, any case", "[ingest]") {
  CHECK(CheckCountry("de").value == "DE");
  CHECK(CheckCountry("Vn").value == "VN");
  CHECK(CheckCountry("AX").ok());
  CHECK(CheckCountry("ZW").ok());
  CHECK(!CheckCountry("XX").ok());
  CHECK(!CheckCountry("AA").ok());  // user-assigned, not a country
  CHECK(!CheckCountry("D").ok());
  CHECK(CheckCountry("UK").problem.find("GB") != std::string::npos);
  CHECK(CheckCountry("DEU").problem.find("two-letter") != std::string::npos);
}

TEST_CASE("time zones: IANA names from the tz database, no path tricks", "[ingest]") {
  CHECK(CheckTimezone("Europe/Berlin").value == "Europe/Berlin");
  CHECK(CheckTimezone("europe/berlin").value == "Europe/Berlin");
  CHECK(CheckTimezone("America/Argentina/Buenos_Aires").ok());
  CHECK(CheckTimezone("UTC").ok());
  CHECK(CheckTimezone("Etc/GMT+2").ok());
  CHECK(!CheckTimezone("Europe/Atlantis").ok());
  CHECK(!CheckTimezone("Mars/Olympus_Mons").ok());
  for (const char* trick : {"../../etc/passwd", "/etc/passwd", "Europe/../Europe/Berlin",
                            "Europe//Berlin", "Europe/Berlin/", ".", "..", "zone.tab", "tzdata.zi",
                            "posixrules", "localtime", "Europe/Berlin\n", "Europe/ Berlin", ""})
    CHECK_FALSE(CheckTimezone(trick).ok());
}

TEST_CASE("time zones: without tzdata.zi the files are checked by their TZif magic", "[ingest]") {
  testing::TempDir dir;
  dir.Write("Europe/Berlin", "TZif2 rest of the file");
  dir.Write("zone.tab", "# not a zone");
  CHECK(CheckTimezoneIn("Europe/Berlin", dir.path().string()).ok());
  CHECK(!CheckTimezoneIn("zone.tab", dir.path().string()).ok());
  CHECK(!CheckTimezoneIn("Europe/Paris", dir.path().string()).ok());
  CHECK(!CheckTimezoneIn("../" + dir.path().filename().string() + "/Europe/Berlin",
                         dir.path().string())
             .ok());
  try {
    CheckTimezoneIn("Europe/Berlin", dir.File("missing"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kConfig);
    CHECK_THAT(e.what(), Catch::Contains("tzdata"));
  }
}

TEST_CASE("languages: BCP 47 shape, conventional case", "[ingest]") {
  CHECK(CheckLanguage("de").value == "de");
  CHECK(CheckLanguage("DE-de").value == "de-DE");
  CHECK(CheckLanguage("zh-hant-tw").value == "zh-Hant-TW");
  CHECK(CheckLanguage("es-419").value == "es-419");
  CHECK(CheckLanguage("sl-rozaj-biske").ok());
  CHECK(CheckLanguage("de-DE-u-co-phonebk").ok());
  CHECK(CheckLanguage("x-private").ok());
  CHECK(CheckLanguage("en-GB-x-acme").ok());
  CHECK(CheckLanguage("de_DE").problem.find("'-'") != std::string::npos);
  CHECK(CheckLanguage("german").ok());  // 5-8 letters: the registered-language shape
  CHECK(!CheckLanguage("d").ok());
  CHECK(!CheckLanguage("1de").ok());
  CHECK(!CheckLanguage("de-").ok());
  CHECK(!CheckLanguage("de-DE-DE").ok());
  CHECK(!CheckLanguage("de-u").ok());
  CHECK(!CheckLanguage("de-u-co-u-nu").ok());
  CHECK(!CheckLanguage("en-toolongsubtag").ok());
  CHECK(!CheckLanguage("x").ok());
}

TEST_CASE("numbers, amounts, booleans, URLs, enums", "[ingest]") {
  CHECK(CheckNonNegativeInteger("1200").value == 1200);
  CHECK(CheckNonNegativeInteger("0").ok());
  CHECK(!CheckNonNegativeInteger("-5").ok());
  CHECK(!CheckNonNegativeInteger("1,200").ok());
  CHECK(!CheckNonNegativeInteger("12.0").ok());
  CHECK(CheckNonNegativeInteger("99999999999999999999").problem == "is too large");

  CHECK(CheckAmount("27950.00").value == 27950.0);
  CHECK(CheckAmount("0").ok());
  CHECK(!CheckAmount("-1").ok());
  CHECK(!CheckAmount("1.").ok());
  CHECK(!CheckAmount("1e3").ok());
  CHECK(CheckAmount("12,50").problem.find("decimal separator") != std::string::npos);

  for (const char* t : {"true", "TRUE", "1", "yes", "Yes"}) CHECK(CheckBool(t).value);
  for (const char* f : {"false", "0", "no", "NO", ""}) {
    CHECK(CheckBool(f).ok());
    CHECK_FALSE(CheckBool(f).value);
  }
  CHECK(!CheckBool("y").ok());

  CHECK(CheckUrl("https://lumetra.example/a?b=c").ok());
  CHECK(CheckUrl("HTTP://x.example").ok());
  CHECK(!CheckUrl("ftp://x.example").ok());
  CHECK(!CheckUrl("https://").ok());
  CHECK(!CheckUrl("https:///path").ok());
  CHECK(!CheckUrl("https://x.example/a b").ok());

  CHECK(CheckEnum<model::Seniority>("C_Level").value == model::Seniority::kCLevel);
  CHECK(CheckEnum<model::Seniority>("cxo").problem ==
        "is not one of c_level, vp, director, manager, senior, entry");
}

TEST_CASE("event details depend on the event type", "[ingest]") {
  using model::EventType;
  CHECK(CheckEventDetail(EventType::kBounced, "HARD").value == "hard");
  CHECK(CheckEventDetail(EventType::kBounced, "soft").ok());
  CHECK(CheckEventDetail(EventType::kBounced, "").problem ==
        "is required for bounced events (one of hard, soft)");
  CHECK(CheckEventDetail(EventType::kBounced, "blocked").problem ==
        "is not one of hard, soft for bounced events");
  // b2bmail's own details carry the failure category (issue 8).
  CHECK(CheckEventDetail(EventType::kBounced, "Hard:Bad-Mailbox").value == "hard:bad-mailbox");
  CHECK(CheckEventDetail(EventType::kBounced, "soft:policy-or-spam-block").ok());
  CHECK(CheckEventDetail(EventType::kBounced, "blocked:x").problem ==
        "is not one of hard, soft for bounced events");
  CHECK(!CheckEventDetail(EventType::kBounced, "hard:").ok());
  CHECK(!CheckEventDetail(EventType::kBounced, "hard:bad mailbox").ok());
  CHECK(CheckEventDetail(EventType::kConverted, "mql").ok());
  CHECK(!CheckEventDetail(EventType::kConverted, "purchase").ok());
  CHECK(!CheckEventDetail(EventType::kConverted, "").ok());
  CHECK(CheckEventDetail(EventType::kClicked, "https://x.example/p").ok());
  CHECK(CheckEventDetail(EventType::kClicked, "").ok());
  CHECK(!CheckEventDetail(EventType::kClicked, "not a url").ok());
  CHECK(CheckEventDetail(EventType::kOpened, "").ok());
  CHECK(CheckEventDetail(EventType::kOpened, "x").problem.find("not allowed for opened") !=
        std::string::npos);
}

TEST_CASE("values in messages are quoted, escaped and cut", "[ingest]") {
  CHECK(QuoteForMessage("cxo") == "'cxo'");
  CHECK(QuoteForMessage("a\nb\x01") == "'a\\nb\\x01'");
  std::string long_value(100, 'x');
  CHECK(QuoteForMessage(long_value) == "'" + std::string(80, 'x') + "...'");
  std::string umlauts;
  for (int i = 0; i < 50; ++i) umlauts += "ü";
  auto q = QuoteForMessage(umlauts);
  CHECK(q.size() == 1 + 80 + 3 + 1);  // cut between two-byte characters
}
