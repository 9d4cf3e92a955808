// DKIM signatures checked by an independent verifier (python3-dkim, with python3-nacl
// for Ed25519) against the public keys, as receivers would check them against DNS.
#include "b2bmail/mime/dkim.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/random.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/message_builder.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "test_keys.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

const testing::TestKeys& TheKeys() { return testing::TheTestKeys(); }

// Verifies every signature of `message`; returns the verifier's output, "" when all pass.
std::string Verify(const std::string& message) {
  testing::TempDir dir;
  auto file = dir.Write("m.eml", message);
  auto r = testing::RunCommand(
      "/usr/bin/python3 " B2BMAIL_SOURCE_DIR "/tests/support/verify_dkim.py " +
      testing::ShellQuote(file) + " " +
      testing::ShellQuote("rsa2026._domainkey.lumetra.example=" + TheKeys().Rsa().DnsRecord()) +
      " " + testing::ShellQuote("ed2026._domainkey.lumetra.example=" + TheKeys().Ed().DnsRecord()) +
      " 2>&1");
  return r.exit_code == 0 ? "" : r.output;
}

std::string SignBoth(const std::string& message) {
  std::vector<DkimKey> keys;
  keys.push_back(TheKeys().Rsa());
  keys.push_back(TheKeys().Ed());
  DkimSigner signer(std::move(keys), DefaultSignedHeaders());
  return signer.Sign(message, *base::ParseIso8601("2026-11-23T10:00:00Z"));
}

const std::string& kHeaders = testing::kSignedHeaderBlock;

}  // namespace

TEST_CASE("relaxed canonicalization follows RFC 6376 §3.4", "[mime][dkim]") {
  CHECK(RelaxedHeader("SUBJect", " \t Hello \r\n\t  World  ") == "subject:Hello World");
  CHECK(RelaxedHeader("A", "") == "a:");
  // The example of RFC 6376 §3.4.5.
  CHECK(RelaxedBody(" C \r\nD \t E\r\n\r\n\r\n") == " C\r\nD E\r\n");
  CHECK(RelaxedBody("") == "");
  CHECK(RelaxedBody("\r\n\r\n") == "");
  CHECK(RelaxedBody("no line end") == "no line end\r\n");
}

TEST_CASE("rsa-sha256 and ed25519-sha256 signatures pass an independent verifier", "[mime][dkim]") {
  for (const auto& [name, body] : b2bmail::testing::kSignedBodies) {
    INFO(name);
    std::string signed_message = SignBoth(kHeaders + "\r\n" + body);
    CHECK(signed_message.starts_with("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; "));
    CHECK(Verify(signed_message) == "");
  }
  // A long folded header is signed too.
  std::string folded = kHeaders;
  folded.replace(folded.find("Subject: "), 0,
                 "X-Long: " + std::string(70, 'a') + "\r\n " + std::string(70, 'b') + "\r\n");
  CHECK(Verify(SignBoth(folded + "\r\nbody\r\n")) == "");
}

TEST_CASE("a message changed after signing fails the verifier", "[mime][dkim]") {
  std::string good = SignBoth(kHeaders + "\r\nPay invoice 1234.\r\n");
  REQUIRE(Verify(good) == "");
  std::string body_changed = good;
  body_changed.replace(body_changed.find("1234"), 4, "9999");
  CHECK(Verify(body_changed).find("FAIL") != std::string::npos);
  // From is over-signed: a second From added on top breaks the signature.
  CHECK(Verify("From: attacker@evil.example\r\n" + good).find("FAIL") != std::string::npos);
  std::string subject_changed = good;
  subject_changed.replace(subject_changed.find("Subject: "), 9, "Subject:  X");
  CHECK(Verify(subject_changed).find("FAIL") != std::string::npos);
}

