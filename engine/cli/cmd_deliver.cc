#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/campaign/store_outbox.h"
#include "b2bmail/smtp/sender.h"
#include "commands.h"
#include "host_port.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kDeliverHelp =
    R"(usage: b2bmail deliver [--until-idle] [--json] [--now ISO8601]

Sends the outbox (messages queued by `campaign launch`, and deferred messages
whose retry time has come) to the relay in b2bmail.toml:

  [smtp]
  relay = "host:port"                # required
  helo = "mail.example.com"          # our name in EHLO (default: localhost)
  max_messages_per_connection = 100
  connect_timeout_seconds = 30
  command_timeout_seconds = 300

--until-idle  stop when nothing is due (otherwise keep running, picking up new
              and retried messages, until Ctrl-C)
--json        print the summary as JSON

4xx replies and network failures defer a message (retry after 5 min, doubling
up to 4 h, each delay spread by up to 10% either way; failed after 10 attempts
or when a retry would fall over 72 h after queueing); 5xx replies fail it, but
a full mailbox is retried. Only an unknown mailbox or domain suppresses the
address. Messages a crashed deliver left in flight are queued again first.
)";

std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop = true; }

smtp::SenderOptions LoadSenderOptions(const Workspace& ws) {
  smtp::SenderOptions o;
  auto relay = ws.Setting("smtp", "relay");
  if (!relay)
    throw Error(ErrorKind::kConfig, "no relay configured: add [smtp] relay = \"host:port\" to " +
                                        (ws.root() / "b2bmail.toml").string());
  auto hp = ParseHostPort(*relay, "[smtp] relay");
  o.relay.host = hp.host;
  o.relay.port = hp.port;
  if (auto helo = ws.Setting("smtp", "helo")) o.relay.helo_name = *helo;
  if (auto n = ws.IntSetting("smtp", "max_messages_per_connection"))
    o.max_messages_per_connection = static_cast<int>(std::max<std::int64_t>(1, *n));
  if (auto s = ws.IntSetting("smtp", "connect_timeout_seconds"))
    o.relay.connect_timeout = std::chrono::seconds(*s);
  if (auto s = ws.IntSetting("smtp", "command_timeout_seconds"))
    o.relay.command_timeout = std::chrono::seconds(*s);
  return o;
}

void Accumulate(smtp::DeliveryStats& total, const smtp::DeliveryStats& run) {
  total.attempted += run.attempted;
  total.delivered += run.delivered;
  total.deferred += run.deferred;
  total.failed += run.failed;
}

}  // namespace

int CmdDeliver(const GlobalOptions& global, const Words& words) {
  Args args(words, {}, {"until-idle", "json", "help"});
  if (args.Has("help")) {
    std::cout << kDeliverHelp;
    return kExitOk;
  }
  if (!args.positional().empty())
    throw Error(ErrorKind::kUsage, "deliver takes no arguments (see b2bmail deliver --help)");
  Workspace ws(global);
  auto options = LoadSenderOptions(ws);
  auto db = ws.OpenDatabase();
  campaign::StoreOutbox outbox(*db);
  smtp::Sender sender(options, outbox, ws.clock());

  bool tty = isatty(STDERR_FILENO) == 1 && !args.Has("json");
  auto progress = [tty](const smtp::DeliveryStats& s) {
    if (!tty) return;
    std::fprintf(stderr, "\rdelivering: %d sent, %d deferred, %d failed", s.delivered, s.deferred,
                 s.failed);
    std::fflush(stderr);
  };
  smtp::DeliveryStats total;
  if (args.Has("until-idle")) {
    total = sender.RunUntilIdle(progress);
  } else {
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    while (!g_stop) {
      Accumulate(total, sender.RunUntilIdle(progress));
      // Poll for newly launched campaigns and due retries.
      for (int i = 0; i < 20 && !g_stop; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
  if (tty) std::fprintf(stderr, "\r\033[K");
  auto counts = db->CountOutbox("");
  if (args.Has("json")) {
    std::cout << "{\"attempted\":" << total.attempted << ",\"delivered\":" << total.delivered
              << ",\"deferred\":" << total.deferred << ",\"failed\":" << total.failed
              << ",\"recovered_in_flight\":" << outbox.recovered_in_flight()
              << ",\"outbox\":{\"queued\":" << counts.queued << ",\"deferred\":" << counts.deferred
              << ",\"sent\":" << counts.sent << ",\"failed\":" << counts.failed << "}}\n";
  } else {
    if (outbox.recovered_in_flight())
      std::cout << "requeued " << outbox.recovered_in_flight()
                << " messages left in flight by an earlier run\n";
    std::cout << "delivered " << total.delivered << ", deferred " << total.deferred << ", failed "
              << total.failed << " (" << total.attempted << " attempts to " << options.relay.host
              << ":" << options.relay.port << ")\n";
    std::cout << "outbox: " << counts.sent << " sent, " << counts.queued << " queued, "
              << counts.deferred << " deferred, " << counts.failed << " failed\n";
    if (auto next = outbox.NextRetry())
      std::cout << "next retry due at " << base::FormatIso8601(*next) << "\n";
  }
  return kExitOk;
}

}  // namespace b2bmail::cli
