#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "args.h"
#include "attempt_log.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/campaign/store_outbox.h"
#include "b2bmail/smtp/delivery_engine.h"
#include "commands.h"
#include "delivery_config.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kDeliverHelp =
    R"(usage: b2bmail deliver [--until-idle] [--json] [--now ISO8601]

Sends the outbox (messages queued by `campaign launch`, and deferred messages
whose retry time has come): to each recipient domain's MX hosts, or through a
relay, with one queue per domain and per mail provider (Microsoft 365, Google,
Mimecast, ... by MX host), each with its own limits. Settings in b2bmail.toml
(docs/operations.md lists them all):

  [smtp]
  relay = "host:port"                # optional: every domain through this smarthost
  helo = "mail.example.com"          # our name in EHLO (default: localhost)
  tls = "opportunistic"              # none | opportunistic | require | verify
  [smtp.limits.domain]               # per destination domain (conservative defaults)
  max_connections = 2
  per_minute = 60
  [smtp.domains."example.com"]       # one domain: limits, or a route of its own
  route = "127.0.0.2:2525"

--until-idle  stop when nothing is due (otherwise keep running, picking up new
              and retried messages, until Ctrl-C or SIGTERM)
--json        print the summary as JSON

Every attempt is appended as a JSON line to .b2bmail/delivery-log.jsonl
([smtp] attempt_log). 4xx replies and network failures defer a message (retry
after 5 min, doubling up to 4 h, spread by up to 10% either way; failed after 10
attempts or 72 h after queueing); 5xx replies fail it, but a full mailbox is
retried. Only an unknown mailbox or domain suppresses the address. Messages a
crashed deliver left in flight are queued again first.
)";

smtp::DeliveryEngine* g_engine = nullptr;
std::atomic<bool> g_stop{false};
extern "C" void OnStopSignal(int) { g_stop = true; }

std::string Eta(const smtp::DeliveryStats& s, std::int64_t total) {
  std::int64_t left = total - s.attempted;
  if (s.rate_per_second <= 0 || left <= 0) return "";
  auto seconds = static_cast<std::int64_t>(left / s.rate_per_second);
  char text[32];
  std::snprintf(text, sizeof text, ", ETA %lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  return text;
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
  auto config = LoadDeliveryConfig(ws);
  // One descriptor per SMTP session: raise the soft limit (often 1024) to the hard one,
  // as MTAs do, so that [smtp] max_connections sessions can be open.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  auto db = ws.OpenDatabase();
  campaign::StoreOutbox outbox(*db);
  smtp::DeliveryEngine engine(config.engine, outbox, ws.clock());
  AttemptLog log(config.attempt_log);

  auto before = db->CountOutbox("");
  std::int64_t total = before.queued + before.deferred;
  bool tty = isatty(STDERR_FILENO) == 1 && !args.Has("json");
  auto progress = [&](const smtp::DeliveryStats& s) {
    log.Flush();
    if (g_stop && g_engine) g_engine->Stop();
    if (!tty) return;
    std::fprintf(
        stderr, "\r\033[Kdelivering: %d sent, %d deferred, %d failed, %.0f/s, %d sessions%s",
        s.delivered, s.deferred, s.failed, s.rate_per_second, s.connections, Eta(s, total).c_str());
    std::fflush(stderr);
  };
  g_engine = &engine;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  auto total_stats = engine.Run(args.Has("until-idle"), progress,
                                [&](const smtp::AttemptLogEntry& e) { log.Write(e); });
  g_engine = nullptr;
  log.Flush();
  if (tty) std::fprintf(stderr, "\r\033[K");
  auto counts = db->CountOutbox("");
  if (args.Has("json")) {
    std::cout << "{\"attempted\":" << total_stats.attempted
              << ",\"delivered\":" << total_stats.delivered
              << ",\"deferred\":" << total_stats.deferred << ",\"failed\":" << total_stats.failed
              << ",\"released\":" << total_stats.released
              << ",\"recovered_in_flight\":" << outbox.recovered_in_flight()
              << ",\"outbox\":{\"queued\":" << counts.queued << ",\"deferred\":" << counts.deferred
              << ",\"sent\":" << counts.sent << ",\"failed\":" << counts.failed << "}}\n";
  } else {
    if (outbox.recovered_in_flight())
      std::cout << "requeued " << outbox.recovered_in_flight()
                << " messages left in flight by an earlier run\n";
    std::cout << "delivered " << total_stats.delivered << ", deferred " << total_stats.deferred
              << ", failed " << total_stats.failed << " (" << total_stats.attempted
              << " attempts via " << config.describe << ")\n";
    if (total_stats.released)
      std::cout << total_stats.released
                << " messages wait for their queue's limits (rate, warm-up, pause)\n";
    std::cout << "outbox: " << counts.sent << " sent, " << counts.queued << " queued, "
              << counts.deferred << " deferred, " << counts.failed << " failed\n";
    if (auto next = outbox.NextRetry())
      std::cout << "next retry due at " << base::FormatIso8601(*next) << "\n";
  }
  return kExitOk;
}

}  // namespace b2bmail::cli
