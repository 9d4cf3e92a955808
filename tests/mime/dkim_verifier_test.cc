// The DKIM verifier against our own signer and against an independent one (python3-dkim,
// tests/support/sign_dkim.py), with keys from key files and from a real DNS server on
// loopback (tests/support/dns_server.py) through the system resolver library.
#include "b2bmail/mime/dkim_verifier.h"

#include <catch2/catch.hpp>
#include <cctype>

#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/dkim_key_file.h"
#include "b2bmail/mime/dkim_tag_list.h"
#include "b2bmail/mime/dns_dkim_key_lookup.h"
#include "support/child_process.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "test_keys.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

const std::string kSource = B2BMAIL_SOURCE_DIR;
const base::TimePoint kNow = *base::ParseIso8601("2026-11-23T10:00:00Z");
const long long kNowSeconds = kNow.time_since_epoch().count();

// The binary's test keys (test_keys.h), also on disk for the Python signer.
struct Keys {
  testing::TempDir dir;
  std::string rsa_pem = testing::TheTestKeys().rsa_pem;
  std::string ed_pem = testing::TheTestKeys().ed_pem;
  std::string rsa_file = dir.Write("rsa.pem", rsa_pem);
  std::string ed_file = dir.Write("ed.pem", ed_pem);
  DkimKey Rsa() const {
    return DkimKey::FromPem("lumetra.example", "rsa2026", DkimAlgorithm::kRsaSha256, rsa_pem,
                            "rsa");
  }
  DkimKey Ed() const {
    return DkimKey::FromPem("lumetra.example", "ed2026", DkimAlgorithm::kEd25519Sha256, ed_pem,
                            "ed");
  }
  // Both public records, as a key file in zone-file form.
  std::string KeyFileText() const {
    return "rsa2026._domainkey.lumetra.example. TXT \"" + Rsa().DnsRecord() +
           "\"\ned2026._domainkey.lumetra.example. TXT \"" + Ed().DnsRecord() + "\"\n";
  }
};
const Keys& TheKeys() {
  static const Keys keys;
  return keys;
}

DkimKeyFile KeyFile(const std::string& text) {
  auto parsed = DkimKeyFile::Parse(text, "keys.txt");
  for (const auto& d : parsed.diagnostics.items()) INFO(d.Format());
  REQUIRE_FALSE(parsed.diagnostics.HasErrors());
  return std::move(parsed.keys);
}

// One line per signature, "<status> <selector>[: <reason>]", for readable comparisons.
std::string Summary(const std::vector<DkimSignatureResult>& results) {
  std::string out;
  for (const auto& r : results) {
    out += std::string(ToString(r.status)) + " " + r.selector;
    if (!r.reason.empty()) out += ": " + r.reason;
    out += "\n";
  }
  return out;
}

std::string VerifyWith(const std::string& key_file_text, const std::string& message,
                       base::TimePoint now = kNow) {
  DkimKeyFile keys = KeyFile(key_file_text);
  return Summary(DkimVerifier(keys).Verify(message, now));
}

std::string Verify(const std::string& message, base::TimePoint now = kNow) {
  return VerifyWith(TheKeys().KeyFileText(), message, now);
}

std::string SignBoth(const std::string& message) {
  std::vector<DkimKey> keys;
  keys.push_back(TheKeys().Rsa());
  keys.push_back(TheKeys().Ed());
  return DkimSigner(std::move(keys), DefaultSignedHeaders()).Sign(message, kNow);
}

// Signs with python3-dkim; `options` are sign_dkim.py's (--canon, --algorithm, ...).
std::string PySign(const std::string& message, const std::string& key_file,
                   const std::string& selector, const std::string& options) {
  testing::TempDir dir;
  auto file = dir.Write("m.eml", message);
  auto r = testing::RunCommand("/usr/bin/python3 " + kSource + "/tests/support/sign_dkim.py " +
                               testing::ShellQuote(file) + " " + testing::ShellQuote(key_file) +
                               " lumetra.example " + selector + " --time " +
                               std::to_string(kNowSeconds) + " " + options);
  INFO(options);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.output.starts_with("DKIM-Signature: "));
  return r.output;
}

std::string PySignRsa(const std::string& message, const std::string& options) {
  return PySign(message, TheKeys().rsa_file, "rsa2026", options);
}
std::string PySignEd(const std::string& message, const std::string& options) {
  return PySign(message, TheKeys().ed_file, "ed2026", "--algorithm ed25519-sha256 " + options);
}

