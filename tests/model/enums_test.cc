#include "b2bmail/model/enums.h"

#include <catch2/catch.hpp>

#include "b2bmail/model/field.h"

using namespace b2bmail::model;

TEST_CASE("enum names round-trip and parse case-insensitively", "[model]") {
  CHECK(Parse<Role>("Decision_Maker") == Role::kDecisionMaker);
  CHECK(Name(Seniority::kCLevel) == "c_level");
  CHECK_FALSE(Parse<Seniority>("cxo"));
  CHECK(NameList<Seniority>() == "c_level, vp, director, manager, senior, entry");
}

TEST_CASE("seniority is declared highest first", "[model]") {
  CHECK(Seniority::kCLevel < Seniority::kVp);
  CHECK(Seniority::kSenior < Seniority::kEntry);
}

TEST_CASE("the field catalogue knows every segment field with its type", "[model]") {
  CHECK(FindField(Entity::kContact, "role")->type == FieldType::kRole);
  CHECK(FindField(Entity::kAccount, "employees")->type == FieldType::kInteger);
  CHECK_FALSE(FindField(Entity::kContact, "employees"));
  CHECK(BuiltinFields().size() == 22);
  CHECK(EnumValuesOf(FieldType::kTier).back() == "strategic_champion");
}
