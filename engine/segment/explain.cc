// The clause-by-clause selections behind `segment explain`.
#include "b2bmail/segment/segment.h"

namespace b2bmail::segment {

std::vector<ExplainStep> Explain(const SegmentDefinition& segment, base::TimePoint now) {
  using Kind = ExplainStep::Kind;
  model::ContactFilter full = ToFilter(segment, now);
  std::vector<ExplainStep> steps;
  model::ContactFilter f;
  f.now = now;
  f.mailable_only = false;
  steps.push_back({Kind::kAll, "all contacts", f});

  // The top-level `and` terms one by one, when the parser recorded them as such.
  std::vector<model::FilterNodePtr> terms{segment.where};
  if (segment.where->kind == model::FilterNode::Kind::kAnd &&
      segment.where->children.size() == segment.where_terms.size())
    terms = segment.where->children;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i == 0) {
      f.root = terms[0];
    } else {
      auto conj = std::make_shared<model::FilterNode>();
      conj->kind = model::FilterNode::Kind::kAnd;
      conj->children.assign(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      f.root = conj;
    }
    std::string text = i < segment.where_terms.size() ? segment.where_terms[i] : "";
    steps.push_back({Kind::kWhereTerm, (i == 0 ? "where " : "and ") + text, f});
  }
  f.root = segment.where;
  f.mailable_only = true;
  steps.push_back({Kind::kMailable, "mailable (consent, not unsubscribed, not suppressed)", f});
  for (std::size_t i = 0; i < full.exclude.size(); ++i) {
    f.exclude.push_back(full.exclude[i]);
    steps.push_back({Kind::kExclude, "exclude " + segment.exclude[i].id, f});
  }
  if (full.cap) {
    f.cap = full.cap;
    steps.push_back({Kind::kCap, segment.cap_text, f});
  }
  if (full.sample) {
    f.sample = full.sample;
    steps.push_back({Kind::kSample, segment.sample_text, f});
  }
  return steps;
}

}  // namespace b2bmail::segment