// Replaces the first `from` after `after` with `to`; the text must be there.
std::string Replace(std::string s, const std::string& from, const std::string& to,
                    std::size_t after = 0) {
  std::size_t pos = s.find(from, after);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

// Changes one base64 character `offset` characters into the value of `tag` ("b=" or
// "bh=") of the first DKIM-Signature, keeping the value valid base64.
std::string FlipBase64(std::string message, const std::string& tag, std::size_t offset) {
  std::size_t pos = message.find("bh=");
  REQUIRE(pos != std::string::npos);
  if (tag == "bh=") {
    pos += 3;
  } else {
    // The b= tag, not a "b=" at the end of the bh= value.
    do pos = message.find("b=", pos + 1);
    while (pos != std::string::npos && message[pos - 1] != ' ' && message[pos - 1] != '\t');
    REQUIRE(pos != std::string::npos);
    pos += 2;
  }
  pos += offset;
  while (!std::isalnum(static_cast<unsigned char>(message[pos]))) ++pos;  // folding
  char& c = message[pos];
  c = c == 'A' ? 'B' : 'A';
  return message;
}

const std::string& kHeaders = testing::kSignedHeaderBlock;

const std::string kBothPass = "pass rsa2026\npass ed2026\n";

// Whitespace where simple and relaxed canonicalization differ: in and around header
// values, folding, trailing spaces and tabs, and empty lines at the end of the body.
const std::string kUntidy =
    "From: Lumetra Events <events@lumetra.example>\r\n"
    "To:   joerg@acme.example  \r\n"
    "Subject: Webinar\t  am   Dienstag\r\n"
    "X-Long: " +
    std::string(60, 'a') + "\r\n\t " + std::string(60, 'b') +
    "\r\n"
    "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <py1@lumetra.example>\r\n"
    "\r\n"
    "Hallo  Jörg, \t\r\n"
    "\r\n"
    "  bis   bald.  \r\n"
    "\r\n"
    "\r\n";

const char* kPyHeaders = "--headers from:to:subject:x-long:date:message-id:from";

}  // namespace

TEST_CASE("simple body canonicalization and CRLF conversion follow RFC 6376 §3.4.3",
          "[mime][dkim]") {
  CHECK(SimpleBody("") == "\r\n");
  CHECK(SimpleBody("\r\n\r\n\r\n") == "\r\n");
  CHECK(SimpleBody("a  \r\n\r\n") == "a  \r\n");
  CHECK(SimpleBody("no line end") == "no line end\r\n");
  CHECK(SimpleBody(" C \r\nD \t E\r\n\r\n\r\n") == " C \r\nD \t E\r\n");
  CHECK(WithCrlfLineEnds("a\nb\r\nc\n\n") == "a\r\nb\r\nc\r\n\r\n");
  CHECK(WithCrlfLineEnds("\n") == "\r\n");
}

TEST_CASE("DKIM tag lists keep values, their offsets, and reject what RFC 6376 §3.2 forbids",
          "[mime][dkim]") {
  std::string text = " v=1; a = rsa-sha256;\r\n\tb= AB\r\n\t CD ;";
  auto list = ParseDkimTagList(text);
  REQUIRE(list.ok());
  REQUIRE(list.tags.size() == 3);
  CHECK(list.Find("a")->value == "rsa-sha256");
  const DkimTag* b = list.Find("b");
  CHECK(b->value == "AB\r\n\t CD");
  CHECK(text.substr(b->value_begin, b->value_end - b->value_begin) == " AB\r\n\t CD ");
  CHECK(list.Find("B") == nullptr);  // names are case-sensitive
  CHECK(ParseDkimTagList("").ok());
  CHECK(ParseDkimTagList("v=DKIM1; p=").Find("p")->value.empty());
  CHECK(ParseDkimTagList("a=1; a=2").error == "tag a= appears twice");
  CHECK(ParseDkimTagList("a=1;; b=2").error.starts_with("empty tag"));
  CHECK(ParseDkimTagList("a=1; junk").error == "'junk' is not tag=value");
  CHECK(ParseDkimTagList("1a=x").error == "invalid tag name '1a'");
  CHECK(SplitDkimColonList(" From : to:\r\n subject ") ==
        std::vector<std::string>{"From", "to", "subject"});
  CHECK(SplitDkimColonList("  ").empty());
}

