// Quoted-printable and relaxed canonicalization write through raw pointers and copy runs
// at once for speed (bench/pipeline); these properties pin them on thousands of random
// texts built to hit the edges: lines of exactly 75-77 characters, '.' and whitespace
// where a soft break falls, '=' and non-ASCII bytes at line ends, CRLF and bare CR/LF.
#include "b2bmail/mime/body_encoding.h"

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>

#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/transfer_decoding.h"

using namespace b2bmail::mime;

namespace {

std::string RandomText(std::mt19937_64& rng) {
  static const char* kPieces[] = {"a", "b",  " ", "\t", ".",    "=",   "\n", "\r\n", "\r",
                                  "é", "日", "x", "  ", "\xff", "-- ", ". ", "\t\n", " \n"};
  std::string text;
  std::size_t length = rng() % 400;
  while (text.size() < length) {
    // Long plain runs make lines that need soft breaks at every possible column.
    if (rng() % 6 == 0) text += std::string(60 + rng() % 30, static_cast<char>('k' + rng() % 3));
    text += kPieces[rng() % std::size(kPieces)];
  }
  return text;
}

std::string WithCrlf(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (text[i] == '\n')
      out += "\r\n";
    else
      out += text[i];
  }
  return out;
}

}  // namespace

TEST_CASE("quoted-printable decodes back to the text and keeps every rule", "[mime]") {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 3000; ++round) {
    std::string text = RandomText(rng);
    std::string qp = EncodeQuotedPrintable(text);
    INFO(round);
    // Decoding gives the text back, line ends as CRLF, ending with one.
    std::string expected = WithCrlf(text);
    if (!expected.empty() && !expected.ends_with("\r\n")) expected += "\r\n";
    auto decoded = DecodeQuotedPrintable(qp);
    CHECK(decoded.defects.empty());
    CHECK(decoded.bytes == expected);
    // Lines of at most 76 characters, of printable ASCII, none ending in whitespace or
    // starting with '.', soft breaks only as a final '='.
    std::size_t start = 0;
    while (start < qp.size()) {
      std::size_t end = qp.find("\r\n", start);
      REQUIRE(end != std::string::npos);
      std::string_view line(qp.data() + start, end - start);
      CHECK(line.size() <= 76);
      if (!line.empty()) {
        CHECK(line.back() != ' ');
        CHECK(line.back() != '\t');
        CHECK(line.front() != '.');
      }
      for (char c : line) CHECK(((c >= 32 && c <= 126) || c == '\t'));
      start = end + 2;
    }
  }
}

TEST_CASE("quoted-printable bytes are pinned where lines break", "[mime]") {
  // Golden messages pin these bytes; the encoder copies runs (with '.' in them) 16 bytes
  // at a time, so the cases are where a run meets a soft break, a '.' or a line end.
  const std::string a73(73, 'a'), a74(74, 'a'), a75(75, 'a'), x75(75, 'x');
  const std::pair<std::string, std::string> cases[] = {
      // A soft break inside a run puts '.' first on a line: encoded.
      {a75 + ".b", a75 + "=\r\n=2Eb\r\n"},
      // A last character of a line may take column 76, also a '.'.
      {a75 + ".", a75 + ".\r\n"},
      {a74 + ".\r\nx", a74 + ".\r\nx\r\n"},
      {std::string(150, 'x') + ".." + std::string(80, 'y'), x75 + "=\r\n" + x75 + "=\r\n=2E." +
                                                                std::string(71, 'y') + "=\r\n" +
                                                                std::string(9, 'y') + "\r\n"},
      // Trailing whitespace is encoded, after a soft break when it stood at column 74.
      {a74 + " \nb", a74 + "=\r\n=20\r\nb\r\n"},
      {a73 + " \tc\t", a73 + " \t=\r\nc=09\r\n"},
      // "=3D" at column 73 fits only when it ends the line.
      {a73 + "=\n" + a73 + "=x", a73 + "=3D\r\n" + a73 + "=\r\n=3Dx\r\n"},
      {".\n. \n..\r\n.x\r.", "=2E\r\n=2E=20\r\n=2E.\r\n=2Ex=0D.\r\n"},
      {std::string(70, 'z') + "\xc3\xa9\xe6\x97\xa5" + "end",
       std::string(70, 'z') + "=C3=\r\n=A9=E6=97=A5end\r\n"},
  };
  for (const auto& [text, qp] : cases) {
    INFO(text);
    CHECK(EncodeQuotedPrintable(text) == qp);
  }
}

