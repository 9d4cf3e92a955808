#pragma once
// b2bmail.toml's [smtp] tables as DeliveryEngineOptions (only the CLI reads TOML).
// docs/operations.md lists every key.

#include <string>

#include "b2bmail/smtp/delivery_engine.h"
#include "workspace.h"

namespace b2bmail::cli {

struct DeliveryConfig {
  smtp::DeliveryEngineOptions engine;
  std::string attempt_log;  // path of the JSON-lines attempt log; empty: none
  std::string describe;     // "relay 127.0.0.1:2525" or "MX", for the summary line
};

// Throws Error{kConfig} with file:line:column for a bad value or an unknown key.
DeliveryConfig LoadDeliveryConfig(const Workspace& ws);

}  // namespace b2bmail::cli
