#include "delivery_config.h"

#include <set>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"

namespace b2bmail::cli {
namespace {

namespace fs = std::filesystem;

// Reads one [smtp...] table, refusing keys it does not know: a misspelt limit that is
// silently ignored would send at the default rate.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string name)
      : table_(table), file_(std::move(file)), name_(std::move(name)) {}

  ~TableReader() noexcept(false) {
    if (std::uncaught_exceptions() > 0) return;
    for (auto& [key, node] : table_) {
      if (!used_.count(std::string(key.str())))
        throw Error(ErrorKind::kConfig,
                    WhereKey(key) + ": error: unknown key " + name_ + "." + std::string(key.str()));
    }
  }

  std::optional<std::string> Text(const std::string& key) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return std::nullopt;
    if (auto s = node->value<std::string>()) return s;
    throw Bad(*node, key, "must be text");
  }
  std::optional<std::int64_t> Int(const std::string& key, std::int64_t min, std::int64_t max) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return std::nullopt;
    auto v = node->value<std::int64_t>();
    if (!v || *v < min || *v > max)
      throw Bad(
          *node, key,
          "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return v;
  }
  std::optional<double> Number(const std::string& key) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return std::nullopt;
    auto v = node->value<double>();
    if (!v || *v <= 0) throw Bad(*node, key, "must be a positive number");
    return v;
  }
  std::optional<bool> Bool(const std::string& key) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return std::nullopt;
    if (auto v = node->value<bool>()) return v;
    throw Bad(*node, key, "must be true or false");
  }
  std::vector<std::string> TextList(const std::string& key) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return {};
    if (auto s = node->value<std::string>()) return {*s};
    std::vector<std::string> out;
    if (auto* array = node->as_array()) {
      for (auto& item : *array) {
        auto s = item.value<std::string>();
        if (!s) throw Bad(item, key, "must be a list of text");
        out.push_back(*s);
      }
      return out;
    }
    throw Bad(*node, key, "must be text or a list of text");
  }
  const toml::table* Table(const std::string& key) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return nullptr;
    if (auto* t = node->as_table()) return t;
    throw Bad(*node, key, "must be a table");
  }
  std::optional<smtp::TlsPolicy> Tls(const std::string& key) {
    auto text = Text(key);
    if (!text) return std::nullopt;
    smtp::TlsPolicy policy;
    if (!smtp::ParseTlsPolicy(*text, policy))
      throw Bad(*table_.get(key), key,
                "must be \"none\", \"opportunistic\", \"require\" or \"verify\"");
    return policy;
  }
  // "a = 1" is a limit; the route keys of a domain table are read by the caller.
  void Limits(smtp::ShapingLimits& limits) {
    if (auto v = Int("max_connections", 1, 10000)) limits.max_connections = static_cast<int>(*v);
    if (auto v = Int("max_messages_per_connection", 1, 100000))
      limits.max_messages_per_connection = static_cast<int>(*v);
    ReadRate("per_minute", limits.per_minute);
    ReadRate("per_hour", limits.per_hour);
    ReadRate("per_day", limits.per_day);
    if (auto v = Int("burst", 1, 1000000)) limits.burst = static_cast<int>(*v);
  }
  std::string Where(const toml::node& node) const {
    auto where = node.source();
    return file_ + ":" + std::to_string(where.begin.line) + ":" +
           std::to_string(where.begin.column);
  }
  std::string WhereKey(const toml::key& key) const {
    auto where = key.source();
    return file_ + ":" + std::to_string(where.begin.line) + ":" +
           std::to_string(where.begin.column);
  }
  const std::string& name() const { return name_; }
  const std::string& file() const { return file_; }

 private:
  // A rate is a positive number, or "unlimited".
  void ReadRate(const std::string& key, std::optional<double>& out) {
    used_.insert(key);
    auto* node = table_.get(key);
    if (!node) return;
    if (auto s = node->value<std::string>(); s && *s == "unlimited") {
      out.reset();
      return;
    }
    auto v = node->value<double>();
    if (!v || *v <= 0) throw Bad(*node, key, "must be a positive number or \"unlimited\"");
    out = *v;
  }
  Error Bad(const toml::node& node, const std::string& key, const std::string& what) const {
    return Error(ErrorKind::kConfig, Where(node) + ": error: " + name_ + "." + key + " " + what);
  }

  const toml::table& table_;
  std::string file_;
  std::string name_;
  std::set<std::string> used_;
};

