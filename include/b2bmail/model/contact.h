#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "b2bmail/model/account.h"
#include "b2bmail/model/enums.h"

namespace b2bmail::model {

// A person at an account. `email` is the key (compared case-insensitively).
struct Contact {
  std::int64_t id = 0;  // store-assigned; 0 before the contact is stored
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string title;
  std::string account_id;  // empty: no account
  std::optional<Role> role;
  std::optional<Seniority> seniority;
  std::string department;
  std::string language;  // BCP 47
  std::string country;   // ISO 3166-1 alpha-2
  std::string timezone;  // IANA
  Consent consent = Consent::kNone;
  bool unsubscribed = false;
  Attributes attrs;
};

}  // namespace b2bmail::model
