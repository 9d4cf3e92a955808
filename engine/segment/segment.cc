#include "b2bmail/segment/segment.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "lexer.h"
#include "parser.h"

namespace b2bmail::segment {

ParseResult ParseSegment(std::string_view text, const std::string& id,
                         const std::string& file_name) {
  ParseResult result;
  if (!base::IsValidUtf8(text)) {
    result.diagnostics.Error(file_name, {1, 1}, "encoding", "the file is not valid UTF-8");
    return result;
  }
  auto tokens = Tokenize(text, file_name, result.diagnostics);
  if (result.diagnostics.HasErrors()) return result;
  return ParseTokens(tokens, text, id, file_name);
}

ParseResult LoadSegmentFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "cannot read segment file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseSegment(text.str(), std::filesystem::path(path).stem().string(), path);
}

model::ContactFilter ToFilter(const SegmentDefinition& segment, base::TimePoint now) {
  if (!segment.resolved && (!segment.exclude.empty() || !segment.in_segment.empty()))
    throw Error(ErrorKind::kInternal,
                "segment '" + segment.id + "' names other segments; resolve its references first");
  model::ContactFilter filter;
  filter.root = segment.where;
  filter.now = now;
  filter.exclude = segment.exclude_filters;
  filter.cap = segment.cap;
  filter.sample = segment.sample;
  return filter;
}

}  // namespace b2bmail::segment
