// Quoted-printable and relaxed canonicalization write through raw pointers and copy runs
// at once for speed (bench/pipeline); these properties pin them on thousands of random
// texts built to hit the edges: lines of exactly 75-77 characters, '.' and whitespace
// where a soft break falls, '=' and non-ASCII bytes at line ends, CRLF and bare CR/LF.
#include "b2bmail/mime/body_encoding.h"

#include <catch2/catch.hpp>
#include <random>

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
