#include "b2bmail/track/token_signer.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <set>

#include "b2bmail/base/error.h"
#include "b2bmail/base/random.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::track;

namespace {
const std::string kSecret = "0123456789abcdef0123456789abcdef";
}

TEST_CASE("a signed token verifies for its purpose and gives back the send key", "[track]") {
  TokenSigner signer(kSecret);
  auto token = signer.Sign(TokenPurpose::kUnsubscribe, "k3y0000000000000000000000a");
  CHECK(token.starts_with("k3y0000000000000000000000a."));
  CHECK(token.size() == 26 + 1 + 16);
  CHECK(signer.Verify(TokenPurpose::kUnsubscribe, token) == "k3y0000000000000000000000a");
  // Upper-cased by a mail system on the way back: still the same token.
  std::string upper = token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(signer.Verify(TokenPurpose::kUnsubscribe, upper) == "k3y0000000000000000000000a");
  for (char c : token) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'));
}

TEST_CASE("a token is refused for another purpose, another secret or any change", "[track]") {
  TokenSigner signer(kSecret);
  auto token = signer.Sign(TokenPurpose::kBounce, "abcdefghijklmnopqrstuvwxyz");
  CHECK_FALSE(signer.Verify(TokenPurpose::kUnsubscribe, token));
  CHECK_FALSE(TokenSigner(kSecret + "x").Verify(TokenPurpose::kBounce, token));
  // Every single-character change of key or mac is caught.
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') continue;
    std::string forged = token;
    forged[i] = forged[i] == 'a' ? 'b' : 'a';
    INFO(forged);
    CHECK_FALSE(signer.Verify(TokenPurpose::kBounce, forged));
  }
  CHECK_FALSE(signer.Verify(TokenPurpose::kBounce, ""));
  CHECK_FALSE(signer.Verify(TokenPurpose::kBounce, "."));
  CHECK_FALSE(signer.Verify(TokenPurpose::kBounce, token.substr(0, token.size() - 1)));
  CHECK_FALSE(signer.Verify(TokenPurpose::kBounce, "abc/def." + token.substr(27)));
  CHECK_THROWS_AS(TokenSigner("too short"), Error);
}

TEST_CASE("tokens of different sends differ and carry nothing but the random key", "[track]") {
  TokenSigner signer(kSecret);
  base::SeededRandom random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i)
    seen.insert(signer.Sign(TokenPurpose::kUnsubscribe, base::RandomToken(random, 26)));
  CHECK(seen.size() == 1000);
}

TEST_CASE("the token secret is created once, private, and then read back", "[track]") {
  testing::TempDir dir;
  auto path = dir.path() / "state" / "token.secret";
  auto secret = LoadOrCreateTokenSecret(path);
  CHECK(secret.size() == 32);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(LoadOrCreateTokenSecret(path) == secret);
  CHECK(LoadOrCreateTokenSecret(dir.path() / "other.secret") != secret);
  dir.Write("short.secret", "abc");
  CHECK_THROWS_WITH(LoadOrCreateTokenSecret(dir.path() / "short.secret"),
                    Catch::Contains("shorter than 32 bytes"));
}
