#include "support/scripted_smtp_server.h"

#include <chrono>
#include <stdexcept>

namespace b2bmail::testing {
namespace {

std::vector<std::string> Command(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   B2BMAIL_SUPPORT_DIR "/scripted_smtp_server.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

ScriptedSmtpServer::ScriptedSmtpServer(const std::vector<std::string>& args)
    : process_(Command(args)) {
  std::string line = process_.ReadLine(std::chrono::seconds(15));
  if (line.rfind("PORT ", 0) != 0) {
    throw std::runtime_error("scripted SMTP server said \"" + line + "\" instead of its port");
  }
  port_ = std::stoi(line.substr(5));
}

}  // namespace b2bmail::testing
