// Links segments that name each other (`in segment x`, `exclude x`): loads every
// named file once, depth first, and reports unknown ids and cycles where they are
// written.
#include <map>

#include "b2bmail/base/strings.h"
#include "b2bmail/segment/segment.h"

namespace b2bmail::segment {
namespace {

using model::FilterNode;
using model::FilterNodePtr;

class Resolver {
 public:
  Resolver(const SegmentLocator& locate, const std::vector<std::string>& known_ids,
           base::Diagnostics& diags)
      : locate_(locate), known_ids_(known_ids), diags_(diags) {}

  // Fills the references of `def` (whose id is on the stack); false on any error.
  bool Link(SegmentDefinition& def) {
    stack_.push_back(def.id);
    bool ok = true;
    std::map<std::string, model::ContactFilterPtr> named;
    auto resolve = [&](const SegmentReference& ref) {
      auto filter = Resolve(def, ref);
      if (filter)
        named[ref.id] = filter;
      else
        ok = false;
    };
    for (const auto& ref : def.in_segment) resolve(ref);
    for (const auto& ref : def.exclude) resolve(ref);
    stack_.pop_back();
    if (!ok) return false;
    def.where = Rewrite(def.where, named);
    def.exclude_filters.clear();
    for (const auto& ref : def.exclude) def.exclude_filters.push_back(named.at(ref.id));
    def.resolved = true;
    return true;
  }

 private:
  model::ContactFilterPtr Resolve(const SegmentDefinition& from, const SegmentReference& ref) {
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] != ref.id) continue;
      std::string cycle;
      for (std::size_t k = i; k < stack_.size(); ++k) cycle += stack_[k] + " -> ";
      diags_.Error(from.file, ref.position, "cycle", "segment cycle: " + cycle + ref.id);
      return nullptr;
    }
    if (auto it = done_.find(ref.id); it != done_.end()) return it->second;
    auto path = locate_(ref.id);
    if (!path) {
      std::string best = base::Nearest(ref.id, known_ids_);
      diags_.Error(
          from.file, ref.position, "unknown-segment",
          "no segment '" + ref.id + "'" + (best.empty() ? "" : " (did you mean " + best + "?)"));
      return nullptr;
    }
    ParseResult named = LoadSegmentFile(*path);
    diags_.Append(named.diagnostics);
    if (!named.segment) {
      diags_.Error(from.file, ref.position, "segment-error",
                   "segment '" + ref.id + "' has errors (" + *path + ")");
      return nullptr;
    }
    named.segment->id = ref.id;
    if (!Link(*named.segment)) return nullptr;
    auto filter = std::make_shared<model::ContactFilter>(ToFilter(*named.segment, {}));
    done_[ref.id] = filter;
    return filter;
  }

  // A copy of the tree with every kInSelection node given its selection; unchanged
  // subtrees are shared.
  static FilterNodePtr Rewrite(const FilterNodePtr& node,
                               const std::map<std::string, model::ContactFilterPtr>& named) {
    if (!node) return node;
    if (node->kind == FilterNode::Kind::kInSelection) {
      auto copy = std::make_shared<FilterNode>(*node);
      copy->selection = named.at(node->segment_id);
      return copy;
    }
    std::vector<FilterNodePtr> children;
    bool changed = false;
    for (const auto& child : node->children) {
      children.push_back(Rewrite(child, named));
      changed = changed || children.back() != child;
    }
    if (!changed) return node;
    auto copy = std::make_shared<FilterNode>(*node);
    copy->children = std::move(children);
    return copy;
  }

  const SegmentLocator& locate_;
  const std::vector<std::string>& known_ids_;
  base::Diagnostics& diags_;
  std::vector<std::string> stack_;
  std::map<std::string, model::ContactFilterPtr> done_;
};

}  // namespace

void ResolveReferences(ParseResult& result, const SegmentLocator& locate,
                       const std::vector<std::string>& known_ids) {
  if (!result.segment) return;
  Resolver resolver(locate, known_ids, result.diagnostics);
  if (!resolver.Link(*result.segment) || result.diagnostics.HasErrors()) result.segment.reset();
}

}  // namespace b2bmail::segment
