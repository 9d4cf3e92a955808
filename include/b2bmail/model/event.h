#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "b2bmail/base/clock.h"
#include "b2bmail/model/enums.h"

namespace b2bmail::model {

// Something that happened to a contact. Events carry the campaign (and, later,
// the nurture step) so reports and segments can attribute them.
struct Event {
  std::string email;  // the contact, by key
  EventType type = EventType::kSent;
  base::TimePoint at{};
  std::string campaign;  // empty: not tied to a campaign
  bool bot = false;      // flagged as a security scanner or prefetch
  std::string detail;    // bounce: BounceDetail; conversion: kind; click: URL
  std::optional<double> value;
};

// The detail of a `bounced` event: "hard" or "soft", then ':' and the failure category
// the bounce was classified as (smtp::FailureCategoryName: "hard:bad-mailbox",
// "soft:mailbox-full", "soft:policy-or-spam-block"), so that reports can tell blocks
// from bad addresses. Events recorded before the category was kept, and imported ones,
// say just "hard" or "soft".
struct BounceDetail {
  bool hard = false;     // else soft
  std::string category;  // empty when not recorded
};

// Reads a bounced event's detail. Hard when it starts with "hard", soft when it starts
// with "soft" (ASCII case ignored); the category is what follows the first ':', lower-
// cased. nullopt for anything else (no bounce kind). Pure; thread-safe.
std::optional<BounceDetail> ParseBounceDetail(std::string_view detail);

// "hard" or "soft", with ":<category>" when `category` is not empty.
std::string FormatBounceDetail(const BounceDetail& detail);

}  // namespace b2bmail::model