TEST_CASE("our rsa-sha256 and ed25519-sha256 signatures pass our verifier", "[mime][dkim]") {
  for (const auto& [name, body] : b2bmail::testing::kSignedBodies) {
    INFO(name);
    CHECK(Verify(SignBoth(kHeaders + "\r\n" + body)) == kBothPass);
  }
  std::string folded =
      Replace(kHeaders, "Subject: ",
              "X-Long: " + std::string(70, 'a') + "\r\n " + std::string(70, 'b') + "\r\nSubject: ");
  CHECK(Verify(SignBoth(folded + "\r\nbody\r\n")) == kBothPass);

  DkimKeyFile keys = KeyFile(TheKeys().KeyFileText());
  auto results = DkimVerifier(keys).Verify(SignBoth(kHeaders + "\r\nx\r\n"), kNow);
  REQUIRE(results.size() == 2);
  CHECK(results[0].domain == "lumetra.example");
  CHECK(results[0].algorithm == "rsa-sha256");
  CHECK(results[0].identity == "@lumetra.example");
  CHECK(results[1].selector == "ed2026");
  CHECK(results[1].algorithm == "ed25519-sha256");
  CHECK(results[1].reason.empty());
}

TEST_CASE("a file with bare LF line ends is read as CRLF and passes", "[mime][dkim]") {
  std::string signed_message = SignBoth(kHeaders + "\r\nHello,\r\n  bye.  \r\n");
  std::string lf;
  for (char c : signed_message)
    if (c != '\r') lf += c;
  REQUIRE(lf.find('\r') == std::string::npos);
  CHECK(Verify(lf) == kBothPass);
  // Also for simple canonicalization, which sees every byte.
  std::string py = PySignRsa(kUntidy, std::string("--canon simple/simple ") + kPyHeaders);
  std::string py_lf;
  for (char c : py)
    if (c != '\r') py_lf += c;
  CHECK(Verify(py_lf) == "pass rsa2026\n");
}

TEST_CASE("a message changed after signing fails with the reason", "[mime][dkim]") {
  std::string good = SignBoth(kHeaders + "\r\nPay invoice 1234.\r\n");
  REQUIRE(Verify(good) == kBothPass);

  std::size_t body = good.find("\r\n\r\n");
  CHECK(Verify(Replace(good, "1234", "9999", body)) ==
        "fail rsa2026: body hash mismatch\nfail ed2026: body hash mismatch\n");
  CHECK(Verify(Replace(good, "Subject: ", "Subject:  X")) ==
        "fail rsa2026: signature does not verify\nfail ed2026: signature does not verify\n");
  // The b= and bh= of the first (rsa) signature; the second is untouched.
  CHECK(Verify(FlipBase64(good, "b=", 40)) ==
        "fail rsa2026: signature does not verify\npass ed2026\n");
  CHECK(Verify(FlipBase64(good, "bh=", 10)) == "fail rsa2026: body hash mismatch\npass ed2026\n");
  // From is over-signed: a second From on top breaks both signatures, and says why.
  CHECK(Verify("From: ceo@evil.example\r\n" + good) ==
        "fail rsa2026: signature does not verify (2 From fields: one was added after signing)\n"
        "fail ed2026: signature does not verify (2 From fields: one was added after signing)\n");
  // A field that is not signed may change.
  CHECK(Verify("Received: from relay.example\r\n" + good) == kBothPass);
}

TEST_CASE("a second From fails even when the signer did not over-sign From", "[mime][dkim]") {
  std::string signed_message =
      PySignRsa(kUntidy, "--headers from:to:subject:date:message-id --canon relaxed/relaxed");
  REQUIRE(Verify(signed_message) == "pass rsa2026\n");
  // Bottom-up selection picks the original From, so the signature itself still verifies.
  CHECK(Verify("From: ceo@evil.example\r\n" + signed_message) ==
        "fail rsa2026: 2 From fields: the signed one may not be the one readers see\n");
}

