#pragma once

#include <string>

namespace b2bmail::model {

// What a campaign sends, to whom, from whom (campaigns/<id>.toml).
struct Campaign {
  std::string id;
  std::string name;
  std::string segment;      // segment id (segments/<id>.seg)
  std::string template_id;  // template id (templates/<id>/)
  std::string subject;      // a Mustache template itself
  std::string from_address;
  std::string from_name;
  std::string reply_to;  // empty: none
  // The kind of mail, Feedback-ID's third field: "marketing", "newsletter", "event",
  // "nurture"... One value per kind, never per message (Gmail aggregates by it).
  std::string mail_type = "marketing";
};

}  // namespace b2bmail::model
