#pragma once
// Segment files (`segments/<id>.seg`): parse and check the segment language into a
// model::ContactFilter. docs/segments.md describes the language.
//
// This build implements the foundation subset: an optional `segment "<name>"`
// clause, then `where` with `=`, `!=`, `in (...)`, `not in (...)`, `and`, `or`,
// `not` and parentheses, and `<`, `<=`, `>`, `>=` on integer fields. The later
// clauses (`exclude`, `cap`, `sample`) and engagement / account predicates are
// recognised and reported as `unsupported` rather than misread.

#include <optional>
#include <string>
#include <string_view>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/diagnostics.h"
#include "b2bmail/model/contact_filter.h"

namespace b2bmail::segment {

struct SegmentDefinition {
  std::string id;            // the file's stem
  std::string display_name;  // from `segment "<name>"`; empty when absent
  model::FilterNodePtr where;
};

// The definition when `diagnostics` has no errors; diagnostics carry `file_name`
// and 1-based line:column positions (columns in code points).
struct ParseResult {
  std::optional<SegmentDefinition> segment;
  base::Diagnostics diagnostics;
};

// Parses and type-checks one segment. Never throws on bad input.
ParseResult ParseSegment(std::string_view text, const std::string& id,
                         const std::string& file_name);

// Reads and parses a file; the id is the file's stem. Throws Error{kIo} when the
// file cannot be read.
ParseResult LoadSegmentFile(const std::string& path);

// The selection a segment means at time `now`.
model::ContactFilter ToFilter(const SegmentDefinition& segment, base::TimePoint now);

}  // namespace b2bmail::segment
