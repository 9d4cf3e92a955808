#pragma once
// The fields a segment can name (`contact.role`, `account.employees`,
// `contact.attr.score`) and their types: one catalogue for the segment checker
// and the store's query compiler.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::model {

enum class Entity { kContact, kAccount };

enum class FieldType {
  kText,
  kInteger,
  kRole,
  kSeniority,
  kStage,
  kTier,
  kBuyingStep,
  kPurchaseType,
  kConsent,
};

struct FieldInfo {
  Entity entity;
  std::string_view name;  // as written after `contact.` / `account.`
  FieldType type;
};

// A resolved field reference. Custom attributes have type kText and custom=true.
struct FieldRef {
  Entity entity = Entity::kContact;
  std::string name;
  FieldType type = FieldType::kText;
  bool custom = false;

  // `contact.role`, `account.attr.region`.
  std::string Spelling() const;
};

// Every built-in field, contact fields first.
std::span<const FieldInfo> BuiltinFields();

// Finds a built-in field; nullopt when unknown.
std::optional<FieldInfo> FindField(Entity entity, std::string_view name);

// The canonical names of the enum behind `type`; empty for text and integer.
std::vector<std::string_view> EnumValuesOf(FieldType type);

}  // namespace b2bmail::model
