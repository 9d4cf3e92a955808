#pragma once
// Segment files (`segments/<id>.seg`): parse and check the segment language into a
// model::ContactFilter. docs/segments.md describes the language and its semantics.
//
//   segment "<display name>"                       optional
//   where <expr>                                   required
//   exclude <id> [, <id> ...]                      optional
//   cap <N> per account [order by <key> [asc|desc] [, ...]]
//   sample <P>% [seed <N>]
//
// Segments name each other (`in segment x`, `exclude x`); ResolveReferences loads
// the named files and reports unknown ids and cycles.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/base/diagnostics.h"
#include "b2bmail/model/contact_filter.h"

namespace b2bmail::segment {

// A segment named by another (`in segment <id>`, `exclude <id>`), where it is named.
struct SegmentReference {
  std::string id;
  base::SourcePosition position;
};

struct SegmentDefinition {
  std::string id;            // the file's stem
  std::string file;          // as given to the parser, for diagnostics
  std::string display_name;  // from `segment "<name>"`; empty when absent
  // The expression; kInSelection nodes carry their segment_id, and their selection
  // once ResolveReferences has run.
  model::FilterNodePtr where;
  // The source text of each top-level `and` term of `where`, in order (one entry
  // when `where` is not an `and`), for `segment explain`.
  std::vector<std::string> where_terms;
  std::vector<SegmentReference> exclude;
  std::vector<SegmentReference> in_segment;  // every `in segment` reference, in order
  std::optional<model::AccountCap> cap;
  std::string cap_text;  // "cap 2 per account order by contact.seniority desc"
  std::optional<model::Sample> sample;
  std::string sample_text;
  // Filled by ResolveReferences: the selections of `exclude`, in order.
  std::vector<model::ContactFilterPtr> exclude_filters;
  bool resolved = false;  // true once every reference has its selection
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

// Where the file of segment `id` is; nullopt when there is none.
using SegmentLocator = std::function<std::optional<std::string>(const std::string& id)>;

// Loads, checks and links every segment `result` names, directly or not. Unknown
// ids, errors inside named files and cycles ("segment cycle: a -> b -> a") become
// diagnostics at the reference; on any error `result.segment` is reset.
// Throws Error{kIo} when a located file cannot be read.
// `known_ids` (every segment there is) lets an unknown id come with a suggestion.
void ResolveReferences(ParseResult& result, const SegmentLocator& locate,
                       const std::vector<std::string>& known_ids = {});

// The selection a segment means at time `now`. Throws Error{kInternal} when the
// segment names other segments and ResolveReferences has not run.
model::ContactFilter ToFilter(const SegmentDefinition& segment, base::TimePoint now);

// One line of `segment explain`: what the selection is after this step.
struct ExplainStep {
  enum class Kind { kAll, kWhereTerm, kMailable, kExclude, kCap, kSample };
  Kind kind = Kind::kAll;
  std::string label;            // the clause as written, or a description
  model::ContactFilter filter;  // the cumulative selection up to and including this step
};

// The cumulative selections of a segment, clause by clause, in evaluation order:
// every contact, each `where` term in turn (before the mailable rule, so a marketer
// sees what each term removes), the mailable rule, each exclude, cap, sample.
// The last step's filter selects what ToFilter selects.
std::vector<ExplainStep> Explain(const SegmentDefinition& segment, base::TimePoint now);

}  // namespace b2bmail::segment
