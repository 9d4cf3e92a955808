// `b2bmail report deliverability`: account health, per destination domain and account.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/report/deliverability_report.h"
#include "b2bmail/smtp/reply_classifier.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kReportHelp =
    R"(usage: b2bmail report deliverability [--json] [--all] [--since ISO8601] [--days N]
                                     [--by domain|account|both] [--bucket day|week]
                                     [--min-events N] [--min-blocked-contacts N]
                                     [--block-rate PCT] [--complaint-rate PCT]
                                     [--bounce-rate PCT] [--deferral-rate PCT]

Per destination domain and per account: messages attempted, accepted, deferred,
failed, hard and soft bounces, policy or spam blocks, complaints, their rates over
the messages, the MX provider in front (google, microsoft, proofpoint, ...) and the
last block's reply. Rows whose mail is blocked, complained about, bouncing or
deferred come first; by default only those are listed (--all lists every row).

window   --days N (default 30) up to --now, included; --since ISO8601 starts it
         there (up to --now, or N days long with --days)
--by     domain, account or both (default)
--bucket day or week: figures per bucket as well, from 00:00 UTC of the window's
         first day
status   blocked      an account with >= --min-blocked-contacts (2) contacts refused
                      by policy, or blocks >= --block-rate (20%) of the messages
         complaining  complaints >= --complaint-rate (0.3%, Gmail's and Yahoo's
                      limit); one complaint is enough
         bouncing     hard + soft bounces >= --bounce-rate (5%)
         deferred     deferred messages >= --deferral-rate (20%)
         Blocks, bounces and deferrals count from --min-events (2) messages on: one
         bounce is the address's story. PCT is a percentage: 5 or 5%.
)";

constexpr std::chrono::seconds kDay{86400};

std::int64_t PositiveNumber(const std::string& option, const std::string& text, bool zero_ok) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < (zero_ok ? 0 : 1))
    throw Error(ErrorKind::kUsage, "--" + option + " needs a whole number" +
                                       (zero_ok ? "" : " above 0") + ", not '" + text + "'");
  return n;
}

double Percentage(const std::string& option, std::string text) {
  if (!text.empty() && text.back() == '%') text.pop_back();
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0 && v <= 100))
    throw Error(ErrorKind::kUsage,
                "--" + option + " needs a percentage from 0 to 100, not '" + text + "'");
  return v / 100;
}

// The failure category of a stored reply without one ("550 5.7.1 text"): the reply code,
// the RFC 3463 code when the text starts with one, and the text, as the sender judged it.
std::string ClassifyStoredReply(std::string_view reply) {
  int code = 0;
  auto [end, ec] =
      std::from_chars(reply.data(), reply.data() + std::min<std::size_t>(3, reply.size()), code);
  if (ec != std::errc() || end != reply.data() + 3) return "";
  std::string_view rest = base::Trim(reply.substr(3));
  std::string_view first = rest.substr(0, rest.find(' '));
  bool enhanced = first.size() >= 5 && (first[0] == '2' || first[0] == '4' || first[0] == '5') &&
                  first[1] == '.' && std::all_of(first.begin(), first.end(), [](char c) {
                    return c == '.' || (c >= '0' && c <= '9');
                  });
  auto c = smtp::ClassifyReply(code, enhanced ? first : std::string_view(), rest);
  return std::string(smtp::FailureCategoryName(c.category));
}

std::string JsonRate(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", rate);
  return buf;
}

std::string CountsJson(const report::HealthCounts& c) {
  return "\"messages\":" + std::to_string(c.messages) +
         ",\"accepted\":" + std::to_string(c.accepted) +
         ",\"deferred\":" + std::to_string(c.deferred) + ",\"failed\":" + std::to_string(c.failed) +
         ",\"hard_bounces\":" + std::to_string(c.hard_bounces) +
         ",\"soft_bounces\":" + std::to_string(c.soft_bounces) +
         ",\"blocks\":" + std::to_string(c.blocks) +
         ",\"complaints\":" + std::to_string(c.complaints) +
         ",\"rates\":{\"block\":" + JsonRate(c.block_rate()) +
         ",\"bounce\":" + JsonRate(c.bounce_rate()) +
         ",\"complaint\":" + JsonRate(c.complaint_rate()) +
         ",\"deferral\":" + JsonRate(c.deferral_rate()) + "}";
}

