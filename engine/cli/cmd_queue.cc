// `b2bmail queue`: what the delivery queues hold and the operator's levers on them.
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kQueueHelp =
    R"(usage: b2bmail queue status [--json]
       b2bmail queue pause|resume DOMAIN|PROVIDER [--domain|--provider]
       b2bmail queue retry [DOMAIN]
       b2bmail queue purge CAMPAIGN

status   per destination domain and per mail provider (the MX rollup: microsoft,
         google, mimecast, ...): queued, in flight, deferred, sent, failed, sent
         in the last hour, paused, and the last reply; then the domains and
         accounts that refused mail by policy or as spam (they need a person)
pause    holds a domain's or a provider's messages in the outbox; a running
         deliver lets the ones on the wire finish and sends no more. A name with
         a dot is a domain, one without a provider (--domain/--provider to say)
resume   lets them go again
retry    makes every deferred message (of DOMAIN) due now
purge    cancels a campaign's queued and deferred messages (state "cancelled");
         messages a running deliver has in flight are left to finish
)";

store::PauseKind KindOf(const Args& args, const std::string& name) {
  if (args.Has("domain") && args.Has("provider"))
    throw Error(ErrorKind::kUsage, "give --domain or --provider, not both");
  if (args.Has("domain")) return store::PauseKind::kDomain;
  if (args.Has("provider")) return store::PauseKind::kProvider;
  return name.find('.') != std::string::npos ? store::PauseKind::kDomain
                                             : store::PauseKind::kProvider;
}

struct Totals {
  std::int64_t domains = 0, queued = 0, sending = 0, deferred = 0, sent = 0, failed = 0,
               cancelled = 0, sent_last_hour = 0;
  bool paused = false;
  void Add(const store::QueueStatusRow& r) {
    ++domains;
    queued += r.queued;
    sending += r.sending;
    deferred += r.deferred;
    sent += r.sent;
    failed += r.failed;
    cancelled += r.cancelled;
    sent_last_hour += r.sent_last_hour;
  }
};

std::string CountsJson(const Totals& t) {
  return "\"queued\":" + std::to_string(t.queued) + ",\"in_flight\":" + std::to_string(t.sending) +
         ",\"deferred\":" + std::to_string(t.deferred) + ",\"sent\":" + std::to_string(t.sent) +
         ",\"failed\":" + std::to_string(t.failed) +
         ",\"cancelled\":" + std::to_string(t.cancelled) +
         ",\"sent_last_hour\":" + std::to_string(t.sent_last_hour) +
         ",\"paused\":" + (t.paused ? "true" : "false");
}

