// The model is plain values; this file exists so b2bmail_model is a real library
// that other modules link against, and to check the name tables at compile time.
#include "b2bmail/model/enums.h"

namespace b2bmail::model {

static_assert(Name(Role::kGatekeeper) == "gatekeeper");
static_assert(Name(Seniority::kEntry) == "entry");
static_assert(Name(Tier::kStrategicChampion) == "strategic_champion");
static_assert(Name(EventType::kConverted) == "converted");
static_assert(EnumNames<Consent>::kNames.size() == 3);

}  // namespace b2bmail::model
