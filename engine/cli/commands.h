#pragma once
// One function per subcommand. Each receives the global options and the words
// after its name, and returns the exit code (0 ok, 1 failure, 2 usage/input).

#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "workspace.h"

namespace b2bmail::cli {

using Words = std::vector<std::string>;

int CmdInit(const GlobalOptions& global, const Words& words);
int CmdImport(const GlobalOptions& global, const Words& words);
int CmdSegment(const GlobalOptions& global, const Words& words);
int CmdTemplate(const GlobalOptions& global, const Words& words);
int CmdDkim(const GlobalOptions& global, const Words& words);
int CmdCampaign(const GlobalOptions& global, const Words& words);
int CmdDeliver(const GlobalOptions& global, const Words& words);
int CmdSink(const GlobalOptions& global, const Words& words);
int CmdQueue(const GlobalOptions& global, const Words& words);
int CmdBounce(const GlobalOptions& global, const Words& words);
int CmdSuppress(const GlobalOptions& global, const Words& words);
int CmdReport(const GlobalOptions& global, const Words& words);

// Prints diagnostics to stderr, as text lines or (json) JSON lines on stdout.
void PrintDiagnostics(const base::Diagnostics& diagnostics, bool json);

// Exit codes shared by the commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace b2bmail::cli