TEST_CASE("relaxed body canonicalization follows RFC 6376 §3.4.4 on random bodies", "[mime]") {
  std::mt19937_64 rng(6376);
  for (int round = 0; round < 3000; ++round) {
    std::string body = RandomText(rng);
    INFO(round);
    // The rules, one line at a time and without shortcuts.
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t eol = body.find("\r\n", pos);
      std::string line = body.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
      std::string collapsed;
      for (char c : line) {
        bool wsp = c == ' ' || c == '\t';
        if (wsp && !collapsed.empty() && collapsed.back() == ' ') continue;
        collapsed += wsp ? ' ' : c;
      }
      while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
      lines.push_back(collapsed);
      if (eol == std::string::npos) break;
      pos = eol + 2;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    std::string expected;
    for (const auto& l : lines) expected += l + "\r\n";
    CHECK(RelaxedBody(body) == expected);
  }
}

TEST_CASE("the relaxed body hash is the SHA-256 of the relaxed body, whatever the size", "[mime]") {
  // RelaxedBodySha256 hashes pieces through a 4 KiB buffer and hands longer pieces to
  // OpenSSL directly; bodies here run to 24 KB, with lines longer than the buffer and
  // runs of empty lines that are held back.
  auto expected = [](std::string_view body) {
    std::string canonical = RelaxedBody(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(digest), size);
  };
  std::mt19937_64 rng(8463);
  for (int round = 0; round < 300; ++round) {
    std::string body;
    std::size_t length = rng() % 24000;
    while (body.size() < length) {
      switch (rng() % 8) {
        case 0:
          body += std::string(rng() % 6000, 'w');
          break;
        case 1:
          body += std::string(rng() % 50, "\r\n"[rng() % 2]);
          break;
        case 2:
          body += std::string(rng() % 20, " \t"[rng() % 2]);
          break;
        default:
          body += RandomText(rng);
      }
    }
    INFO(round << ", " << body.size() << " bytes");
    CHECK(RelaxedBodySha256(body) == expected(body));
  }
  CHECK(RelaxedBodySha256("") == expected(""));
  CHECK(RelaxedBodySha256(std::string(5000, ' ') + "\r\n") == expected(""));
  std::string empty_lines;
  for (int i = 0; i < 3000; ++i) empty_lines += " \r\n";
  CHECK(RelaxedBodySha256(empty_lines + "x") == expected(empty_lines + "x"));
  CHECK(RelaxedBody(empty_lines + "x").size() == 3000 * 2 + 3);
}

TEST_CASE("relaxed header canonicalization follows RFC 6376 §3.4.2 on random values", "[mime]") {
  static const char* kPieces[] = {" ", "\t", "\r\n ", "\r\n\t", "  ", "é", "=", ";", "\r", "\n"};
  std::mt19937_64 rng(3442);
  for (int round = 0; round < 3000; ++round) {
    std::string value;
    std::size_t length = rng() % 300;
    while (value.size() < length) {
      if (rng() % 2)
        value += std::string(1 + rng() % 40, static_cast<char>('a' + rng() % 26));
      else
        value += kPieces[rng() % std::size(kPieces)];
    }
    // The rules without shortcuts: unfold (drop every CR and LF), every whitespace run
    // one space, none at the ends; the name lower-cased and trimmed.
    std::string unfolded;
    for (char c : value)
      if (c != '\r' && c != '\n') unfolded += c;
    std::string collapsed;
    for (char c : unfolded) {
      bool wsp = c == ' ' || c == '\t';
      if (wsp && (collapsed.empty() || collapsed.back() == ' ')) continue;
      collapsed += wsp ? ' ' : c;
    }
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    INFO(round);
    CHECK(RelaxedHeader(" List-Unsubscribe\t", value) == "list-unsubscribe:" + collapsed);
  }
}
