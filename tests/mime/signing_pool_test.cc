// SigningPool against DkimSigner::Sign itself: RSA PKCS#1 v1.5 and Ed25519 signatures
// are deterministic, so a pool of any size must produce the very same bytes.
#include "b2bmail/mime/signing_pool.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/random.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/message_builder.h"
#include "test_keys.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

const testing::TestKeys& TheKeys() { return testing::TheTestKeys(); }

DkimSigner Signer(bool rsa, bool ed) {
  std::vector<DkimKey> keys;
  if (rsa) keys.push_back(TheKeys().Rsa());
  if (ed) keys.push_back(TheKeys().Ed());
  return DkimSigner(std::move(keys), DefaultSignedHeaders());
}

base::TimePoint At(const char* iso) { return *base::ParseIso8601(iso); }

// `count` different messages (recipient, Message-ID, boundary, body) as the launcher
// builds them.
std::vector<std::string> Messages(std::size_t count, std::uint64_t seed) {
  base::FixedClock clock(At("2026-11-23T09:00:00Z"));
  base::SeededRandom random(seed);
  MessageBuilder builder(clock, random);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    MessageSpec spec;
    spec.from = {"events@lumetra.example", "Lumetra Events"};
    spec.to = {"person" + std::to_string(i) + "@acme.example", "Jörg Böhm " + std::to_string(i)};
    spec.subject = "Jörg, Beschaffung 4.0: ein Webinar für Acme & Söhne " + std::to_string(i);
    spec.text = "Hallo Jörg,\nTeilnehmer " + std::to_string(i) + ".\n";
    spec.html = "<p>Hallo Jörg,</p><p>Teilnehmer " + std::to_string(i) + ".</p>";
    spec.extra_headers = {
        {"List-Unsubscribe", "<https://t.lumetra.example/u/" + std::to_string(i * 7919) + ">"},
        {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
    out.push_back(builder.Build(spec).data);
  }
  return out;
}

std::vector<std::string> SignedOneByOne(const DkimSigner& signer,
                                        const std::vector<std::string>& messages,
                                        base::TimePoint now) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(signer.Sign(m, now));
  return out;
}

}  // namespace

TEST_CASE("a signing pool of 1, 2 or 4 threads signs each message exactly as Sign does", "[mime]") {
  const DkimSigner signer = Signer(true, true);  // rsa-sha256 and ed25519-sha256
  const auto many = Messages(61, 1);             // not a multiple of any chunk or thread count
  const unsigned threads = GENERATE(1u, 2u, 4u);
  INFO(threads << " threads");
  SigningPool pool(signer, threads);
  REQUIRE(pool.threads() == threads);

  // One pool, several batches in a row: it is reused, and each batch has its own time.
  std::vector<std::string> none;
  pool.SignAll(none, At("2026-11-23T10:00:00Z"));
  CHECK(none.empty());

  std::vector<std::string> one = {many[0]};
  pool.SignAll(one, At("2026-11-23T10:00:00Z"));
  CHECK(one == SignedOneByOne(signer, {many[0]}, At("2026-11-23T10:00:00Z")));

  for (const char* now : {"2026-11-23T10:00:01Z", "2026-11-23T10:05:00Z"}) {
    INFO(now);
    std::vector<std::string> batch = many;
    pool.SignAll(batch, At(now));
    auto expected = SignedOneByOne(signer, many, At(now));
    REQUIRE(batch.size() == expected.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      INFO("message " << i);
      CHECK(batch[i] == expected[i]);
    }
  }
}

TEST_CASE("a signing pool of 0 threads has one per hardware thread", "[mime]") {
  const DkimSigner signer = Signer(false, true);
  CHECK(SigningPool(signer, 0).threads() == std::max(1u, std::thread::hardware_concurrency()));
}

TEST_CASE("a failed signature is rethrown to the caller and leaves the batch unchanged", "[mime]") {
  const DkimSigner signer = Signer(true, true);
  // One message in the middle has no From field, which Sign refuses (RFC 6376 §5.4).
  auto messages = Messages(20, 2);
  std::string& bad = messages[13];
  auto from = bad.find("From:");
  REQUIRE(from != std::string::npos);
  bad.replace(from, 5, "Frum:");
  REQUIRE_THROWS_AS(signer.Sign(bad, At("2026-11-23T10:00:00Z")), Error);

  const unsigned threads = GENERATE(1u, 2u, 4u);
  INFO(threads << " threads");
  SigningPool pool(signer, threads);
  // Twice: after a failure the workers are back waiting, none holds a stale error.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::string> batch = messages;
    try {
      pool.SignAll(batch, At("2026-11-23T10:00:00Z"));
      FAIL("SignAll returned with a message Sign refuses");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
      CHECK(std::string(e.what()).find("without a From field") != std::string::npos);
    }
    CHECK(batch == messages);
  }
  std::vector<std::string> none;
  CHECK_NOTHROW(pool.SignAll(none, At("2026-11-23T10:00:00Z")));
  std::vector<std::string> good = Messages(5, 3);
  pool.SignAll(good, At("2026-11-23T10:00:00Z"));
  CHECK(good == SignedOneByOne(signer, Messages(5, 3), At("2026-11-23T10:00:00Z")));
}

TEST_CASE("batches given to one signing pool from two threads are each signed whole", "[mime]") {
  const DkimSigner signer = Signer(false, true);
  SigningPool pool(signer, 2);
  const auto first = Messages(40, 3), second = Messages(40, 4);
  std::vector<std::string> a = first, b = second;
  {
    std::jthread other([&] { pool.SignAll(b, At("2026-11-23T11:00:00Z")); });
    pool.SignAll(a, At("2026-11-23T10:00:00Z"));
  }
  CHECK(a == SignedOneByOne(signer, first, At("2026-11-23T10:00:00Z")));
  CHECK(b == SignedOneByOne(signer, second, At("2026-11-23T11:00:00Z")));
}
