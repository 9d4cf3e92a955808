#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/smtp/sink_server.h"
#include "commands.h"
#include "host_port.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kSinkHelp =
    R"(usage: b2bmail sink --listen HOST:PORT --maildir DIR [--ready-file FILE] [--hostname NAME]

A small capturing SMTP server: accepts every message and writes it, once per
recipient with Return-Path and Delivered-To added, into the Maildir DIR
(DIR/new/). For demos and tests; it has no authentication, so listen on
loopback (127.0.0.1). Port 0 picks a free port; --ready-file writes the bound
HOST:PORT to FILE once connections are accepted. Stops on Ctrl-C or SIGTERM.
)";

}  // namespace

int CmdSink(const GlobalOptions&, const Words& words) {
  Args args(words, {"listen", "maildir", "ready-file", "hostname"}, {"help"});
  if (args.Has("help")) {
    std::cout << kSinkHelp;
    return kExitOk;
  }
  auto listen = args.Get("listen");
  auto maildir = args.Get("maildir");
  if (!listen || !maildir || !args.positional().empty()) {
    std::cerr << kSinkHelp;
    return kExitUsage;
  }
  auto hp = ParseHostPort(*listen, "--listen");
  smtp::SinkOptions options;
  options.address = hp.host;
  options.port = hp.port;
  options.maildir = *maildir;
  if (auto name = args.Get("hostname")) options.hostname = *name;

  // Block the stop signals before the server starts its threads, so they inherit
  // the mask and this thread alone receives them in sigwait().
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  smtp::SinkServer server(options);
  server.Start();
  std::string bound = hp.host + ":" + std::to_string(server.port());
  std::cout << "b2bmail sink listening on " << bound << ", writing " << *maildir << std::endl;
  if (auto ready = args.Get("ready-file")) {
    // Write then rename, so a reader never sees a half-written address.
    std::string tmp = *ready + ".tmp";
    std::ofstream(tmp) << bound;
    std::filesystem::rename(tmp, *ready);
  }
  int sig = 0;
  sigwait(&stop, &sig);
  server.Stop();
  std::cout << "b2bmail sink stopped after " << server.messages_received() << " messages"
            << std::endl;
  return kExitOk;
}

}  // namespace b2bmail::cli
