// Robustness: corpus and built messages under thousands of deterministic random mutations,
// and hand-made hostile inputs (deep nesting, huge lines, many parts). The parser must
// return, stay within its limits and give well-formed UTF-8. Under the sanitizers this
// also proves the absence of memory errors on these inputs. No timings are asserted; the
// inputs are sized so that the whole file runs in a few seconds under ASan.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/mime/content_type.h"
#include "b2bmail/mime/encoded_word_decoder.h"
#include "b2bmail/mime/message_builder.h"
#include "b2bmail/mime/mime_parser.h"

using namespace b2bmail;
using namespace b2bmail::mime;
namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parses `data` and checks what must hold for any input.
void CheckParses(const std::string& data, const ParseOptions& options = {}) {
  auto m = ParseMessage(data, options);
  auto parts = m.root().Walk();
  REQUIRE(parts.size() == m.part_count());
  REQUIRE(m.part_count() <= std::max<std::size_t>(options.max_parts, 1));
  std::size_t fields = 0;
  for (const MimePart* p : parts) {
    REQUIRE(p->depth() <= std::max(options.max_depth, 0));
    REQUIRE(base::IsValidUtf8(p->text()));
    fields += p->headers().size();
    for (const auto& h : p->headers()) REQUIRE(base::IsValidUtf8(h.value));
    if (p->content_type().type == "message" && p->children().empty()) {
      for (const auto& block : ParseHeaderBlocks(p->decoded_body()))
        for (const auto& f : block) REQUIRE(base::IsValidUtf8(f.value));
    }
  }
  REQUIRE(fields <= options.max_header_fields);
  REQUIRE(base::IsValidUtf8(m.BestText()));
}

std::string BoundaryOf(const std::string& data) {
  auto b = base::AsciiLower(data).find("boundary=");
  if (b == std::string::npos) return "b";
  std::size_t start = b + 9 + (data[b + 9] == '"' ? 1 : 0);
  std::size_t end = data.find_first_of("\"; \r\n", start);
  return data.substr(start, end - start);
}

class Mutator {
 public:
  Mutator(std::uint64_t seed, const std::string& boundary)
      : random_(seed),
        tokens_{"\n",
                "\r\n",
                "\n\n",
                ":",
                "=",
                "=?",
                "?=",
                "=?utf-8?b?",
                "=?iso-2022-jp?q?=1B$B",
                "\"",
                "(",
                ";",
                "*0*=",
                "%",
                "<",
                "&",
                "\n--" + boundary + "\n",
                "\n--" + boundary + "--\n",
                "\n--" + boundary.substr(0, boundary.size() / 2) + "\n",
                "\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\n--" + boundary +
                    "\n",
                "\nContent-Type: message/rfc822\n\n",
                "\nContent-Transfer-Encoding: base64\n",
                "\nContent-Transfer-Encoding: quoted-printable\n",
                "\nContent-Type: text/plain; charset=utf-16\n\n",
                "\nContent-Type: message/global\nContent-Transfer-Encoding: base64\n\n",
                std::string(1, '\0'),
                "\xFF\xFE",
                "\xE2\x82"} {}

  std::string Mutate(std::string data) {
    int ops = 1 + static_cast<int>(Next(4));
    for (int i = 0; i < ops; ++i) {
      std::size_t pos = data.empty() ? 0 : Next(data.size());
      switch (Next(8)) {
        case 0:  // flip bits
          if (!data.empty()) data[pos] = static_cast<char>(data[pos] ^ (1 << Next(8)));
          break;
        case 1:  // random byte
          if (!data.empty()) data[pos] = static_cast<char>(Next(256));
          break;
        case 2:  // truncate
          data.resize(pos);
          break;
        case 3:  // delete a slice
          data.erase(pos, Next(200));
          break;
        case 4: {  // duplicate a slice somewhere else
          std::string slice = data.substr(pos, Next(400));
          data.insert(data.empty() ? 0 : Next(data.size()), slice);
          break;
        }
        case 5:
        case 6:  // insert a token that means something to the parser
          data.insert(pos, tokens_[Next(tokens_.size())]);
          break;
        case 7: {  // nest multiparts or messages a few levels deep at one place
          std::string nest;
          for (std::size_t k = 0, n = 1 + Next(40); k < n; ++k)
            nest += Next(2) ? "Content-Type: multipart/mixed; boundary=n" + std::to_string(k) +
                                  "\n\n--n" + std::to_string(k) + "\n"
                            : "Content-Type: message/rfc822\n\n";
          data.insert(pos, nest);
          break;
        }
      }
    }
    return data;
  }

