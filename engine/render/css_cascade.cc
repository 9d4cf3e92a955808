#include "css_cascade.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "b2bmail/base/strings.h"

namespace b2bmail::render {
namespace {

// Cascade precedence: normal stylesheet < normal inline < important stylesheet < important
// inline; within a tier specificity, then source order.
struct Rank {
  int tier = 0;
  Specificity specificity;
  std::size_t order = 0;
  auto operator<=>(const Rank&) const = default;
};

struct Entry {
  std::string_view property;
  std::string_view value;
  Rank rank;
  std::size_t first_seen;  // the stable output order
};

// Properties that can overlap share a family; overlap checks stay within one, so an element
// with many unrelated properties costs no quadratic work.
std::string_view Family(std::string_view p) {
  if (p.starts_with("--")) return p;
  if (p == "line-height") return "font";  // `font` resets it
  std::size_t dash = p.find('-', p.starts_with("-") ? 1 : 0);
  return p.substr(0, dash);
}

std::size_t Segments(std::string_view p) { return std::count(p.begin(), p.end(), '-') + 1; }

// True when one property sets (part of) what the other sets: shorthand and longhand.
bool Overlaps(std::string_view a, std::string_view b) {
  auto extends = [](std::string_view whole, std::string_view part) {
    return whole.size() > part.size() && whole.starts_with(part) && whole[part.size()] == '-';
  };
  if (extends(a, b) || extends(b, a)) return true;
  if ((a == "font" && b == "line-height") || (a == "line-height" && b == "font")) return true;
  // border-width / border-top-width, border-radius / border-top-left-radius.
  if (a.starts_with("border-") && b.starts_with("border-") &&
      a.substr(a.rfind('-')) == b.substr(b.rfind('-')) && (Segments(a) == 2) != (Segments(b) == 2))
    return true;
  return false;
}

// Reorders one family's members (indices in output order) so that of two overlapping
// properties the higher-ranked comes later, otherwise keeping their order.
std::vector<std::size_t> OrderFamily(const std::vector<Entry>& entries,
                                     std::vector<std::size_t> members) {
  auto by_rank = [&](std::size_t x, std::size_t y) { return entries[x].rank < entries[y].rank; };
  if (members.size() > 32) {  // never in real mail; keeps hostile input cheap and still correct
    std::sort(members.begin(), members.end(), by_rank);
    return members;
  }
  std::vector<std::size_t> out;
  std::vector<bool> placed(members.size(), false);
  while (out.size() < members.size()) {
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (placed[i]) continue;
      bool blocked = false;
      for (std::size_t j = 0; j < members.size() && !blocked; ++j)
        blocked = !placed[j] && j != i && by_rank(members[j], members[i]) &&
                  Overlaps(entries[members[i]].property, entries[members[j]].property);
      if (!blocked) {
        placed[i] = true;
        out.push_back(members[i]);
        break;
      }
    }
  }
  return out;
}

// Sorts by first appearance, then lets each family fill its own positions in the order
// OrderFamily gives it.
std::vector<Entry> Ordered(std::vector<Entry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.first_seen < b.first_seen; });
  std::unordered_map<std::string_view, std::vector<std::size_t>> families;
  for (std::size_t i = 0; i < entries.size(); ++i)
    families[Family(entries[i].property)].push_back(i);
  std::vector<Entry> out(entries.size());
  for (auto& [family, slots] : families) {
    std::vector<std::size_t> order = OrderFamily(entries, slots);
    for (std::size_t k = 0; k < slots.size(); ++k) out[slots[k]] = entries[order[k]];
  }
  return out;
}

class Winners {
 public:
  void Offer(std::string_view property, std::string_view value, Rank rank, std::size_t seen) {
    auto [it, inserted] = index_.try_emplace(property, entries_.size());
    if (inserted) {
      entries_.push_back({property, value, rank, seen});
      return;
    }
    Entry& e = entries_[it->second];
    if (e.rank < rank) {
      e.value = value;
      e.rank = rank;
    }
    e.first_seen = std::min(e.first_seen, seen);
  }
  std::vector<Entry> Take() { return Ordered(std::move(entries_)); }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

void Append(std::string& out, std::string_view text) {
  if (text.empty()) return;
  if (!out.empty()) out += "; ";
  out += text;
}

void Append(std::string& out, const Entry& e) {
  Append(out, std::string(e.property) + ": " + std::string(e.value));
}

}  // namespace

std::string CascadeStyle(const std::optional<std::string>& inline_style,
                         const std::vector<MatchedDeclaration>& matched) {
  CssDeclarations own;
  if (inline_style) own = ParseDeclarations(*inline_style);
  // Text we cannot take apart is kept whole, between the stylesheet's normal declarations
  // (which it beats, being later) and its important ones (which beat it).
  bool keep_whole = own.opaque || !own.problems.empty();
  std::size_t inline_count = keep_whole ? 0 : own.declarations.size();

  Winners winners;
  for (std::size_t i = 0; i < inline_count; ++i) {
    const CssDeclaration& d = own.declarations[i];
    winners.Offer(d.property, d.value, {d.important ? 3 : 1, {}, i}, i);
  }
  for (const MatchedDeclaration& m : matched) {
    const CssDeclaration& d = *m.declaration;
    winners.Offer(d.property, d.value, {d.important ? 2 : 0, m.specificity, m.order},
                  inline_count + m.order);
  }
  std::vector<Entry> entries = winners.Take();

  std::string out;
  if (!keep_whole) {
    for (const Entry& e : entries) Append(out, e);
    return out;
  }
  for (const Entry& e : entries)
    if (e.rank.tier == 0) Append(out, e);
  std::string_view text = base::Trim(*inline_style);
  while (!text.empty() && text.back() == ';') text = base::Trim(text.substr(0, text.size() - 1));
  Append(out, text);
  for (const Entry& e : entries)
    if (e.rank.tier == 2) Append(out, e);
  return out;
}

}  // namespace b2bmail::render
