#pragma once
// How fast and how wide one delivery queue may send: the figures a ThrottleBucket and a
// DestinationShaper enforce for one destination domain or one mail provider (all the
// domains whose MX is, say, Microsoft 365). Figures and their sources: deliverability.md
// §4, "Traffic shaping as done by MTAs" (KumoMTA shaping.toml, PowerMTA) and the
// throttle replies table.

#include <optional>

namespace b2bmail::smtp {

// The defaults of the fields are those of one destination domain behind a corporate
// gateway (DefaultDomainLimits). A rate that is nullopt is not limited.
struct ShapingLimits {
  // Concurrent SMTP sessions. 2: corporate gateways (EOP, Mimecast, Proofpoint) count
  // concurrent connections per sending IP, and KumoMTA's automation drops a troubled
  // site to 1; a campaign to one company gains nothing from more.
  int max_connections = 2;
  // Transactions on one session before QUIT and reconnect. 50: KumoMTA's value for
  // Google and Office 365; Yahoo drops a session silently after its own limit (20).
  int max_messages_per_connection = 50;
  // Messages started per minute: the pace. 60 (one a second), paced rather than
  // allowed in a lump, so a gateway never sees more than `burst` back to back.
  std::optional<double> per_minute = 60.0;
  // Messages started in any 60 minutes: a ceiling, not a pace. 1000: the `max-msg-rate
  // 1000/h` of public PowerMTA domain blocks; EOP graylists senders whose volume jumps.
  std::optional<double> per_hour = 1000.0;
  // Messages started in any 24 hours. Unlimited: daily volume of a new sender is the
  // WarmupPlan's business, and an established one has no published daily ceiling.
  std::optional<double> per_day = std::nullopt;
  // Messages that may start back to back (after an idle spell) before the per-minute
  // pace applies: the depth of the per-minute bucket. 10: fills two sessions' worth of
  // pipelined transactions without looking like a flood.
  int burst = 10;
};

// The limits of one destination domain: the field defaults above.
inline ShapingLimits DefaultDomainLimits() { return ShapingLimits{}; }

// The limits of a provider rollup (every domain hosted by one provider shares them).
inline ShapingLimits DefaultProviderLimits() {
  ShapingLimits limits;
  // KumoMTA's provider-wide figures for Google and Office 365, the two providers most
  // B2B domains sit behind: 5 connections, 50 messages per connection. Mimecast allows
  // 10 connections per regional site and 100 per connection, Apple 10 and 5, Yahoo 20
  // per connection: override per provider.
  limits.max_connections = 5;
  limits.max_messages_per_connection = 50;
  // 600 a minute (10 a second) is about what 5 pipelined sessions carry, an order of
  // magnitude below KumoMTA's per-site 100/s default, so the provider's limit only bites
  // when many of its domains are being sent to at once.
  limits.per_minute = 600.0;
  // 20000 in any hour: above what a warming sender reaches (deliverability.md, warm-up
  // plans reach 20k a day on day 11), so the ceiling guards against a runaway rather
  // than shaping normal traffic.
  limits.per_hour = 20000.0;
  limits.per_day = std::nullopt;
  // 50: one session's worth of transactions (max_messages_per_connection).
  limits.burst = 50;
  return limits;
}

}  // namespace b2bmail::smtp
