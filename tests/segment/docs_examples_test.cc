// docs/segments.md stays true: every example segment in it parses, and the
// segments it names resolve (against stand-ins with the same ids).
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "b2bmail/segment/segment.h"
#include "support/temp_dir.h"

using namespace b2bmail;

TEST_CASE("every example in docs/segments.md is a valid segment", "[segment][docs]") {
  std::ifstream in(std::string(B2BMAIL_SOURCE_DIR) + "/docs/segments.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();

  // Code blocks whose first non-comment line starts a segment.
  std::vector<std::string> examples;
  std::regex block("```\n([\\s\\S]*?)```");
  for (std::sregex_iterator it(doc.begin(), doc.end(), block), end; it != end; ++it) {
    std::string body = (*it)[1];
    std::string first = body;
    while (first.starts_with("#")) first = first.substr(first.find('\n') + 1);
    if (first.starts_with("where ") || first.starts_with("segment \"")) examples.push_back(body);
  }
  CHECK(examples.size() >= 15);

  testing::TempDir dir;
  auto locate = [&](const std::string& id) -> std::optional<std::string> {
    return dir.Write(id + ".seg", "where contact.role = buyer\n");
  };
  for (const auto& example : examples) {
    INFO(example);
    auto r = segment::ParseSegment(example, "example", "docs/segments.md");
    segment::ResolveReferences(r, locate);
    for (const auto& d : r.diagnostics.items()) INFO(d.Format());
    CHECK(r.diagnostics.empty());
    CHECK(r.segment);
  }
}