TEST_CASE("messages from MessageBuilder verify and every line stays within 78 columns",
          "[mime][dkim]") {
  base::FixedClock clock(*base::ParseIso8601("2026-11-23T10:00:00Z"));
  base::SeededRandom random(7);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"events@lumetra.example", "Lumetra Events"};
  spec.to = {"zoe@acme.example", "Zoë Müller"};
  spec.subject = "Zoë, Beschaffung 4.0: ein Webinar für Acme & Söhne";
  spec.text = "Hallo Zoë,\nbis bald.\n";
  spec.html = "<p>Hallo Zoë,</p><p>bis bald.</p>";
  spec.extra_headers = {{"List-Unsubscribe", "<https://t.lumetra.example/u/tok>"},
                        {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  std::string signed_message = SignBoth(builder.Build(spec).data);
  CHECK(Verify(signed_message) == "");
  std::size_t header_end = signed_message.find("\r\n\r\n");
  for (std::size_t pos = 0; pos < header_end;) {
    std::size_t eol = signed_message.find("\r\n", pos);
    CHECK(eol - pos <= 78);
    pos = eol + 2;
  }
}

namespace {

// The RSA key of TheKeys() as a damaged key file would hold it: the modulus with its
// lowest bit cleared. It still parses as a 2048-bit RSA private key, but OpenSSL cannot
// sign with it.
std::string EvenModulusRsaPem() {
  const std::string& pem = TheKeys().rsa_pem;
  BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  REQUIRE(key != nullptr);
  const char* names[] = {OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
                         OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
                         OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
                         OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  std::vector<BIGNUM*> values;  // the builder keeps pointers until OSSL_PARAM_BLD_to_param
  for (const char* name : names) {
    BIGNUM* value = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(key, name, &value) == 1);
    if (name == names[0]) BN_clear_bit(value, 0);
    REQUIRE(OSSL_PARAM_BLD_push_BN(build, name, value) == 1);
    values.push_back(value);
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* broken = nullptr;
  REQUIRE(EVP_PKEY_fromdata_init(ctx) == 1);
  REQUIRE(EVP_PKEY_fromdata(ctx, &broken, EVP_PKEY_KEYPAIR, params) == 1);
  BIO* out = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_PrivateKey(out, broken, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string result(data, static_cast<std::size_t>(size));
  BIO_free(out);
  EVP_PKEY_free(broken);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  for (BIGNUM* v : values) BN_free(v);
  EVP_PKEY_free(key);
  return result;
}

}  // namespace

TEST_CASE("a damaged private key that still parses is refused when it is loaded", "[mime][dkim]") {
  // Before: accepted at load, then every signature failed at send time (kInternal).
  try {
    DkimKey::FromPem("lumetra.example", "rsa2026", DkimAlgorithm::kRsaSha256, EvenModulusRsaPem(),
                     "damaged.pem");
    FAIL("a damaged key was accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kConfig);
    CHECK(std::string(e.what()).find("damaged.pem: the private key is damaged") == 0);
  }
}

TEST_CASE("a message without From is not signed", "[mime][dkim]") {
  std::vector<DkimKey> keys;
  keys.push_back(TheKeys().Ed());
  DkimSigner signer(std::move(keys), DefaultSignedHeaders());
  CHECK_THROWS_WITH(signer.Sign("To: a@b.example\r\nSubject: x\r\n\r\nbody\r\n",
                                *base::ParseIso8601("2026-11-23T10:00:00Z")),
                    Catch::Contains("without a From field"));
}

TEST_CASE("keys: the wrong kind, short RSA and unreadable files are configuration errors",
          "[mime][dkim]") {
  CHECK_THROWS_AS(DkimKey::FromPem("d", "s", DkimAlgorithm::kRsaSha256, "not a key", "k.pem"),
                  Error);
  CHECK_THROWS_AS(
      DkimKey::FromPem("d", "s", DkimAlgorithm::kEd25519Sha256, TheKeys().rsa_pem, "k.pem"), Error);
  CHECK_THROWS_AS(DkimKey::FromFile("d", "s", DkimAlgorithm::kRsaSha256, "/nonexistent/k.pem"),
                  Error);
  // 1024-bit RSA is refused (RFC 8301).
  auto r = testing::RunCommand(
      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 "
      "2>/dev/null");
  REQUIRE(r.exit_code == 0);
  try {
    DkimKey::FromPem("d", "s", DkimAlgorithm::kRsaSha256, r.output, "short.pem");
    FAIL("a 1024-bit key was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("short.pem: RSA keys shorter than 2048 bits") !=
          std::string::npos);
  }
  CHECK(TheKeys().Rsa().DnsRecord().starts_with("v=DKIM1; k=rsa; p=MII"));
  CHECK(TheKeys().Ed().DnsRecord().starts_with("v=DKIM1; k=ed25519; p="));
  CHECK(TheKeys().Ed().DnsRecord().size() == std::string("v=DKIM1; k=ed25519; p=").size() + 44);
}
