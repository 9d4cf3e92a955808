#pragma once
// A scratch workspace for end-to-end runs of the `b2bmail` binary: copies of the shipped
// segments, templates and campaigns in a temporary directory, commands run at a fixed
// time.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace b2bmail::testing {

inline const std::string kSource = B2BMAIL_SOURCE_DIR;
inline const std::string kNow = "2026-11-23T09:00:00Z";

struct Workspace {
  TempDir dir;
  Workspace() {
    for (const char* sub : {"segments", "templates", "campaigns"})
      std::filesystem::copy(kSource + "/" + sub, dir.path() / sub,
                            std::filesystem::copy_options::recursive);
  }
  // Standard output, and standard error when `stderr_too`.
  CommandResult Run(const std::string& args, bool stderr_too = false) const {
    return RunCommand(std::string(B2BMAIL_BINARY) + " --workspace " + ShellQuote(dir.path()) +
                      " --now " + kNow + " " + args + (stderr_too ? " 2>&1" : " 2>/dev/null"));
  }
  // Imports samples/ (accounts, contacts, events); fails the test on any error.
  void ImportSamples() const {
    for (const char* kind : {"accounts", "contacts", "events"}) {
      auto r = Run(std::string("import ") + kind + " " + kSource + "/samples/" + kind + ".csv");
      INFO(r.output);
      REQUIRE(r.exit_code == 0);
    }
  }
};

}  // namespace b2bmail::testing
