#include "event_row_parser.h"

#include "b2bmail/base/time_format.h"
#include "b2bmail/ingest/field_validators.h"

namespace b2bmail::ingest {

const RowProblems& EventRowParser::Parse(std::span<const std::string> fields, std::size_t slot) {
  if (rows_.size() <= slot) rows_.resize(slot + 1);
  model::Event& e = rows_[slot];
  problems_.Clear();
  const ColumnMap& m = columns_;

  std::string_view email = m.Cell(fields, kEventEmail);
  e.email.clear();
  if (email.empty()) {
    problems_.Add("email", "", "is required");
  } else {
    auto v = CheckEmail(email);
    if (v.ok())
      e.email = std::move(v.value);
    else
      problems_.Add("email", email, v.problem);
  }

  std::string_view type = m.Cell(fields, kEventType);
  bool type_ok = false;
  if (type.empty()) {
    problems_.Add("type", "", "is required (one of " + model::NameList<model::EventType>() + ")");
  } else {
    auto v = CheckEnum<model::EventType>(type);
    if (v.ok()) {
      e.type = v.value;
      type_ok = true;
    } else {
      problems_.Add("type", type, v.problem);
    }
  }

  std::string_view at = m.Cell(fields, kEventAt);
  if (at.empty()) {
    problems_.Add("at", "", "is required (an ISO 8601 date-time, e.g. 2026-01-31T14:05:09Z)");
  } else if (auto t = base::ParseIso8601(at)) {
    e.at = *t;
  } else {
    problems_.Add("at", at, "is not an ISO 8601 date-time (e.g. 2026-01-31T14:05:09Z)");
  }

  e.campaign.assign(m.Cell(fields, kEventCampaign));

  e.bot = false;
  if (std::string_view b = m.Cell(fields, kEventBot); !b.empty()) {
    auto v = CheckBool(b);
    if (v.ok())
      e.bot = v.value;
    else
      problems_.Add("bot", b, v.problem);
  }

  e.detail.clear();
  std::string_view detail = m.Cell(fields, kEventDetail);
  if (type_ok) {  // without a type, the detail cannot be judged
    auto v = CheckEventDetail(e.type, detail);
    if (v.ok())
      e.detail = std::move(v.value);
    else
      problems_.Add("detail", detail, v.problem);
  }

  e.value.reset();
  if (std::string_view value = m.Cell(fields, kEventValue); !value.empty()) {
    auto v = CheckAmount(value);
    if (v.ok())
      e.value = v.value;
    else
      problems_.Add("value", value, v.problem);
  }
  return problems_;
}

std::vector<store::RowResult> EventRowParser::Store(store::Database& db, std::size_t count) {
  return db.InsertEvents(std::span<const model::Event>(rows_.data(), count));
}

}  // namespace b2bmail::ingest
