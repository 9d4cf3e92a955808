#pragma once

#include <optional>
#include <string>

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
  std::string detail;    // bounce: hard/soft; conversion: kind; click: URL
  std::optional<double> value;
};

}  // namespace b2bmail::model
