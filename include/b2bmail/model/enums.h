#pragma once
// The closed vocabularies of the B2B model (../shared/reference/b2b-domain.md).
// Each enum's names are the spellings used in CSV files, segment files and the store;
// the declaration order is meaningful where the domain has an order
// (seniority: highest first; stage: along the journey; tier: up the loyalty ladder).

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace b2bmail::model {

// Buying-center role a contact plays at their account.
enum class Role { kDecisionMaker, kBuyer, kPrescriber, kInfluencer, kUser, kGatekeeper };
// Ordered, highest first.
enum class Seniority { kCLevel, kVp, kDirector, kManager, kSenior, kEntry };
// Customer journey stage of an account.
enum class Stage { kAwareness, kConsideration, kDecision, kRetention, kAdvocacy };
// Loyalty ladder, lowest first.
enum class Tier { kOneOff, kRepeat, kAdvocate, kChampion, kStrategicChampion };
// Step of the account's current buying process.
enum class BuyingStep { kNeed, kSpecification, kSupplierSearch, kNegotiation, kDecision };
enum class PurchaseType { kNewBuy, kModifiedRebuy, kStraightRebuy };
// Legal basis for mailing a contact; kNone is never mailed.
enum class Consent { kOptIn, kLegitimateInterest, kNone };
// What happened to a contact (imported or recorded by the engine).
enum class EventType {
  kSent,
  kDelivered,
  kOpened,
  kClicked,
  kBounced,
  kUnsubscribed,
  kComplained,
  kConverted
};

// Names per enum, in declaration order.
template <typename E>
struct EnumNames;

#define B2BMAIL_ENUM_NAMES(E, ...)                                                 \
  template <>                                                                      \
  struct EnumNames<E> {                                                            \
    static constexpr auto kNames = std::to_array<std::string_view>({__VA_ARGS__}); \
    static constexpr std::string_view kTypeName = #E;                              \
  };

B2BMAIL_ENUM_NAMES(Role, "decision_maker", "buyer", "prescriber", "influencer", "user",
                   "gatekeeper")
B2BMAIL_ENUM_NAMES(Seniority, "c_level", "vp", "director", "manager", "senior", "entry")
B2BMAIL_ENUM_NAMES(Stage, "awareness", "consideration", "decision", "retention", "advocacy")
B2BMAIL_ENUM_NAMES(Tier, "one_off", "repeat", "advocate", "champion", "strategic_champion")
B2BMAIL_ENUM_NAMES(BuyingStep, "need", "specification", "supplier_search", "negotiation",
                   "decision")
B2BMAIL_ENUM_NAMES(PurchaseType, "new_buy", "modified_rebuy", "straight_rebuy")
B2BMAIL_ENUM_NAMES(Consent, "opt_in", "legitimate_interest", "none")
B2BMAIL_ENUM_NAMES(EventType, "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed",
                   "complained", "converted")
#undef B2BMAIL_ENUM_NAMES

// The canonical name of a value ("decision_maker").
template <typename E>
constexpr std::string_view Name(E value) {
  return EnumNames<E>::kNames[static_cast<std::size_t>(value)];
}

// Parses a canonical name, ASCII case-insensitively; nullopt when unknown.
template <typename E>
std::optional<E> Parse(std::string_view text) {
  const auto& names = EnumNames<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].size() != text.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < text.size() && same; ++k) {
      char c = text[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == names[i][k];
    }
    if (same) return static_cast<E>(i);
  }
  return std::nullopt;
}

// "a, b, c": every name, for error messages.
template <typename E>
std::string NameList() {
  std::string out;
  for (auto n : EnumNames<E>::kNames) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace b2bmail::model