TEST_CASE("wrong, missing, revoked and mismatched keys do not pass", "[mime][dkim]") {
  std::string good = SignBoth(kHeaders + "\r\nbody\r\n");
  std::string other_rsa =
      DkimKey::FromPem("x", "y", DkimAlgorithm::kRsaSha256,
                       GenerateDkimPrivateKey(DkimAlgorithm::kRsaSha256), "other")
          .DnsRecord();
  std::string ed = "ed2026._domainkey.lumetra.example TXT \"" + TheKeys().Ed().DnsRecord() + "\"\n";
  auto with_rsa = [&](const std::string& record) {
    return VerifyWith("rsa2026._domainkey.lumetra.example TXT \"" + record + "\"\n" + ed, good);
  };
  CHECK(with_rsa(other_rsa) == "fail rsa2026: signature does not verify\npass ed2026\n");
  CHECK(with_rsa("v=DKIM1; k=rsa; p=") ==
        "fail rsa2026: key revoked (empty p= at rsa2026._domainkey.lumetra.example)\n"
        "pass ed2026\n");
  CHECK(with_rsa(TheKeys().Ed().DnsRecord()) ==
        "permerror rsa2026: key record at rsa2026._domainkey.lumetra.example is k=ed25519, not "
        "for a=rsa-sha256\npass ed2026\n");
  CHECK(with_rsa("v=DKIM1; h=sha1; k=rsa; " + other_rsa.substr(other_rsa.find("p="))) ==
        "permerror rsa2026: key record at rsa2026._domainkey.lumetra.example does not allow "
        "sha256 (h=)\npass ed2026\n");
  CHECK(with_rsa("v=DKIM2; p=AAAA") ==
        "permerror rsa2026: key record at rsa2026._domainkey.lumetra.example: v=DKIM2 is not "
        "DKIM1\npass ed2026\n");
  CHECK(with_rsa("v=DKIM1; k=rsa; p=bm90IGEga2V5") ==
        "permerror rsa2026: key record at rsa2026._domainkey.lumetra.example: p= is not an RSA "
        "public key\npass ed2026\n");
  // The same record with FWS in p= and the service and flag tags still works.
  std::string rsa = TheKeys().Rsa().DnsRecord();
  std::string base64 = rsa.substr(rsa.find("p=") + 2);
  CHECK(with_rsa("v=DKIM1; k=rsa; s=email; t=y; h=sha256; p=" + base64.substr(0, 40) + " " +
                 base64.substr(40)) == kBothPass);
  CHECK(VerifyWith(ed, good) ==
        "key-not-found rsa2026: no record for rsa2026._domainkey.lumetra.example in keys.txt\n"
        "pass ed2026\n");
}

TEST_CASE("x= in the past fails, x= not after t= is a permerror, t= in the future fails",
          "[mime][dkim]") {
  std::string message = kHeaders + "\r\nbody\r\n";
  std::string expires = std::to_string(kNowSeconds + 3600);
  std::string signed_message = PySignEd(message, "--expire " + expires);
  REQUIRE(signed_message.find("x=" + expires) != std::string::npos);
  CHECK(Verify(signed_message, kNow + std::chrono::minutes(59)) == "pass ed2026\n");
  CHECK(Verify(signed_message, kNow + std::chrono::minutes(61)) ==
        "fail ed2026: signature expired at 2026-11-23T11:00:00Z\n");
  CHECK(Verify(PySignEd(message, "--expire " + std::to_string(kNowSeconds - 1))) ==
        "permerror ed2026: x= (2026-11-23T09:59:59Z) is not after t= (2026-11-23T10:00:00Z)\n");
  // Five minutes of clock skew are forgiven, not more.
  CHECK(Verify(signed_message, kNow - std::chrono::minutes(4)) == "pass ed2026\n");
  CHECK(Verify(signed_message, kNow - std::chrono::minutes(6)) ==
        "fail ed2026: t= (2026-11-23T10:00:00Z) lies in the future\n");
}

TEST_CASE("rsa-sha1 and RSA keys under 1024 bits are refused (RFC 8301)", "[mime][dkim]") {
  std::string message = kHeaders + "\r\nbody\r\n";
  CHECK(Verify(PySignRsa(message, "--algorithm rsa-sha1")) ==
        "fail rsa2026: rsa-sha1 is refused: SHA-1 signatures are not valid (RFC 8301)\n");

  testing::TempDir dir;
  auto key = dir.File("short.pem");
  REQUIRE(testing::RunCommand("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out " +
                              key + " 2>/dev/null")
              .exit_code == 0);
  auto p = testing::RunCommand("openssl pkey -in " + key + " -pubout -outform DER | base64 -w0");
  REQUIRE(p.exit_code == 0);
  std::string signed_message = PySign(message, key, "short", "");
  CHECK(VerifyWith("short._domainkey.lumetra.example TXT \"v=DKIM1; k=rsa; p=" + p.output + "\"",
                   signed_message) ==
        "fail short: RSA key of 512 bits is too short (RFC 8301: 1024 or more)\n");
}

