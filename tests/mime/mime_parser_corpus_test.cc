// The parser over the real bounce corpus (shared/corpus/bounces, see its README): every
// message parses, and what it finds agrees with counts taken by plain text scans that do
// not use the parser.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/mime_parser.h"

using namespace b2bmail;
using namespace b2bmail::mime;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(B2BMAIL_SOURCE_DIR) / ".." / "shared" / "corpus" / "bounces";

struct CorpusFile {
  std::string name;  // "bsd/lhost-postfix-01.eml"
  std::string data;
};

std::vector<CorpusFile> LoadCorpus() {
  std::vector<CorpusFile> files;
  for (const char* dir : {"bsd", "not"}) {
    fs::path path = kCorpus / "maildir" / dir;
    REQUIRE(fs::is_directory(path));
    for (const auto& entry : fs::directory_iterator(path)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      files.push_back({std::string(dir) + "/" + entry.path().filename().string(), s.str()});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return files;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = nl + 1;
  }
  return lines;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && base::EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// The scan: the top-level header's Content-Type is multipart/report with a boundary, and
// a line that is exactly "--boundary" (padding allowed) starts a part whose header, up to
// its first empty line, has a Content-Type line naming a delivery-status or feedback-report.
bool ScanSaysReportWithStatusPart(std::string_view data) {
  auto lines = Lines(data);
  std::string content_type;
  std::size_t i = 0;
  bool in_content_type = false;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    bool fold = lines[i][0] == ' ' || lines[i][0] == '\t';
    if (fold && in_content_type) {
      content_type += " ";
      content_type += lines[i];
      continue;
    }
    in_content_type = StartsWithIgnoreCase(lines[i], "content-type:");
    if (in_content_type) content_type = std::string(lines[i].substr(13));
  }
  std::string lower = base::AsciiLower(content_type);
  if (lower.find("multipart/report") == std::string::npos) return false;
  auto b = lower.find("boundary=");
  if (b == std::string::npos) return false;
  std::string_view rest = std::string_view(content_type).substr(b + 9);
  std::string boundary;
  if (!rest.empty() && rest[0] == '"') {
    boundary = std::string(rest.substr(1, rest.find('"', 1) - 1));
  } else {
    boundary = std::string(rest.substr(0, rest.find_first_of("; \t")));
  }
  std::string delimiter = "--" + boundary;
  for (; i < lines.size(); ++i) {
    if (base::Trim(lines[i]) != delimiter || lines[i].substr(0, 2) != "--") continue;
    for (std::size_t k = i + 1; k < lines.size() && !lines[k].empty(); ++k) {
      if (!StartsWithIgnoreCase(lines[k], "content-type:")) continue;
      std::string value = base::AsciiLower(lines[k].substr(13));
      if (value.find("message/delivery-status") != std::string::npos ||
          value.find("message/feedback-report") != std::string::npos)
        return true;
    }
  }
  return false;
}

bool ParserSaysReportWithStatusPart(const ParsedMessage& m) {
  if (!m.root().content_type().Is("multipart/report")) return false;
  for (const MimePart* child : m.root().children())
    if (child->content_type().Is("message/delivery-status") ||
        child->content_type().Is("message/feedback-report"))
      return true;
  return false;
}

// Lines of a body that start the field `field` ("Action:" or, as Mimecast writes it,
// "Action :").
std::size_t CountFieldLines(std::string_view body, std::string_view field) {
  std::size_t n = 0;
  for (auto line : Lines(body)) {
    if (!StartsWithIgnoreCase(line, field)) continue;
    std::string_view rest = line.substr(field.size());
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t')) rest.remove_prefix(1);
    if (!rest.empty() && rest[0] == ':') ++n;
  }
  return n;
}

std::size_t CountFields(const std::vector<std::vector<MimeHeader>>& blocks,
                        std::string_view field) {
  std::size_t n = 0;
  for (const auto& block : blocks)
    for (const auto& f : block)
      if (base::EqualsIgnoreCase(f.name, field)) ++n;
  return n;
}

}  // namespace