std::chrono::milliseconds Seconds(std::int64_t s) { return std::chrono::seconds(s); }

}  // namespace

DeliveryConfig LoadDeliveryConfig(const Workspace& ws) {
  DeliveryConfig config;
  auto& o = config.engine;
  std::string file = (ws.root() / "b2bmail.toml").string();
  const toml::table empty;
  const toml::table* smtp_table = ws.config()["smtp"].as_table();
  TableReader smtp(smtp_table ? *smtp_table : empty, file, "smtp");

  if (auto helo = smtp.Text("helo")) o.session.helo_name = *helo;
  if (auto tls = smtp.Tls("tls")) o.session.tls = *tls;
  if (auto p = smtp.Bool("pipelining")) o.session.pipelining = *p;
  if (auto v = smtp.Int("mx_port", 1, 65535)) o.mx_port = static_cast<int>(*v);
  if (auto v = smtp.Int("max_connections", 1, 100000)) o.max_connections = static_cast<int>(*v);
  if (auto v = smtp.Int("max_in_memory", 10, 10000000)) o.max_in_memory = static_cast<int>(*v);
  if (auto ns = smtp.Text("dns_server")) o.dns.nameserver = *ns;
  auto& t = o.session.timeouts;
  if (auto v = smtp.Int("connect_timeout_seconds", 1, 3600)) t.connect = Seconds(*v);
  if (auto v = smtp.Int("command_timeout_seconds", 1, 3600))
    t.greeting = t.command = t.data_start = t.tls_handshake = Seconds(*v);
  if (auto v = smtp.Int("data_timeout_seconds", 1, 7200)) t.data_block = t.data_end = Seconds(*v);
  if (auto v = smtp.Int("idle_timeout_seconds", 1, 3600)) t.idle = Seconds(*v);
  // The old key sets the per-connection cap of every queue.
  if (auto v = smtp.Int("max_messages_per_connection", 1, 100000)) {
    o.domain_limits.max_messages_per_connection = static_cast<int>(*v);
    o.provider_limits.max_messages_per_connection = static_cast<int>(*v);
    o.relay_limits.max_messages_per_connection = static_cast<int>(*v);
  }
  auto log = smtp.Text("attempt_log");
  config.attempt_log = log ? *log : ".b2bmail/delivery-log.jsonl";
  if (!config.attempt_log.empty() && fs::path(config.attempt_log).is_relative())
    config.attempt_log = (ws.root() / config.attempt_log).string();

  if (auto relay = smtp.Text("relay")) {
    smtp::RouteOptions route;
    route.hosts = {*relay};
    route.auth_user = smtp.Text("relay_user").value_or("");
    route.auth_password = smtp.Text("relay_password").value_or("");
    if (auto pf = smtp.Text("relay_password_file")) {
      fs::path path = fs::path(*pf).is_relative() ? ws.root() / *pf : fs::path(*pf);
      route.auth_password = ReadTextFile(path);
      while (!route.auth_password.empty() &&
             (route.auth_password.back() == '\n' || route.auth_password.back() == '\r'))
        route.auth_password.pop_back();
    }
    // A smarthost on the network deserves TLS; one on localhost (tests, a local
    // Postfix) rarely offers it. The default stays opportunistic either way.
    route.tls = smtp.Tls("relay_tls");
    route.provider = "relay";
    o.relay = route;
    config.describe = "relay " + *relay;
  } else {
    smtp.Text("relay_user");
    smtp.Text("relay_password");
    smtp.Text("relay_password_file");
    smtp.Tls("relay_tls");
    config.describe = "MX";
  }

  if (auto* retry = smtp.Table("retry")) {
    TableReader r(*retry, file, "smtp.retry");
    if (auto v = r.Int("first_delay_minutes", 1, 10080))
      o.retry.first_delay = std::chrono::minutes(*v);
    if (auto v = r.Int("max_delay_minutes", 1, 10080)) o.retry.max_delay = std::chrono::minutes(*v);
    if (auto v = r.Int("max_attempts", 1, 1000)) o.retry.max_attempts = static_cast<int>(*v);
    if (auto v = r.Int("expire_hours", 1, 720)) o.retry.expire_after = std::chrono::hours(*v);
  }
  if (auto* limits = smtp.Table("limits")) {
    TableReader l(*limits, file, "smtp.limits");
    if (auto* d = l.Table("domain")) {
      TableReader r(*d, file, "smtp.limits.domain");
      r.Limits(o.domain_limits);
    }
    if (auto* p = l.Table("provider")) {
      TableReader r(*p, file, "smtp.limits.provider");
      r.Limits(o.provider_limits);
    }
  }
  if (auto* domains = smtp.Table("domains")) {
    for (auto& [key, node] : *domains) {
      std::string domain = base::AsciiLower(key.str());
      auto* table = node.as_table();
      if (!table)
        throw Error(ErrorKind::kConfig,
                    smtp.Where(node) + ": error: smtp.domains." + domain + " must be a table");
      TableReader r(*table, file, "smtp.domains." + domain);
      smtp::ShapingLimits limits = o.domain_limits;
      r.Limits(limits);
      o.domain_overrides[domain] = limits;
      auto hosts = r.TextList("route");
      auto tls = r.Tls("tls");
      auto provider = r.Text("provider");
      if (!hosts.empty()) {
        smtp::RouteOptions route;
        route.hosts = hosts;
        route.tls = tls;
        route.provider = provider.value_or("");
        route.auth_user = r.Text("auth_user").value_or("");
        route.auth_password = r.Text("auth_password").value_or("");
        o.routes[domain] = route;
      } else if (tls || provider) {
        throw Error(ErrorKind::kConfig, smtp.Where(node) + ": error: smtp.domains." + domain +
                                            ": tls and provider need a route");
      }
    }
  }
  if (auto* providers = smtp.Table("providers")) {
    for (auto& [key, node] : *providers) {
      std::string name(key.str());
      auto* table = node.as_table();
      if (!table)
        throw Error(ErrorKind::kConfig,
                    smtp.Where(node) + ": error: smtp.providers." + name + " must be a table");
      TableReader r(*table, file, "smtp.providers." + name);
      smtp::ShapingLimits limits = name == "relay" ? o.relay_limits : o.provider_limits;
      r.Limits(limits);
      o.provider_overrides[name] = limits;
      for (auto& suffix : r.TextList("mx_suffixes")) o.provider_suffixes.emplace_back(name, suffix);
    }
  }
  if (auto* warmup = smtp.Table("warmup")) {
    for (auto& [key, node] : *warmup) {
      std::string domain = base::AsciiLower(key.str());
      auto* table = node.as_table();
      if (!table)
        throw Error(ErrorKind::kConfig,
                    smtp.Where(node) + ": error: smtp.warmup." + domain + " must be a table");
      TableReader r(*table, file, "smtp.warmup." + domain);
      smtp::WarmupOptions plan;
      r.Text("start");
      auto* start = table->get("start");
      auto date = start ? start->value<toml::date>() : std::nullopt;
      if (!date)
        throw Error(ErrorKind::kConfig, (start ? r.Where(*start) : smtp.Where(node)) +
                                            ": error: smtp.warmup." + domain +
                                            ".start must be a date such as 2026-11-23");
      plan.start = base::TimePoint(
          std::chrono::sys_days(std::chrono::year(date->year) / std::chrono::month(date->month) /
                                std::chrono::day(date->day)));
      if (auto ramp = r.Text("ramp")) {
        auto parsed = smtp::ParseWarmupRamp(*ramp, file);
        if (parsed.diagnostics.HasErrors())
          throw Error(ErrorKind::kConfig,
                      r.Where(*table->get("ramp")) + ": error: smtp.warmup." + domain +
                          ".ramp: " + parsed.diagnostics.items().front().message);
        plan.daily_caps = parsed.daily_caps;
      }
      o.warmup[domain] = plan;
    }
  }
  return config;
}

}  // namespace b2bmail::cli
