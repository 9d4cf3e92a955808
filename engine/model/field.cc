#include "b2bmail/model/field.h"

#include <array>

#include "b2bmail/model/enums.h"

namespace b2bmail::model {
namespace {

constexpr std::array<FieldInfo, 22> kFields{{
    {Entity::kContact, "email", FieldType::kText},
    {Entity::kContact, "first_name", FieldType::kText},
    {Entity::kContact, "last_name", FieldType::kText},
    {Entity::kContact, "title", FieldType::kText},
    {Entity::kContact, "role", FieldType::kRole},
    {Entity::kContact, "seniority", FieldType::kSeniority},
    {Entity::kContact, "department", FieldType::kText},
    {Entity::kContact, "language", FieldType::kText},
    {Entity::kContact, "country", FieldType::kText},
    {Entity::kContact, "timezone", FieldType::kText},
    {Entity::kContact, "consent", FieldType::kConsent},
    {Entity::kAccount, "id", FieldType::kText},
    {Entity::kAccount, "name", FieldType::kText},
    {Entity::kAccount, "domain", FieldType::kText},
    {Entity::kAccount, "industry", FieldType::kText},
    {Entity::kAccount, "employees", FieldType::kInteger},
    {Entity::kAccount, "country", FieldType::kText},
    {Entity::kAccount, "timezone", FieldType::kText},
    {Entity::kAccount, "stage", FieldType::kStage},
    {Entity::kAccount, "tier", FieldType::kTier},
    {Entity::kAccount, "buying_step", FieldType::kBuyingStep},
    {Entity::kAccount, "purchase_type", FieldType::kPurchaseType},
}};

template <typename E>
std::vector<std::string_view> NamesOf() {
  const auto& n = EnumNames<E>::kNames;
  return {n.begin(), n.end()};
}

}  // namespace

std::string FieldRef::Spelling() const {
  std::string out = entity == Entity::kContact ? "contact." : "account.";
  if (custom) out += "attr.";
  return out + name;
}

std::span<const FieldInfo> BuiltinFields() { return kFields; }

std::optional<FieldInfo> FindField(Entity entity, std::string_view name) {
  for (const auto& f : BuiltinFields())
    if (f.entity == entity && f.name == name) return f;
  return std::nullopt;
}

std::vector<std::string_view> EnumValuesOf(FieldType type) {
  switch (type) {
    case FieldType::kRole:
      return NamesOf<Role>();
    case FieldType::kSeniority:
      return NamesOf<Seniority>();
    case FieldType::kStage:
      return NamesOf<Stage>();
    case FieldType::kTier:
      return NamesOf<Tier>();
    case FieldType::kBuyingStep:
      return NamesOf<BuyingStep>();
    case FieldType::kPurchaseType:
      return NamesOf<PurchaseType>();
    case FieldType::kConsent:
      return NamesOf<Consent>();
    case FieldType::kText:
    case FieldType::kInteger:
      return {};
  }
  return {};
}

}  // namespace b2bmail::model