TEST_CASE("messages signed by python3-dkim pass in every canonicalization", "[mime][dkim]") {
  for (const char* canon :
       {"simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed"}) {
    INFO(canon);
    std::string options = std::string("--canon ") + canon + " " + kPyHeaders;
    std::string both = PySignEd(PySignRsa(kUntidy, options), options);
    CHECK(Verify(both) == "pass ed2026\npass rsa2026\n");
    // dkimpy's default header list and its own folding of the signature too.
    CHECK(Verify(PySignRsa(kUntidy, std::string("--canon ") + canon)) == "pass rsa2026\n");
  }
  for (const auto& body : {std::string(), std::string("no final line end")}) {
    std::string m = kHeaders + "\r\n" + body;
    CHECK(Verify(PySignRsa(m, "--canon simple/simple")) == "pass rsa2026\n");
    CHECK(Verify(PySignEd(m, "--canon relaxed/relaxed")) == "pass ed2026\n");
  }
}

TEST_CASE("whitespace changes break simple canonicalization only; content changes break both",
          "[mime][dkim]") {
  std::string simple = PySignRsa(kUntidy, std::string("--canon simple/simple ") + kPyHeaders);
  std::string relaxed = PySignRsa(kUntidy, std::string("--canon relaxed/relaxed ") + kPyHeaders);
  auto respaced_header = [](std::string m) {
    return Replace(m, "Subject: Webinar\t  am", "Subject:  Webinar am");
  };
  auto respaced_body = [](std::string m) { return Replace(m, "Hallo  Jörg, \t", "Hallo Jörg,"); };
  CHECK(Verify(respaced_header(simple)) == "fail rsa2026: signature does not verify\n");
  CHECK(Verify(respaced_header(relaxed)) == "pass rsa2026\n");
  CHECK(Verify(respaced_body(simple)) == "fail rsa2026: body hash mismatch\n");
  CHECK(Verify(respaced_body(relaxed)) == "pass rsa2026\n");
  // Refolding a header is a whitespace change too.
  CHECK(Verify(Replace(simple, "\r\n\t " + std::string(60, 'b'), " " + std::string(60, 'b'))) ==
        "fail rsa2026: signature does not verify\n");
  CHECK(Verify(Replace(relaxed, "bis   bald", "bis   morgen")) ==
        "fail rsa2026: body hash mismatch\n");
  CHECK(Verify(Replace(relaxed, "Subject: Webinar", "Subject: Seminar")) ==
        "fail rsa2026: signature does not verify\n");
}

TEST_CASE("a signature with l= fails even when it verifies", "[mime][dkim]") {
  std::string signed_message = PySignRsa(kUntidy, "--canon relaxed/relaxed --length");
  REQUIRE(signed_message.find(" l=") != std::string::npos);
  CHECK(Verify(signed_message) ==
        "fail rsa2026: l= tag present: the body is signed in full today, but anything appended "
        "to it later would still pass\n");
  // Appended content: the signed part still verifies, and the result says how much is not.
  std::string appended = signed_message + "Click https://evil.example/ now\r\n";
  CHECK(Verify(appended).starts_with("fail rsa2026: l= tag present: only "));
  CHECK(Verify(appended).find(" canonical body bytes are signed") != std::string::npos);
  // A body cut shorter than l= fails.
  std::string cut = Replace(signed_message, "  bis   bald.  \r\n", "");
  CHECK(Verify(cut).find("is longer than the body") != std::string::npos);
}

