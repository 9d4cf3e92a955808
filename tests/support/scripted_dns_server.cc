#include "support/scripted_dns_server.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace b2bmail::testing {
namespace {

std::vector<std::string> Command(const std::string& log, const std::vector<std::string>& records,
                                 const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {"/usr/bin/python3", B2BMAIL_SUPPORT_DIR "/dns_server.py",
                                   "--log", log};
  argv.insert(argv.end(), flags.begin(), flags.end());
  // "--" so that a record can never be taken for a flag.
  argv.push_back("--");
  argv.insert(argv.end(), records.begin(), records.end());
  return argv;
}

}  // namespace

ScriptedDnsServer::ScriptedDnsServer(const std::vector<std::string>& records,
                                     const std::vector<std::string>& flags)
    : process_(Command(dir_.File("queries.log"), records, flags)) {
  std::string line = process_.ReadLine(std::chrono::seconds(15));
  if (line.rfind("PORT ", 0) != 0) {
    throw std::runtime_error("scripted DNS server said \"" + line + "\" instead of its port");
  }
  port_ = std::stoi(line.substr(5));
}

std::vector<std::string> ScriptedDnsServer::Queries() const {
  std::vector<std::string> queries;
  // The server writes the log before it answers, so every query a finished lookup made
  // is already there.
  if (!std::filesystem::exists(dir_.File("queries.log"))) return queries;
  std::istringstream in(ReadFile(dir_.File("queries.log")));
  for (std::string line; std::getline(in, line);) queries.push_back(line);
  return queries;
}

}  // namespace b2bmail::testing
