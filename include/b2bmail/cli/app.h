#pragma once
// The `b2bmail` command line: git-style subcommands over the library. Contains no
// business logic; it reads the workspace (b2bmail.toml, segments/, templates/,
// campaigns/), fills each module's Options, calls it, and prints.

#include <string>
#include <vector>

namespace b2bmail::cli {

// Runs one invocation; returns the process exit code (0 ok, 1 failure, 2 usage or
// input error). Writes results to stdout and errors, one line each, to stderr.
int Run(const std::vector<std::string>& args);

}  // namespace b2bmail::cli
