#include "b2bmail/report/deliverability_report.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "b2bmail/base/error.h"

namespace b2bmail::report {
namespace {

constexpr std::string_view kPolicyBlock = "policy-or-spam-block";

// Everything gathered for one row before its status is judged.
struct Builder {
  HealthRow row;
  std::unordered_map<std::string, std::int64_t> providers;  // provider -> messages
  std::set<std::string> related;
  std::set<std::int64_t> blocked_contacts;
};

class Summary {
 public:
  explicit Summary(const DeliverabilityOptions& options) : options_(options) {}

  // Calls visit(builder, counts) for the domain's row and the account's (when there is
  // one), once with each row's totals and once with its bucket when there is a series.
  template <typename F>
  void Visit(const std::string& domain, const std::string& account, std::int64_t bucket,
             F&& visit) {
    Builder& d = Row(domains_, HealthRow::Kind::kDomain, domain);
    Visit(d, bucket, visit);
    if (account.empty()) return;
    d.related.insert(account);
    Builder& a = Row(accounts_, HealthRow::Kind::kAccount, account);
    a.related.insert(domain);
    Visit(a, bucket, visit);
  }

  std::int64_t BucketOf(base::TimePoint at) const {
    if (options_.bucket.count() <= 0) return 0;
    return (at - options_.since) / options_.bucket;
  }

  void AddTally(const store::DeliveryTally& t) {
    Visit(t.domain, t.account_id, t.bucket, [&](Builder& b, HealthCounts& c, bool totals) {
      if (totals && !t.provider.empty()) b.providers[t.provider] += t.messages;
      c.messages += t.messages;
      c.accepted += t.accepted;
      c.deferred += t.deferred;
      c.failed += t.failed;
    });
  }

  void AddRefused(const store::RefusedMessage& m) {
    std::string category(StoredCategory(m.reply));
    if (category.empty() && options_.classify_reply) category = options_.classify_reply(m.reply);
    const FailureKind kind = m.policy_block ? FailureKind::kBlock : KindOfCategory(category);
    // A deferred message is counted as deferred by its tally; only a block or a final
    // refusal says more about it.
    if (kind != FailureKind::kBlock && m.state != store::OutboxState::kFailed) return;
    Visit(m.domain, m.account_id, BucketOf(m.at), [&](Builder& b, HealthCounts& c, bool totals) {
      if (kind == FailureKind::kBlock) {
        if (totals) NoteBlock(b, m.contact_id, m.reply, m.at);
        ++c.blocks;
      } else if (kind == FailureKind::kHardBounce) {
        ++c.hard_bounces;
      } else if (kind == FailureKind::kSoftBounce) {
        ++c.soft_bounces;
      }
    });
  }

  void AddOutcome(const store::OutcomeEvent& e) {
    // "hard", "soft", "hard:<category>", "soft:<category>" (bounce categories, issue 8).
    std::string_view detail = e.detail;
    auto colon = detail.find(':');
    std::string_view severity = detail.substr(0, colon);
    std::string_view category = colon == std::string_view::npos ? "" : detail.substr(colon + 1);
    const bool complaint = e.type == model::EventType::kComplained;
    const bool block = !complaint && category == kPolicyBlock;
    Visit(e.domain, e.account_id, BucketOf(e.at), [&](Builder& b, HealthCounts& c, bool totals) {
      if (totals && !e.provider.empty()) ++b.providers[e.provider];
      if (complaint) {
        ++c.complaints;
      } else if (block) {
        if (totals) NoteBlock(b, e.contact_id, "bounced: " + e.detail, e.at);
        ++c.blocks;
      } else if (severity == "hard") {
        ++c.hard_bounces;
      } else {
        ++c.soft_bounces;  // "soft", and a detail that says neither: not known hard
      }
    });
  }

  DeliverabilityReport Finish() {
    DeliverabilityReport report;
    report.since = options_.since;
    report.until = options_.until;
    report.bucket = options_.bucket.count() > 0 ? options_.bucket : std::chrono::seconds{0};
    report.domains = Judge(domains_);
    report.accounts = Judge(accounts_);
    return report;
  }

 private:
  Builder& Row(std::unordered_map<std::string, Builder>& rows, HealthRow::Kind kind,
               const std::string& key) {
    auto [it, added] = rows.try_emplace(key);
    if (added) {
      it->second.row.kind = kind;
      it->second.row.key = key;
    }
    return it->second;
  }

  // visit(builder, counts, totals) on the row's totals, then on its bucket's figures.
  template <typename F>
  void Visit(Builder& b, std::int64_t bucket, F& visit) {
    visit(b, b.row.counts, true);
    if (options_.bucket.count() > 0) visit(b, b.row.series[bucket], false);
  }

  static void NoteBlock(Builder& b, std::int64_t contact_id, const std::string& reply,
                        base::TimePoint at) {
    b.blocked_contacts.insert(contact_id);
    if (!b.row.last_block_at || at >= *b.row.last_block_at) {
      b.row.last_block_at = at;
      b.row.last_block_reply = reply;
    }
  }

  std::vector<HealthRow> Judge(std::unordered_map<std::string, Builder>& rows) const {
    std::vector<HealthRow> out;
    out.reserve(rows.size());
    for (auto& [key, b] : rows) {
      HealthRow& row = b.row;
      row.related.assign(b.related.begin(), b.related.end());
      row.blocked_contacts = static_cast<std::int64_t>(b.blocked_contacts.size());
      // The provider most messages went through; ties to the first name.
      std::int64_t best = 0;
      for (const auto& [provider, n] : b.providers)
        if (n > best || (n == best && provider < row.provider)) {
          best = n;
          row.provider = provider;
        }
      Judge(row);
      out.push_back(std::move(row));
    }
    std::sort(out.begin(), out.end(), [](const HealthRow& a, const HealthRow& b) {
      if (a.status != b.status) return a.status < b.status;
      if (double ra = SeverityRate(a), rb = SeverityRate(b); ra != rb) return ra > rb;
      if (a.counts.messages != b.counts.messages) return a.counts.messages > b.counts.messages;
      return a.key < b.key;
    });
    return out;
  }