 private:
  std::size_t Next(std::size_t bound) { return static_cast<std::size_t>(random_.Next() % bound); }

  base::SeededRandom random_;
  std::vector<std::string> tokens_;
};

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  fs::path corpus =
      fs::path(B2BMAIL_SOURCE_DIR) / ".." / "shared" / "corpus" / "bounces" / "maildir" / "bsd";
  REQUIRE(fs::is_directory(corpus));
  for (const char* name : {"lhost-postfix-01.eml", "lhost-office365-08.eml", "arf-01.eml",
                           "lhost-exchange2007-02.eml", "rfc3464-35.eml", "lhost-x1-02.eml"})
    seeds.push_back(ReadFile(corpus / name));
  for (const char* name : {"dsn.eml", "arf.eml"})
    seeds.push_back(ReadFile(fs::path(B2BMAIL_TEST_DATA) / "parser" / name));
  base::FixedClock clock(base::TimePoint(std::chrono::seconds(1709546400)));
  base::SeededRandom random(3);
  MessageBuilder builder(clock, random);
  MessageSpec spec;
  spec.from = {"zoe@example.de", "Zoë Müller"};
  spec.to = {"taro@example.jp", "山田 太郎"};
  spec.subject = "Grüße aus Köln – 東京 🎉";
  spec.text = "Sehr geehrter Herr Yamada,\n\nanbei die Unterlagen.\n=E2 is not an escape\n";
  spec.html = "<p>Sehr geehrter Herr Yamada,</p><p>anbei die Unterlagen &amp; mehr.</p>";
  seeds.push_back(builder.Build(spec).data);
  spec.html.clear();
  seeds.push_back(builder.Build(spec).data);
  return seeds;
}