TEST_CASE("malformed signatures are permerrors that name the problem", "[mime][dkim]") {
  std::string good = SignBoth(kHeaders + "\r\nbody\r\n");
  auto first = [&](const std::string& message) {
    std::string s = Verify(message);
    return s.substr(0, s.find('\n'));
  };
  CHECK(first(Replace(good, "v=1; ", "")) == "permerror rsa2026: no v= tag");
  CHECK(first(Replace(good, "v=1; ", "v=2; ")) == "permerror rsa2026: v=2 is not 1");
  CHECK(first(Replace(good, "v=1; ", "v=1; v=1; ")) ==
        "permerror : malformed DKIM-Signature: tag v= appears twice");
  CHECK(first(Replace(good, "a=rsa-sha256", "a=rsa-sha512")) ==
        "permerror rsa2026: unknown algorithm a=rsa-sha512");
  CHECK(first(Replace(good, "c=relaxed/relaxed", "c=relaxed/loose")) ==
        "permerror rsa2026: unknown canonicalization c=relaxed/loose");
  CHECK(first(Replace(good, "h=From:From:", "h=")) ==
        "permerror rsa2026: h= does not include From (RFC 6376 §5.4)");
  CHECK(first(Replace(good, "v=1; ", "v=1; i=news@evil.example; ")) ==
        "permerror rsa2026: i=news@evil.example is not in d=lumetra.example or a subdomain of it");
  CHECK(first(Replace(good, "v=1; ", "v=1; q=http/well-known; ")) ==
        "permerror rsa2026: unknown query method q=http/well-known");
  CHECK(first(Replace(good, "t=" + std::to_string(kNowSeconds), "t=soon")) ==
        "permerror rsa2026: t=soon is not a number");
  CHECK(first(Replace(good, "bh=", "bh=*")) == "permerror rsa2026: bh= is not valid base64");
  // An i= in a subdomain of d= is fine; the changed field only breaks the signature.
  CHECK(first(Replace(good, "v=1; ", "v=1; i=news@mail.lumetra.example; ")) ==
        "fail rsa2026: signature does not verify");
}

TEST_CASE("a message without DKIM-Signature has no results", "[mime][dkim]") {
  DkimKeyFile keys = KeyFile(TheKeys().KeyFileText());
  CHECK(DkimVerifier(keys).Verify(kHeaders + "\r\nbody\r\n", kNow).empty());
  CHECK(DkimVerifier(keys).Verify("", kNow).empty());
}

TEST_CASE("key files read bare records, zone-file lines, name=value and keygen's output",
          "[mime][dkim]") {
  std::string good = SignBoth(kHeaders + "\r\nbody\r\n");
  std::string rsa = TheKeys().Rsa().DnsRecord();
  std::string ed = TheKeys().Ed().DnsRecord();

  // One record without a name serves whatever the signature names.
  CHECK(VerifyWith(rsa + "\n", good) ==
        "pass rsa2026\npermerror ed2026: key record at ed2026._domainkey.lumetra.example is "
        "k=rsa, not for a=ed25519-sha256\n");
  CHECK(VerifyWith("rsa2026._domainkey.lumetra.example=" + rsa + "\n# comment\n\n" +
                       "ED2026._domainkey.Lumetra.Example.=" + ed + "\n",
                   good) == kBothPass);
  // A zone file with TTL, class, chunks, escapes, parentheses over lines and comments.
  std::string chunked =
      "rsa2026._domainkey.lumetra.example. 3600 IN TXT ( \"" + rsa.substr(0, 30) + "\"\r\n   \"" +
      rsa.substr(30, 200) + "\" ; first part\n\t\"" + rsa.substr(230) + "\" )  ; rest\n" +
      "ed2026._domainkey IN TXT \"v=DKIM1\\059 k=ed25519; " + ed.substr(ed.find("p=")) + "\"\n";
  CHECK(VerifyWith(chunked, good) == kBothPass);
  // What `b2bmail dkim keygen` prints, saved whole (the surrounding lines are ignored).
  std::string keygen =
      "wrote dkim/rsa2026.lumetra.example.pem (rsa, mode 0600)\n\n"
      "publish in DNS:\n  rsa2026._domainkey.lumetra.example.  TXT  \"" +
      rsa +
      "\"\n\nadd to b2bmail.toml:\n  [[dkim]]\n  domain = \"lumetra.example\"\n"
      "  selector = \"rsa2026\"\n  algorithm = \"rsa\"\n"
      "  private_key = \"dkim/rsa2026.lumetra.example.pem\"\n";
  auto parsed = DkimKeyFile::Parse(keygen, "keygen.txt");
  CHECK(parsed.diagnostics.empty());
  REQUIRE(parsed.keys.entries().size() == 1);
  CHECK(parsed.keys.entries()[0].name == "rsa2026._domainkey.lumetra.example");
  CHECK(parsed.keys.entries()[0].line == 4);
  CHECK(parsed.keys.entries()[0].text == rsa);
  // Two records for one name, as DNS may answer: the usable one counts.
  CHECK(VerifyWith("rsa2026._domainkey.lumetra.example TXT \"v=spf1 -all; p=x\"\n"
                   "rsa2026._domainkey.lumetra.example TXT \"" +
                       rsa + "\"\n",
                   good)
            .starts_with("pass rsa2026\n"));
}

