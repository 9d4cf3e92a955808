// bench/smtp's b2bmail side: N messages of a given payload size, queued in a real
// SQLite outbox, delivered by DeliveryEngine through a relay (Postfix's smtp-sink) over
// C connections, with every outcome recorded durably (RecordBatch) as in production.
// Prints "RESULT msgs=<n> seconds=<s> rate=<msg/s>"; setup (queueing) is not timed.
//
// usage: smtp_bench_driver --host H --port P --connections C --messages N --size BYTES
//                          --workdir DIR
// Knobs for experiments: B2BMAIL_BENCH_NO_PIPELINING=1, B2BMAIL_BENCH_COMMIT_DELAY_US=N
// (DeliveryEngineOptions::commit_delay).

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/campaign/store_outbox.h"
#include "b2bmail/smtp/delivery_engine.h"
#include "b2bmail/store/open_sqlite.h"

using namespace b2bmail;

namespace {

std::map<std::string, std::string> ParseArgs(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  for (const char* key :
       {"--host", "--port", "--connections", "--messages", "--size", "--workdir"}) {
    if (!args.count(key)) {
      std::fprintf(stderr, "smtp_bench_driver: missing %s\n", key);
      std::exit(2);
    }
  }
  return args;
}

// smtp-source -l SIZE sends SIZE bytes of payload after its few headers; so do we, in
// lines of 78 characters.
std::string Message(int i, std::size_t size) {
  std::string m = "From: <from@bench.test>\r\nTo: <to" + std::to_string(i) +
                  "@bench.test>\r\nSubject: bench " + std::to_string(i) + "\r\nMessage-ID: <" +
                  std::to_string(i) + "@bench.test>\r\n\r\n";
  std::string line(78, 'x');
  std::size_t body = 0;
  while (body + 80 <= size) {
    m += line;
    m += "\r\n";
    body += 80;
  }
  m.append(size - body, 'y');
  m += "\r\n";
  return m;
}

}  // namespace

int DomainCount() {
  const char* d = std::getenv("B2BMAIL_BENCH_DOMAINS");
  return d ? std::max(1, std::atoi(d)) : 1;
}

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  const int connections = std::stoi(args["--connections"]);
  const int messages = std::stoi(args["--messages"]);
  const auto size = static_cast<std::size_t>(std::stoul(args["--size"]));
  std::filesystem::create_directories(args["--workdir"]);
  auto db = store::OpenSqlite(args["--workdir"] + "/bench.db");
  base::SystemClock clock;

  // Contacts and queued messages, as `campaign launch` leaves them.
  std::vector<model::Contact> contacts(static_cast<std::size_t>(messages));
  for (int i = 0; i < messages; ++i) {
    contacts[static_cast<std::size_t>(i)].email =
        "to" + std::to_string(i) + "@d" + std::to_string(i % DomainCount()) + ".bench.test";
    contacts[static_cast<std::size_t>(i)].consent = model::Consent::kOptIn;
  }
  db->UpsertContacts(contacts, {});
  std::vector<store::OutboxRow> rows;
  for (int i = 0; i < messages; ++i) {
    store::OutboxRow r;
    r.campaign = "bench";
    r.contact_id = db->FindContact(contacts[static_cast<std::size_t>(i)].email)->id;
    r.recipient = contacts[static_cast<std::size_t>(i)].email;
    r.sender = "from@bench.test";
    r.token = "t" + std::to_string(i);
    r.message = Message(i, size);
    rows.push_back(std::move(r));
  }
  db->Enqueue(rows, clock.Now());
  rows.clear();

  smtp::DeliveryEngineOptions options;
  options.relay = smtp::RouteOptions{};
  options.relay->hosts = {args["--host"] + ":" + args["--port"]};
  options.session.helo_name = "bench.test";
  options.session.tls = smtp::TlsPolicy::kNone;  // smtp-source sends in plain text too
  if (std::getenv("B2BMAIL_BENCH_NO_PIPELINING")) options.session.pipelining = false;
  // smtp-source -d keeps each session for all its messages, at no rate limit.
  // B2BMAIL_BENCH_DOMAINS=D spreads the recipients over D domains (one session each at
  // most), for the many-sessions memory check.
  const int domains = DomainCount();
  for (auto* limits : {&options.domain_limits, &options.relay_limits}) {
    limits->max_connections = connections;
    if (limits == &options.domain_limits && domains > 1) limits->max_connections = 1;
    limits->max_messages_per_connection = messages;
    limits->per_minute.reset();
    limits->per_hour.reset();
    limits->per_day.reset();
  }
  options.max_in_memory = 4 * connections + 1000;
  options.max_connections = std::max(options.max_connections, connections);
  if (const char* d = std::getenv("B2BMAIL_BENCH_COMMIT_DELAY_US"))
    options.commit_delay = std::chrono::microseconds(std::atoi(d));
  campaign::StoreOutbox outbox(*db);
  smtp::DeliveryEngine engine(options, outbox, clock);

  auto start = std::chrono::steady_clock::now();
  int peak_sessions = 0;
  auto stats = engine.Run(true, [&](const smtp::DeliveryStats& s) {
    peak_sessions = std::max(peak_sessions, s.connections);
  });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("RESULT msgs=%d seconds=%.3f rate=%.1f peak_sessions=%d max_rss_kb=%ld\n",
              stats.delivered, seconds, stats.delivered / seconds, peak_sessions, usage.ru_maxrss);
  return stats.delivered == messages ? 0 : 1;
}