std::string Repeat(std::string_view piece, std::size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("Thousands of random mutations of real and built messages all parse", "[mime]") {
  auto seeds = Seeds();
  std::size_t mutants = 0;
  for (std::size_t s = 0; s < seeds.size(); ++s) {
    CheckParses(seeds[s]);
    Mutator mutator(1000 + s, BoundaryOf(seeds[s]));
    std::string current = seeds[s];
    for (int i = 0; i < 300; ++i) {
      // Mostly mutate the seed; sometimes keep mutating a mutant so damage accumulates.
      current = mutator.Mutate(i % 4 == 3 ? current : seeds[s]);
      INFO("seed " << s << " mutation " << i);
      CheckParses(current);
      ++mutants;
    }
  }
  CHECK(mutants == 3000);
}

TEST_CASE("Small limits hold on mutated input too", "[mime]") {
  auto seeds = Seeds();
  ParseOptions tight;
  tight.max_depth = 2;
  tight.max_parts = 3;
  tight.max_header_fields = 5;
  Mutator mutator(99, BoundaryOf(seeds[0]));
  for (int i = 0; i < 300; ++i) CheckParses(mutator.Mutate(seeds[i % seeds.size()]), tight);
  ParseOptions zero;
  zero.max_depth = 0;
  zero.max_parts = 0;
  zero.max_header_fields = 0;
  auto m = ParseMessage(seeds[0], zero);
  CHECK(m.part_count() == 1);
  CHECK(m.root().headers().empty());
}

TEST_CASE("100k nested message/rfc822 parts stop at the depth limit", "[mime]") {
  std::string deep = Repeat("Content-Type: message/rfc822\n\n", 100000) + "Subject: bottom\n\nx\n";
  auto m = ParseMessage(deep);
  CHECK(m.part_count() == 33);
  const MimePart* last = m.root().Walk().back();
  CHECK(last->depth() == 32);
  CHECK(last->defects().size() == 1);
  CHECK(last->raw_body().size() == deep.size() - 33 * 30);
  CheckParses(deep);
}

TEST_CASE("Deeply nested multiparts stop at the depth limit", "[mime]") {
  std::string deep;
  for (int i = 0; i < 30000; ++i) {
    std::string b = "b" + std::to_string(i);
    deep += "Content-Type: multipart/mixed; boundary=" + b + "\n\n--" + b + "\n";
  }
  deep += "Content-Type: text/plain\n\nbottom\n";
  auto m = ParseMessage(deep);
  CHECK(m.part_count() == 33);
  CHECK(m.root().Walk().back()->depth() == 32);
  // With one shared boundary the nesting flattens into siblings, up to the part limit.
  std::string shared = Repeat("Content-Type: multipart/mixed; boundary=x\n\n--x\n", 100000);
  auto flat = ParseMessage(shared);
  CHECK(flat.part_count() == 10000);
  CHECK(flat.root().children().size() == 9999);
}

TEST_CASE("Huge header lines, many fields and many parts stay within limits", "[mime]") {
  std::string words = Repeat("=?utf-8?b?w7w=?= ", 60000);
  auto subject = ParseMessage("Subject: " + words + "\n\nx");
  CHECK(subject.HeaderValue("Subject") == Repeat("ü", 60000));

  CheckParses("Subject: " + std::string(1 << 20, 'a') + "\n\nx");
  CheckParses("Subject: " + Repeat("=?", 200000) + "\n\n");
  CheckParses("Subject: " + Repeat("=?a?q?", 100000) + "\n\n");
  // Lines without a colon: between fields (lost folds) and after one ending in ';'.
  auto folds = ParseMessage("X: 1\n" + Repeat("a\n", 200000) + "Y: 2\n\nbody");
  CHECK(folds.root().headers().size() == 2);
  CHECK(folds.root().raw_body() == "body");
  CheckParses("X: 1;\n" + Repeat("a;\n", 200000));
  CheckParses(Repeat("a\n", 200000));
  CheckParses(Repeat("a:\n", 120000));

  auto fields = ParseMessage(Repeat("X-A: 1\n", 120000) + "\nbody");
  CHECK(fields.root().headers().size() == 100000);
  CHECK(fields.root().raw_body() == "body");

  std::string params = "Content-Type: text/plain";
  for (int i = 0; i < 20000; ++i) params += "; n*" + std::to_string(i % 8000) + "*=%41";
  params += Repeat("; p", 20000) + Repeat(" (c", 1000) + "\n\nx";
  CheckParses(params);

  std::string many = "Content-Type: multipart/mixed; boundary=b\n\n" +
                     Repeat("--b\nContent-Type: text/plain\n\nx\n", 50000) + "--b--\n";
  auto parts = ParseMessage(many);
  CHECK(parts.part_count() == 10000);
}

TEST_CASE("Hostile bodies decode in bounded time and memory", "[mime]") {
  CheckParses("Content-Transfer-Encoding: base64\n\n" + Repeat("!*~", 700000));
  CheckParses("Content-Transfer-Encoding: quoted-printable\n\n" + Repeat("=", 500000));
  CheckParses("Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n" +
              Repeat("2D3YPQ==", 100000));
  CheckParses("Content-Type: text/plain; charset=iso-2022-jp\n\n" + Repeat("\x1B$B\x1B(", 50000));
  CheckParses("Content-Type: text/html\n\n" + Repeat("<", 500000) + Repeat("&", 500000) +
              Repeat("<script>", 10000) + "<!--");
  // message/global parts nested and each encoded again: decoding stays within the budget.
  std::string nested = "Subject: bottom\n\nx\n";
  for (int i = 0; i < 12; ++i) {
    std::string encoded;
    static constexpr char kB64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t k = 0; k < nested.size(); k += 3) {
      std::uint32_t v = static_cast<unsigned char>(nested[k]) << 16;
      if (k + 1 < nested.size()) v |= static_cast<unsigned char>(nested[k + 1]) << 8;
      if (k + 2 < nested.size()) v |= static_cast<unsigned char>(nested[k + 2]);
      encoded += kB64[(v >> 18) & 63];
      encoded += kB64[(v >> 12) & 63];
      encoded += k + 1 < nested.size() ? kB64[(v >> 6) & 63] : '=';
      encoded += k + 2 < nested.size() ? kB64[v & 63] : '=';
    }
    nested = "Content-Type: message/global\nContent-Transfer-Encoding: base64\n\n" + encoded;
  }
  auto m = ParseMessage(nested);
  CHECK(m.root().Walk().back()->HeaderValue("Subject") == "bottom");
  CHECK(DecodeEncodedWords(Repeat("=?utf-8?q?", 200000)).size() == 2000000);
  CHECK(ParseContentType(Repeat("(", 100000)).value.MimeType() == "text/plain");
}