int Status(store::Database& db, base::TimePoint now, bool json) {
  auto rows = db.QueueStatus(now);
  std::map<std::string, Totals> providers;
  std::set<std::string> paused_providers;
  for (auto& [kind, name] : db.ListPaused())
    if (kind == store::PauseKind::kProvider) paused_providers.insert(name);
  for (const auto& r : rows) {
    auto& t = providers[r.provider.empty() ? "(not yet resolved)" : r.provider];
    t.Add(r);
    t.paused = paused_providers.count(r.provider) > 0;
  }
  if (json) {
    std::cout << "{\"domains\":[";
    bool first = true;
    for (const auto& r : rows) {
      Totals t;
      t.Add(r);
      t.paused = r.paused;
      std::cout << (first ? "" : ",") << "{\"domain\":" << base::JsonQuote(r.domain)
                << ",\"provider\":" << base::JsonQuote(r.provider) << "," << CountsJson(t)
                << ",\"policy_blocks\":" << r.policy_blocks
                << ",\"last_reply\":" << base::JsonQuote(r.last_reply) << ",\"last_attempt_at\":"
                << (r.last_attempt_at.time_since_epoch().count() == 0
                        ? std::string("null")
                        : base::JsonQuote(base::FormatIso8601(r.last_attempt_at)))
                << "}";
      first = false;
    }
    std::cout << "],\"providers\":[";
    first = true;
    for (const auto& [name, t] : providers) {
      std::cout << (first ? "" : ",") << "{\"provider\":" << base::JsonQuote(name)
                << ",\"domains\":" << t.domains << "," << CountsJson(t) << "}";
      first = false;
    }
    std::cout << "],\"attention\":[";
    first = true;
    for (const auto& a : db.Attention()) {
      std::cout << (first ? "" : ",") << "{\"domain\":" << base::JsonQuote(a.domain)
                << ",\"account\":" << base::JsonQuote(a.account_id) << ",\"blocks\":" << a.blocks
                << ",\"last_reply\":" << base::JsonQuote(a.last_reply)
                << ",\"last_at\":" << base::JsonQuote(base::FormatIso8601(a.last_at)) << "}";
      first = false;
    }
    std::cout << "]}\n";
    return kExitOk;
  }
  if (rows.empty()) {
    std::cout << "the outbox is empty\n";
    return kExitOk;
  }
  std::printf("%-28s %8s %8s %8s %8s %8s %8s  %s\n", "provider", "domains", "queued", "flight",
              "deferred", "sent", "sent/h", "");
  for (const auto& [name, t] : providers)
    std::printf("%-28s %8lld %8lld %8lld %8lld %8lld %8lld  %s\n", name.c_str(),
                static_cast<long long>(t.domains), static_cast<long long>(t.queued),
                static_cast<long long>(t.sending), static_cast<long long>(t.deferred),
                static_cast<long long>(t.sent), static_cast<long long>(t.sent_last_hour),
                t.paused ? "PAUSED" : "");
  std::printf("\n%-28s %8s %8s %8s %8s %8s  %s\n", "domain", "queued", "flight", "deferred", "sent",
              "failed", "last reply");
  for (const auto& r : rows) {
    std::string reply = r.last_reply.substr(0, r.last_reply.find('\n'));
    if (reply.size() > 70) reply = reply.substr(0, 67) + "...";
    std::printf("%-28s %8lld %8lld %8lld %8lld %8lld  %s%s\n", r.domain.c_str(),
                static_cast<long long>(r.queued), static_cast<long long>(r.sending),
                static_cast<long long>(r.deferred), static_cast<long long>(r.sent),
                static_cast<long long>(r.failed), r.paused ? "[PAUSED] " : "", reply.c_str());
  }
  auto attention = db.Attention();
  if (!attention.empty()) {
    std::printf("\nneeds attention: refused by policy or as spam (the addresses are kept)\n");
    std::printf("%-28s %-16s %7s  %s\n", "domain", "account", "blocks", "last reply");
    for (const auto& a : attention) {
      std::string reply = a.last_reply.substr(0, a.last_reply.find('\n'));
      if (reply.size() > 70) reply = reply.substr(0, 67) + "...";
      std::printf("%-28s %-16s %7lld  %s\n", a.domain.c_str(),
                  a.account_id.empty() ? "-" : a.account_id.c_str(),
                  static_cast<long long>(a.blocks), reply.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

int CmdQueue(const GlobalOptions& global, const Words& words) {
  Args args(words, {}, {"json", "help", "domain", "provider"});
  const auto& pos = args.positional();
  if (args.Has("help") || pos.empty()) {
    std::cout << kQueueHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  Workspace ws(global);
  auto db = ws.OpenDatabase();
  auto now = ws.clock().Now();
  const std::string& verb = pos[0];
  if (verb == "status") {
    if (pos.size() != 1) throw Error(ErrorKind::kUsage, "queue status takes no arguments");
    return Status(*db, now, args.Has("json"));
  }
  if (verb == "pause" || verb == "resume") {
    if (pos.size() != 2)
      throw Error(ErrorKind::kUsage, "usage: b2bmail queue " + verb + " DOMAIN|PROVIDER");
    auto kind = KindOf(args, pos[1]);
    db->SetPaused(kind, pos[1], verb == "pause", now);
    std::cout << (verb == "pause" ? "paused " : "resumed ") << store::ToString(kind) << " "
              << pos[1] << "\n";
    return kExitOk;
  }
  if (verb == "retry") {
    if (pos.size() > 2) throw Error(ErrorKind::kUsage, "usage: b2bmail queue retry [DOMAIN]");
    auto n = db->RetryNow(now, pos.size() == 2 ? pos[1] : "");
    std::cout << n << " messages due now\n";
    return kExitOk;
  }
  if (verb == "purge") {
    if (pos.size() != 2) throw Error(ErrorKind::kUsage, "usage: b2bmail queue purge CAMPAIGN");
    auto n = db->PurgeCampaign(pos[1], now);
    std::cout << "cancelled " << n << " messages of campaign " << pos[1] << "\n";
    return kExitOk;
  }
  throw Error(ErrorKind::kUsage, "unknown queue command '" + verb + "' (see b2bmail queue --help)");
}

}  // namespace b2bmail::cli