TEST_CASE("key files that cannot be used are reported by line", "[mime][dkim]") {
  auto errors = [](const std::string& text) {
    std::string out;
    auto parsed = DkimKeyFile::Parse(text, "k.txt");
    for (const auto& d : parsed.diagnostics.items()) out += d.Format() + "\n";
    return out;
  };
  CHECK(errors("# nothing\n\n") ==
        "k.txt: error[no-key-record]: no DKIM key record (\"v=DKIM1; k=rsa; p=...\") in the "
        "file\n");
  CHECK(errors("v=DKIM1; p=AAAA\nv=DKIM1; p=BBBB\n").find("k.txt:1:1: error[unnamed-record]") == 0);
  CHECK(errors("s._domainkey.x TXT \"v=DKIM1; p=AAAA\n") ==
        "k.txt:1:1: error[key-file-syntax]: unterminated quoted string\n");
  CHECK(errors("\n\ns._domainkey.x TXT ( \"v=DKIM1; p=AAAA\"\n") ==
        "k.txt:3:1: error[key-file-syntax]: '(' is never closed\n");
  CHECK(errors("s._domainkey.x CNAME \"p=x\"\n") ==
        "k.txt:1:1: error[key-file-syntax]: expected NAME [TTL] [IN] TXT \"record\"\n");
  CHECK_THROWS_AS(DkimKeyFile::Load("/nonexistent/keys.txt"), Error);
  CHECK_THROWS_AS(DkimKeyFile::Load("/tmp"), Error);
}

TEST_CASE("keys come from DNS through the resolver: found, chunked, NXDOMAIN and SERVFAIL",
          "[mime][dkim]") {
  std::string rsa = TheKeys().Rsa().DnsRecord();
  // Padding makes the answer longer than 512 bytes: the resolver must retry over TCP.
  std::string padded_rsa =
      "v=DKIM1; k=rsa; n=" + std::string(700, 'n') + "; " + rsa.substr(rsa.find("p="));
  testing::ChildProcess server(
      {"/usr/bin/python3", kSource + "/tests/support/dns_server.py",
       "rsa2026._domainkey.lumetra.example TXT " + padded_rsa,
       "ed2026._domainkey.lumetra.example TXT " + TheKeys().Ed().DnsRecord()});
  std::string line = server.ReadLine(std::chrono::seconds(10));
  REQUIRE(line.starts_with("PORT "));
  DnsDkimKeyLookupOptions options;
  options.nameserver = "127.0.0.1:" + line.substr(5);
  options.timeout_seconds = 2;
  DnsDkimKeyLookup dns(options);

  auto found = dns.Lookup("rsa2026._domainkey.lumetra.example");
  REQUIRE(found.outcome == DkimKeyRecords::Outcome::kFound);
  CHECK(found.records == std::vector<std::string>{padded_rsa});

  std::string good = SignBoth(kHeaders + "\r\nbody\r\n");
  CHECK(Summary(DkimVerifier(dns).Verify(good, kNow)) == kBothPass);

  auto missing = dns.Lookup("nope._domainkey.lumetra.example");
  CHECK(missing.outcome == DkimKeyRecords::Outcome::kNotFound);
  CHECK(missing.detail == "no DNS name nope._domainkey.lumetra.example (NXDOMAIN)");
  CHECK(Summary(DkimVerifier(dns).Verify(Replace(good, "s=rsa2026", "s=nope"), kNow))
            .starts_with("key-not-found nope: no DNS name nope._domainkey.lumetra.example "
                         "(NXDOMAIN)\n"));
  auto servfail = dns.Lookup("servfail._domainkey.lumetra.example");
  CHECK(servfail.outcome == DkimKeyRecords::Outcome::kTemporaryFailure);
  CHECK(Summary(DkimVerifier(dns).Verify(Replace(good, "s=rsa2026", "s=servfail"), kNow))
            .starts_with("temperror servfail: DNS lookup of servfail._domainkey.lumetra.example "
                         "failed"));

  DnsDkimKeyLookupOptions no_port;
  no_port.nameserver = "localhost";
  CHECK_THROWS_AS(DnsDkimKeyLookup(no_port), Error);
  CHECK_FALSE(ParseDnsTxtResponse("not a DNS message").has_value());
}
