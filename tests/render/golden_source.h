#pragma once
// tests/render/data/golden/<case>/ as a TemplateSource: html.mustache, and when present
// layout.mustache, preheader.txt and partial-<name>.mustache. Shared by the golden tests
// of the pipeline and of FastTemplate.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "b2bmail/render/message_template.h"

namespace b2bmail::testing {

inline std::string ReadGolden(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline render::TemplateSource GoldenSource(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  render::TemplateSource src;
  src.id = dir.filename().string();
  src.html_file = (dir / "html.mustache").string();
  src.html = ReadGolden(src.html_file);
  src.subjects[""] = "Golden {{contact.first_name}}";
  if (fs::exists(dir / "layout.mustache")) {
    src.layout_file = (dir / "layout.mustache").string();
    src.layout = ReadGolden(src.layout_file);
  }
  if (fs::exists(dir / "preheader.txt")) src.preheaders[""] = ReadGolden(dir / "preheader.txt");
  for (const auto& f : fs::directory_iterator(dir))
    if (f.path().filename().string().starts_with("partial-"))
      src.partials[f.path().stem().string().substr(8)] = ReadGolden(f.path());
  return src;
}

}  // namespace b2bmail::testing