std::string RowJson(const report::DeliverabilityReport& r, const report::HealthRow& row) {
  const bool domain = row.kind == report::HealthRow::Kind::kDomain;
  std::vector<std::string> related;
  for (const auto& x : row.related) related.push_back(base::JsonQuote(x));
  std::string json =
      std::string("{\"") + (domain ? "domain" : "account") + "\":" + base::JsonQuote(row.key) +
      ",\"provider\":" + base::JsonQuote(row.provider) + ",\"" + (domain ? "accounts" : "domains") +
      "\":[" + base::Join(related, ",") + "],\"status\":\"" +
      std::string(report::ToString(row.status)) + "\",\"reason\":" + base::JsonQuote(row.reason) +
      "," + CountsJson(row.counts) +
      ",\"blocked_contacts\":" + std::to_string(row.blocked_contacts) + ",\"last_block\":";
  if (row.last_block_at)
    json += "{\"at\":" + base::JsonQuote(base::FormatIso8601(*row.last_block_at)) +
            ",\"reply\":" + base::JsonQuote(row.last_block_reply) + "}";
  else
    json += "null";
  if (r.bucket.count() > 0) {
    json += ",\"series\":[";
    bool first = true;
    for (const auto& [index, counts] : row.series) {
      json += std::string(first ? "" : ",") +
              "{\"start\":" + base::JsonQuote(base::FormatIso8601(r.BucketStart(index))) + "," +
              CountsJson(counts) + "}";
      first = false;
    }
    json += "]";
  }
  return json + "}";
}

std::string Pct(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", rate * 100);
  return buf;
}

std::string OneLine(const std::string& text, std::size_t max) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > max ? line.substr(0, max - 3) + "..." : line;
}

void PrintTable(const report::DeliverabilityReport& r, const std::vector<report::HealthRow>& rows,
                const char* title, std::size_t total, const char* bucket_name) {
  std::printf("\n%s: %zu of %zu listed\n", title, rows.size(), total);
  if (rows.empty()) return;
  int width = 8;
  for (const auto& row : rows) width = std::max(width, static_cast<int>(row.key.size()));
  width = std::min(width, 40);
  std::printf("%-*s %-11s %-12s %7s %8s %8s %7s %5s %5s %6s %6s %7s %7s %7s\n", width,
              title[0] == 'd' ? "DOMAIN" : "ACCOUNT", "STATUS", "PROVIDER", "MSGS", "ACCEPTED",
              "DEFERRED", "FAILED", "HARD", "SOFT", "BLOCKS", "CMPL", "BOUNCE%", "BLOCK%", "CMPL%");
  for (const auto& row : rows) {
    const auto& c = row.counts;
    std::printf("%-*s %-11s %-12s %7lld %8lld %8lld %7lld %5lld %5lld %6lld %6lld %7s %7s %7s\n",
                width, row.key.c_str(), std::string(report::ToString(row.status)).c_str(),
                row.provider.empty() ? "-" : row.provider.c_str(),
                static_cast<long long>(c.messages), static_cast<long long>(c.accepted),
                static_cast<long long>(c.deferred), static_cast<long long>(c.failed),
                static_cast<long long>(c.hard_bounces), static_cast<long long>(c.soft_bounces),
                static_cast<long long>(c.blocks), static_cast<long long>(c.complaints),
                Pct(c.bounce_rate()).c_str(), Pct(c.block_rate()).c_str(),
                Pct(c.complaint_rate()).c_str());
    if (!row.reason.empty()) std::printf("    why: %s\n", row.reason.c_str());
    if (row.last_block_at)
      std::printf("    last block: %s %s\n", base::FormatIso8601(*row.last_block_at).c_str(),
                  OneLine(row.last_block_reply, 100).c_str());
    for (const auto& [index, s] : row.series)
      std::printf(
          "    %s %s: %lld msgs, %lld accepted, %lld deferred, %lld hard, %lld soft, %lld "
          "blocks, %lld complaints\n",
          bucket_name, base::FormatIso8601(r.BucketStart(index)).substr(0, 10).c_str(),
          static_cast<long long>(s.messages), static_cast<long long>(s.accepted),
          static_cast<long long>(s.deferred), static_cast<long long>(s.hard_bounces),
          static_cast<long long>(s.soft_bounces), static_cast<long long>(s.blocks),
          static_cast<long long>(s.complaints));
  }
}