  // The rate that put the row where it is, to order rows of one status.
  static double SeverityRate(const HealthRow& r) {
    switch (r.status) {
      case HealthStatus::kBlocked:
        return r.counts.block_rate();
      case HealthStatus::kComplaining:
        return r.counts.complaint_rate();
      case HealthStatus::kDeferred:
        return r.counts.deferral_rate();
      case HealthStatus::kBouncing:
      case HealthStatus::kOk:
        break;
    }
    return r.counts.bounce_rate();
  }

  void Judge(HealthRow& row) const {
    const HealthThresholds& th = options_.thresholds;
    const HealthCounts& c = row.counts;
    auto over = [&](std::int64_t count, double rate, double limit, std::int64_t min_count) {
      return count > 0 && count >= min_count && rate >= limit;
    };
    const std::string of = " of " + std::to_string(c.messages) + " messages";
    if (row.kind == HealthRow::Kind::kAccount && th.min_blocked_contacts > 0 &&
        row.blocked_contacts >= th.min_blocked_contacts) {
      row.status = HealthStatus::kBlocked;
      row.reason = std::to_string(row.blocked_contacts) + " contacts refused by policy or as spam";
    } else if (over(c.blocks, c.block_rate(), th.block_rate, th.min_events)) {
      row.status = HealthStatus::kBlocked;
      row.reason = Percent(c.block_rate()) + of + " refused by policy or as spam";
    } else if (over(c.complaints, c.complaint_rate(), th.complaint_rate, 1)) {
      row.status = HealthStatus::kComplaining;
      row.reason = Percent(c.complaint_rate()) + of + " complained about (limit " +
                   Percent(th.complaint_rate) + ")";
    } else if (over(c.hard_bounces + c.soft_bounces, c.bounce_rate(), th.bounce_rate,
                    th.min_events)) {
      row.status = HealthStatus::kBouncing;
      row.reason = Percent(c.bounce_rate()) + of + " bounced (" + std::to_string(c.hard_bounces) +
                   " hard, " + std::to_string(c.soft_bounces) + " soft)";
    } else if (over(c.deferred, c.deferral_rate(), th.deferral_rate, th.min_events)) {
      row.status = HealthStatus::kDeferred;
      row.reason = Percent(c.deferral_rate()) + of + " waiting after temporary refusals";
    } else {
      row.status = HealthStatus::kOk;
      row.reason.clear();
    }
  }

  static std::string Percent(double rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf,
                  rate < 0.01  ? "%.2f%%"
                  : rate < 0.1 ? "%.1f%%"
                               : "%.0f%%",
                  rate * 100);
    return buf;
  }

  const DeliverabilityOptions& options_;
  std::unordered_map<std::string, Builder> domains_, accounts_;
};

}  // namespace

std::string_view ToString(HealthStatus status) {
  switch (status) {
    case HealthStatus::kBlocked:
      return "blocked";
    case HealthStatus::kComplaining:
      return "complaining";
    case HealthStatus::kBouncing:
      return "bouncing";
    case HealthStatus::kDeferred:
      return "deferred";
    case HealthStatus::kOk:
      return "ok";
  }
  return "ok";
}

double HealthCounts::Rate(std::int64_t count) const {
  if (count <= 0) return 0;
  if (messages <= count) return 1;
  return static_cast<double>(count) / static_cast<double>(messages);
}

FailureKind KindOfCategory(std::string_view category) {
  if (category == kPolicyBlock) return FailureKind::kBlock;
  if (category == "bad-mailbox" || category == "bad-domain") return FailureKind::kHardBounce;
  // Our side or the path, not the recipient: throttled, our authentication, TLS, the
  // network, a protocol error ("authentication-required" is the name replies stored
  // before issue 8 carry).
  for (std::string_view sender_side : {"rate-limited", "authentication", "authentication-required",
                                       "tls-failure", "network", "protocol"})
    if (category == sender_side) return FailureKind::kSenderSide;
  return FailureKind::kSoftBounce;
}

std::string_view StoredCategory(std::string_view reply) {
  if (reply.empty() || reply.front() != '[') return {};
  auto close = reply.find(']');
  if (close == std::string_view::npos) return {};
  return reply.substr(1, close - 1);
}

DeliverabilityReport SummarizeDeliverability(const store::DeliveryFacts& facts,
                                             const DeliverabilityOptions& options) {
  Summary summary(options);
  for (const auto& t : facts.tallies) summary.AddTally(t);
  for (const auto& m : facts.refused) summary.AddRefused(m);
  for (const auto& e : facts.outcomes) summary.AddOutcome(e);
  return summary.Finish();
}

DeliverabilityReport BuildDeliverabilityReport(store::Database& db,
                                               const DeliverabilityOptions& options) {
  if (options.since >= options.until)
    throw Error(ErrorKind::kUsage, "the report's window is empty: it must start before it ends");
  if (options.bucket.count() < 0) throw Error(ErrorKind::kUsage, "a bucket cannot be negative");
  return SummarizeDeliverability(
      db.LoadDeliveryFacts(store::DeliveryWindow{options.since, options.until, options.bucket}),
      options);
}

}  // namespace b2bmail::report
