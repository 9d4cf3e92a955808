#include "b2bmail/model/event.h"

#include "b2bmail/base/strings.h"

namespace b2bmail::model {

std::optional<BounceDetail> ParseBounceDetail(std::string_view detail) {
  // Prefixes, not whole words: a detail that starts with the kind counts as that kind
  // (store::Database::InsertEvents suppresses on any "hard..." detail).
  auto starts_with = [&](std::string_view prefix) {
    return detail.size() >= prefix.size() &&
           base::EqualsIgnoreCase(detail.substr(0, prefix.size()), prefix);
  };
  BounceDetail out;
  if (starts_with("hard"))
    out.hard = true;
  else if (!starts_with("soft"))
    return std::nullopt;
  if (auto colon = detail.find(':'); colon != std::string_view::npos)
    out.category = base::AsciiLower(base::Trim(detail.substr(colon + 1)));
  return out;
}

std::string FormatBounceDetail(const BounceDetail& detail) {
  std::string out = detail.hard ? "hard" : "soft";
  if (!detail.category.empty()) out += ":" + detail.category;
  return out;
}

}  // namespace b2bmail::model