int Deliverability(const GlobalOptions& global, const Args& args) {
  Workspace ws(global);
  report::DeliverabilityOptions options;
  const base::TimePoint now = ws.clock().Now();
  // The window ends after --now's second, so that what a `deliver --now T` stamped at T
  // is in a report run with the same --now.
  const base::TimePoint end_of_now = now + std::chrono::seconds(1);
  auto days = args.Get("days");
  const std::int64_t n_days = days ? PositiveNumber("days", *days, false) : 30;
  if (auto since = args.Get("since")) {
    auto at = base::ParseIso8601(*since);
    if (!at) throw Error(ErrorKind::kUsage, "--since needs an ISO 8601 time, not '" + *since + "'");
    options.since = *at;
    options.until = days ? *at + n_days * kDay : end_of_now;
  } else {
    options.since = now - n_days * kDay;
    options.until = end_of_now;
  }
  if (options.since >= options.until)
    throw Error(ErrorKind::kUsage, "--since " + base::FormatIso8601(options.since) +
                                       " is not before the window's end " +
                                       base::FormatIso8601(options.until));
  const std::string by = args.Get("by").value_or("both");
  if (by != "domain" && by != "account" && by != "both")
    throw Error(ErrorKind::kUsage, "--by takes domain, account or both, not '" + by + "'");
  const std::string bucket = args.Get("bucket").value_or("");
  if (bucket == "day")
    options.bucket = kDay;
  else if (bucket == "week")
    options.bucket = 7 * kDay;
  else if (!bucket.empty())
    throw Error(ErrorKind::kUsage, "--bucket takes day or week, not '" + bucket + "'");
  // Buckets are calendar days (UTC): the window starts at midnight of its first day.
  if (options.bucket.count() > 0)
    options.since = std::chrono::floor<std::chrono::days>(options.since);
  auto& th = options.thresholds;
  if (auto v = args.Get("min-events")) th.min_events = PositiveNumber("min-events", *v, true);
  if (auto v = args.Get("min-blocked-contacts"))
    th.min_blocked_contacts = PositiveNumber("min-blocked-contacts", *v, true);
  if (auto v = args.Get("block-rate")) th.block_rate = Percentage("block-rate", *v);
  if (auto v = args.Get("complaint-rate")) th.complaint_rate = Percentage("complaint-rate", *v);
  if (auto v = args.Get("bounce-rate")) th.bounce_rate = Percentage("bounce-rate", *v);
  if (auto v = args.Get("deferral-rate")) th.deferral_rate = Percentage("deferral-rate", *v);
  options.classify_reply = ClassifyStoredReply;

  auto db = ws.OpenDatabase();
  auto r = report::BuildDeliverabilityReport(*db, options);
  const bool all = args.Has("all");
  auto shown = [&](const std::vector<report::HealthRow>& rows) {
    std::vector<report::HealthRow> out;
    for (const auto& row : rows)
      if (all || row.status != report::HealthStatus::kOk) out.push_back(row);
    return out;
  };
  const bool domains = by != "account", accounts = by != "domain";
  auto domain_rows = domains ? shown(r.domains) : std::vector<report::HealthRow>{};
  auto account_rows = accounts ? shown(r.accounts) : std::vector<report::HealthRow>{};

  if (args.Has("json")) {
    auto list = [&](const std::vector<report::HealthRow>& rows) {
      std::vector<std::string> items;
      for (const auto& row : rows) items.push_back(RowJson(r, row));
      return "[" + base::Join(items, ",") + "]";
    };
    std::cout << "{\"since\":" << base::JsonQuote(base::FormatIso8601(r.since))
              << ",\"until\":" << base::JsonQuote(base::FormatIso8601(r.until))
              << ",\"bucket\":" << (bucket.empty() ? "null" : base::JsonQuote(bucket))
              << ",\"thresholds\":{\"min_events\":" << th.min_events
              << ",\"min_blocked_contacts\":" << th.min_blocked_contacts
              << ",\"block_rate\":" << JsonRate(th.block_rate)
              << ",\"complaint_rate\":" << JsonRate(th.complaint_rate)
              << ",\"bounce_rate\":" << JsonRate(th.bounce_rate)
              << ",\"deferral_rate\":" << JsonRate(th.deferral_rate) << "}";
    if (domains) std::cout << ",\"domains\":" << list(domain_rows);
    if (accounts) std::cout << ",\"accounts\":" << list(account_rows);
    std::cout << "}\n";
    return kExitOk;
  }
  std::printf("deliverability from %s to %s%s\n", base::FormatIso8601(r.since).c_str(),
              base::FormatIso8601(r.until).c_str(),
              all ? "" : " (rows that need attention; --all lists every row)");
  const char* bucket_name = bucket == "week" ? "week of" : "day";
  if (accounts) PrintTable(r, account_rows, "accounts", r.accounts.size(), bucket_name);
  if (domains) PrintTable(r, domain_rows, "domains", r.domains.size(), bucket_name);
  return kExitOk;
}

}  // namespace

int CmdReport(const GlobalOptions& global, const Words& words) {
  Args args(words,
            {"since", "days", "by", "bucket", "min-events", "min-blocked-contacts", "block-rate",
             "complaint-rate", "bounce-rate", "deferral-rate"},
            {"json", "all", "help"});
  const auto& pos = args.positional();
  if (args.Has("help") || pos.empty()) {
    std::cout << kReportHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  if (pos[0] == "deliverability") {
    if (pos.size() != 1) throw Error(ErrorKind::kUsage, "report deliverability takes no arguments");
    return Deliverability(global, args);
  }
  throw Error(ErrorKind::kUsage, "unknown report '" + pos[0] + "' (see b2bmail report --help)");
}

}  // namespace b2bmail::cli
