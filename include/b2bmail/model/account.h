#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "b2bmail/model/enums.h"

namespace b2bmail::model {

// Custom attributes imported from unknown CSV columns, in column order.
using Attributes = std::vector<std::pair<std::string, std::string>>;

// A company. `id` is the user's key (from their CRM); domains are lower case.
// Empty strings and nullopt mean "not known".
struct Account {
  std::string id;
  std::string name;
  std::vector<std::string> domains;
  std::string industry;
  std::optional<std::int64_t> employees;
  std::string country;   // ISO 3166-1 alpha-2, upper case
  std::string timezone;  // IANA name
  std::optional<Stage> stage;
  std::optional<Tier> tier;
  std::optional<BuyingStep> buying_step;
  std::optional<PurchaseType> purchase_type;
  Attributes attrs;
};

}  // namespace b2bmail::model