TEST_CASE("Every message of the bounce corpus parses into a consistent tree", "[mime]") {
  REQUIRE(fs::is_directory(kCorpus));
  auto files = LoadCorpus();
  std::size_t bounces = 0;
  for (const auto& f : files) bounces += f.name.rfind("bsd/", 0) == 0;
  CHECK(bounces == 629);  // README.md of the corpus

  std::size_t parts = 0;
  std::size_t nested_messages = 0;
  for (const auto& f : files) {
    INFO(f.name);
    auto m = ParseMessage(f.data);
    for (const MimePart* p : m.root().Walk()) {
      ++parts;
      const ContentType& type = p->content_type();
      CHECK(!type.type.empty());
      CHECK(!type.subtype.empty());
      CHECK(type.type == base::AsciiLower(type.type));
      for (const MimePart* c : p->children()) CHECK(c->depth() == p->depth() + 1);
      for (const auto& h : p->headers()) CHECK(base::IsValidUtf8(h.value));
      CHECK(base::IsValidUtf8(p->text()));
      if (type.type == "text") CHECK(p->text().empty() == p->decoded_body().empty());
      if (type.Is("message/rfc822")) {
        CHECK(p->children().size() == 1);
        ++nested_messages;
      }
    }
    CHECK(base::IsValidUtf8(m.BestText()));
    // Every message has a sender or a subject a person could read.
    CHECK(!(m.HeaderValue("From").empty() && m.HeaderValue("Subject").empty()));
  }
  // Python's email package finds the same number of message/rfc822 parts in this corpus.
  CHECK(nested_messages == 322);
  CHECK(parts > 2000);
}

TEST_CASE("Corpus reports: the parser finds a status part exactly where a text scan does",
          "[mime]") {
  REQUIRE(fs::is_directory(kCorpus));
  std::set<std::string> by_scan;
  std::set<std::string> by_parser;
  std::size_t status_parts = 0;
  std::size_t feedback_parts = 0;
  for (const auto& f : LoadCorpus()) {
    INFO(f.name);
    if (ScanSaysReportWithStatusPart(f.data)) by_scan.insert(f.name);
    auto m = ParseMessage(f.data);
    if (ParserSaysReportWithStatusPart(m)) by_parser.insert(f.name);
    for (const MimePart* p : m.root().Walk()) {
      if (p->content_type().Is("message/delivery-status")) {
        ++status_parts;
        auto blocks = ParseHeaderBlocks(p->decoded_body());
        // Only an empty body (there is one in the corpus) has no blocks.
        CHECK(blocks.empty() == base::Trim(p->decoded_body()).empty());
        // A field line of the body is a field of a block, and nothing else is.
        for (const char* field : {"Final-Recipient", "Action", "Status", "Reporting-MTA"}) {
          INFO(field);
          CHECK(CountFields(blocks, field) == CountFieldLines(p->decoded_body(), field));
        }
      }
      if (p->content_type().Is("message/feedback-report")) {
        ++feedback_parts;
        auto blocks = ParseHeaderBlocks(p->decoded_body());
        REQUIRE(!blocks.empty());
        CHECK(CountFields(blocks, "Feedback-Type") == 1);
      }
    }
  }
  CHECK(by_parser == by_scan);
  // Python's email package agrees on these counts for this corpus.
  CHECK(by_scan.size() == 337);
  CHECK(status_parts == 344);
  CHECK(feedback_parts == 13);
}

TEST_CASE("Corpus messages that are not bounces have no delivery-status part", "[mime]") {
  REQUIRE(fs::is_directory(kCorpus));
  std::size_t checked = 0;
  for (const auto& f : LoadCorpus()) {
    if (f.name.rfind("not/", 0) != 0) continue;
    INFO(f.name);
    auto m = ParseMessage(f.data);
    CHECK(m.FindFirst("message/delivery-status") == nullptr);
    CHECK(!m.BestText().empty());
    ++checked;
  }
  CHECK(checked == 3);
}
