#pragma once
// A contact selection as a plain value: what a segment file means, independent of
// any database. The segment module builds it from text (with diagnostics); the
// store turns it into a query (with bound parameters only). docs/segments.md
// states the semantics every evaluator of this value must follow.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/model/enums.h"
#include "b2bmail/model/field.h"

namespace b2bmail::model {

// A literal from a segment file. Enum values are kept as their canonical names;
// dates as "YYYY-MM-DD" text; true/false as bool.
using FilterValue = std::variant<std::string, std::int64_t, double, bool>;

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class TextMatch { kContains, kStartsWith, kEndsWith };

struct FilterNode;
using FilterNodePtr = std::shared_ptr<const FilterNode>;
struct ContactFilter;
using ContactFilterPtr = std::shared_ptr<const ContactFilter>;

// `[not] opened [campaign "x"] [at least N times] within 90d`; `converted "kind" ...`.
// Counts the contact's events of type `verb` with `now - window <= at <= now`;
// opened/clicked count only events not flagged as bots.
struct Engagement {
  EventType verb = EventType::kOpened;
  std::string campaign;  // empty: any campaign
  std::string kind;      // converted only: the event's detail (case-insensitive); empty: any
  std::int64_t at_least = 1;
  std::chrono::seconds window{0};
};

// `account has at least N contacts where <expr>` (none=false, at_least=N) or
// `account has no contacts where <expr>` (none=true). Ranges over the mailable
// contacts of the contact's account; false for a contact without an account.
struct AccountQuantifier {
  bool none = false;
  std::int64_t at_least = 1;
};

// One node of the expression tree. Invariants by kind:
//  kAnd/kOr: two or more children; kNot: one child;
//  kCompare: field + op + values.size()==1; kIn/kNotIn: field + values.size()>=1;
//  kBetween: field + values.size()==2 (inclusive); kTextMatch: field + match + one text value;
//  kEmpty: field (true when the value is unknown or empty text);
//  kEngagement: engagement; kAccountHas: quantifier + children[0] (the inner expression);
//  kInSelection: selection (the contacts another segment selects) and segment_id.
// Enum comparisons with < <= > >= and between are lowered to kIn by the segment module.
struct FilterNode {
  enum class Kind {
    kAnd,
    kOr,
    kNot,
    kCompare,
    kIn,
    kNotIn,
    kBetween,
    kTextMatch,
    kEmpty,
    kEngagement,
    kAccountHas,
    kInSelection,
  };
  Kind kind = Kind::kAnd;
  std::vector<FilterNodePtr> children;
  FieldRef field;
  CompareOp op = CompareOp::kEq;
  TextMatch match = TextMatch::kContains;
  std::vector<FilterValue> values;
  Engagement engagement;
  AccountQuantifier quantifier;
  std::string segment_id;
  ContactFilterPtr selection;
};

// `cap N per account order by k1 desc, k2`: keeps the first N contacts of each
// account in this order, then by email ascending; unknown values sort last in both
// directions; a contact without an account is its own group.
struct SortKey {
  FieldRef field;
  bool descending = false;
};
struct AccountCap {
  std::int64_t per_account = 1;
  std::vector<SortKey> order;
};

// `sample P% seed S`: keeps round-half-up(n * P / 100) of the n contacts, those
// with the smallest SampleKey(seed, email) (ties by email).
struct Sample {
  std::int64_t basis_points = 10000;  // P * 100; 10000 is 100%
  std::uint64_t seed = 0;
};

// Selects contacts for which `root` holds (no root: all), mailable ones only unless
// mailable_only is false, minus every `exclude` selection, then applies `cap`, then
// `sample`. `now` is the evaluation time (time windows, suppression expiry).
struct ContactFilter {
  FilterNodePtr root;
  base::TimePoint now{};
  std::vector<ContactFilterPtr> exclude;
  std::optional<AccountCap> cap;
  std::optional<Sample> sample;
  bool mailable_only = true;
};

// The order an enum field compares in: 0 is lowest. Seniority runs entry (0) up to
// c_level; every other enum follows its declaration order. nullopt for a name that
// is not a value of `type`.
std::optional<int> EnumRank(FieldType type, std::string_view value);

// The deterministic sampling key of a contact: a 64-bit hash of the seed and the
// ASCII-lower-cased address (FNV-1a over seed bytes then address, then a
// splitmix64 finaliser). The same on every platform and in every store.
std::uint64_t SampleKey(std::uint64_t seed, std::string_view email);

}  // namespace b2bmail::model
