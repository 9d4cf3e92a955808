#include "support/scripted_smtp_server.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace b2bmail::testing {
namespace {

std::vector<std::string> Command(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   B2BMAIL_SUPPORT_DIR "/scripted_smtp_server.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// "127.0.0.2:40123" or "[::1]:40123".
ScriptedSmtpServer::Listener ParseListener(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw std::runtime_error("scripted SMTP server: bad listener \"" + text + "\"");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return {host, std::stoi(text.substr(colon + 1))};
}

}  // namespace

ScriptedSmtpServer::ScriptedSmtpServer(const std::vector<std::string>& args)
    : process_(Command(args)) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--log" && i + 1 < args.size()) log_path_ = args[i + 1];
    if (args[i].rfind("--log=", 0) == 0) log_path_ = args[i].substr(6);
  }
  // "PORT <n>" (one listener only), then "PORT <addr>:<port>" per listener, then READY.
  for (;;) {
    std::string line = process_.ReadLine(std::chrono::seconds(15));
    if (line == "READY") break;
    if (line.rfind("PORT ", 0) != 0) {
      throw std::runtime_error("scripted SMTP server said \"" + line + "\" instead of its port");
    }
    std::string value = line.substr(5);
    if (value.find(':') != std::string::npos) listeners_.push_back(ParseListener(value));
  }
  if (listeners_.empty()) throw std::runtime_error("scripted SMTP server listens nowhere");
}

std::vector<ScriptedSmtpServer::Event> ScriptedSmtpServer::ReadLog() const {
  if (log_path_.empty()) throw std::runtime_error("scripted SMTP server runs without --log");
  std::ifstream in(log_path_);
  std::vector<Event> events;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) events.push_back(ParseScriptedSmtpEvent(line));
  }
  return events;
}

std::vector<ScriptedSmtpServer::Event> ScriptedSmtpServer::ReadLogUntil(
    const std::function<bool(const std::vector<Event>&)>& done,
    std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto events = ReadLog();
    if (done(events)) return events;
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("scripted SMTP server log: the awaited events did not come");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ScriptedSmtpServer::Event ParseScriptedSmtpEvent(const std::string& line) {
  std::istringstream in(line);
  ScriptedSmtpServer::Event e;
  std::string time;
  if (!(in >> time >> e.client_ip >> e.name)) {
    throw std::runtime_error("scripted SMTP server log: bad line \"" + line + "\"");
  }
  e.time = std::strtod(time.c_str(), nullptr);
  std::string field;
  while (in >> field) {
    if (field.rfind("via=", 0) == 0) {
      e.via = field.substr(4);
    } else if (field.rfind("conn=", 0) == 0) {
      e.conn = std::stoi(field.substr(5));
    } else {
      e.args.push_back(field);
    }
  }
  return e;
}

ScriptedSmtpServer::Certificate ScriptedSmtpServer::MakeTestCertificate(const TempDir& dir) {
  auto result = RunCommand("/bin/sh " + ShellQuote(B2BMAIL_SUPPORT_DIR "/make_test_cert.sh") + " " +
                           ShellQuote(dir.path().string()));
  if (result.exit_code != 0) throw std::runtime_error("make_test_cert.sh failed");
  return {dir.File("cert.pem"), dir.File("key.pem")};
}

}  // namespace b2bmail::testing
