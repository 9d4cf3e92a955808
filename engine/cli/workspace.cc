#include "workspace.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"
#include "b2bmail/track/token_signer.h"

namespace b2bmail::cli {
namespace fs = std::filesystem;

namespace {

std::string Position(const std::string& file, const toml::source_region& where) {
  return file + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

toml::table ParseToml(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw Error(ErrorKind::kConfig,
                Position(path, e.source()) + ": error: " + std::string(e.description()));
  }
}

}  // namespace

std::string ReadTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Workspace::Workspace(const GlobalOptions& options) : root_(options.workspace) {
  if (!fs::is_directory(root_))
    throw Error(ErrorKind::kUsage, "workspace " + root_.string() + " is not a directory");
  config_path_ = (root_ / "b2bmail.toml").string();
  if (fs::exists(config_path_)) config_ = ParseToml(config_path_);
  if (options.db)
    db_path_ = *options.db;
  else if (auto db = Setting("store", "path"))
    db_path_ = fs::path(*db).is_absolute() ? *db : (root_ / *db).string();
  else
    db_path_ = (root_ / "b2bmail.db").string();
  if (options.now) {
    auto t = base::ParseIso8601(*options.now);
    if (!t)
      throw Error(ErrorKind::kUsage,
                  "--now '" + *options.now + "' is not an ISO 8601 time like 2026-11-23T09:00:00Z");
    clock_ = std::make_unique<base::FixedClock>(*t);
  } else {
    clock_ = std::make_unique<base::SystemClock>();
  }
}

std::unique_ptr<store::Database> Workspace::OpenDatabase() const {
  // Read first: a bad [suppression] table stops the command before the file is touched.
  auto policy = LoadSuppressionPolicy();
  auto db = store::OpenSqlite(db_path_);
  db->SetSuppressionPolicy(policy);
  return db;
}

store::SuppressionPolicy Workspace::LoadSuppressionPolicy() const {
  store::SuppressionPolicy policy;
  auto node = config_["suppression"];
  if (!node) return policy;
  const toml::table* table = node.as_table();
  if (!table)
    throw Error(ErrorKind::kConfig, Position(config_path_, node.node()->source()) +
                                        ": error: suppression must be a table");
  for (const auto& [key, value] : *table) {
    std::string name(key.str());
    std::int64_t min = 1, max = 3650;
    if (name == "soft_bounce_limit")
      min = 0, max = 1000;
    else if (name != "soft_bounce_window_days" && name != "soft_suppression_days")
      // A misspelt key silently ignored would suppress on the defaults.
      throw Error(ErrorKind::kConfig, Position(config_path_, key.source()) +
                                          ": error: unknown key suppression." + name +
                                          " (known: soft_bounce_limit, soft_bounce_window_days, "
                                          "soft_suppression_days)");
    auto v = value.value<std::int64_t>();
    if (!v || *v < min || *v > max)
      throw Error(ErrorKind::kConfig, Position(config_path_, value.source()) +
                                          ": error: suppression." + name +
                                          " must be a whole number from " + std::to_string(min) +
                                          " to " + std::to_string(max));
    if (name == "soft_bounce_limit")
      policy.soft_bounce_limit = static_cast<int>(*v);
    else if (name == "soft_bounce_window_days")
      policy.soft_bounce_window = std::chrono::days(*v);
    else
      policy.soft_suppression = std::chrono::days(*v);
  }
  return policy;
}

std::optional<std::string> Workspace::Setting(const std::string& table,
                                              const std::string& key) const {
  auto node = config_[table][key];
  if (!node) return std::nullopt;
  if (auto s = node.value<std::string>()) return s;
  auto where = node.node()->source();
  throw Error(ErrorKind::kConfig,
              Position(config_path_, where) + ": error: " + table + "." + key + " must be text");
}

std::optional<std::int64_t> Workspace::IntSetting(const std::string& table,
                                                  const std::string& key) const {
  auto node = config_[table][key];
  if (!node) return std::nullopt;
  if (auto v = node.value<std::int64_t>()) return v;
  throw Error(ErrorKind::kConfig, Position(config_path_, node.node()->source()) +
                                      ": error: " + table + "." + key + " must be a whole number");
}

std::vector<std::string> Workspace::SegmentIds() const {
  std::vector<std::string> ids;
  fs::path dir = root_ / "segments";
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".seg") ids.push_back(entry.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

segment::ParseResult Workspace::LoadSegment(const std::string& id_or_path) const {
  fs::path path = id_or_path;
  bool is_path = id_or_path.find('/') != std::string::npos || path.extension() == ".seg";
  if (!is_path) path = root_ / "segments" / (id_or_path + ".seg");
  auto ids = SegmentIds();
  if (!fs::exists(path)) {
    std::string best = is_path ? "" : base::Nearest(id_or_path, ids);
    throw Error(ErrorKind::kUsage, "no segment '" + id_or_path + "' (looked for " + path.string() +
                                       ")" + (best.empty() ? "" : "; did you mean " + best + "?"));
  }
  auto result = segment::LoadSegmentFile(path.string());
  // Named segments (`in segment x`, `exclude x`) come from this workspace.
  segment::ResolveReferences(
      result,
      [this](const std::string& id) -> std::optional<std::string> {
        fs::path named = root_ / "segments" / (id + ".seg");
        if (!fs::exists(named)) return std::nullopt;
        return named.string();
      },
      ids);
  return result;
}

model::Campaign Workspace::LoadCampaign(const std::string& id) const {
  fs::path path = root_ / "campaigns" / (id + ".toml");
  if (!fs::exists(path))
    throw Error(ErrorKind::kUsage, "no campaign '" + id + "' (looked for " + path.string() + ")");
  toml::table t = ParseToml(path.string());
  auto text = [&](const char* key, bool required) -> std::string {
    auto node = t[key];
    if (!node) {
      if (required)
        throw Error(ErrorKind::kConfig,
                    path.string() + ": error: missing required key '" + std::string(key) + "'");
      return "";
    }
    if (auto s = node.value<std::string>()) return *s;
    throw Error(ErrorKind::kConfig, Position(path.string(), node.node()->source()) + ": error: '" +
                                        key + "' must be text");
  };
  model::Campaign c;
  c.id = id;
  c.name = text("name", false);
  c.segment = text("segment", true);
  c.template_id = text("template", true);
  c.subject = text("subject", false);  // default: the template's template.toml
  c.from_address = text("from_address", true);
  c.from_name = text("from_name", false);
  c.reply_to = text("reply_to", false);
  if (auto type = text("mail_type", false); !type.empty()) c.mail_type = type;
  if (c.mail_type.find_first_of(": \t\r\n") != std::string::npos)
    throw Error(ErrorKind::kConfig,
                path.string() + ": error: mail_type '" + c.mail_type +
                    "' must be one word without ':' (it is a Feedback-ID field)");
  auto valid_address = [](const std::string& a) {
    auto at = a.find('@');
    return at != std::string::npos && at > 0 && at + 1 < a.size() &&
           a.find_first_of(" \t\r\n<>\"") == std::string::npos;
  };
  if (!valid_address(c.from_address))
    throw Error(ErrorKind::kConfig,
                path.string() + ": error: from_address '" + c.from_address + "' is not an address");
  if (!c.reply_to.empty() && !valid_address(c.reply_to))
    throw Error(ErrorKind::kConfig,
                path.string() + ": error: reply_to '" + c.reply_to + "' is not an address");
  if (c.from_name.find_first_of("\r\n") != std::string::npos)
    throw Error(ErrorKind::kConfig, path.string() + ": error: from_name must be one line");
  return c;
}

namespace {

// A template.toml value that is text in one language (`subject = "..."`) or a table of
// languages (`[subject]` with `default`, `de`, ...). Keys are lower-cased tags.
render::Localized LocalizedSetting(const toml::table& t, const char* key, const std::string& file) {
  render::Localized out;
  auto node = t[key];
  if (!node) return out;
  if (auto text = node.value<std::string>()) {
    out[""] = *text;
    return out;
  }
  const toml::table* table = node.as_table();
  if (!table)
    throw Error(ErrorKind::kConfig, Position(file, node.node()->source()) + ": error: '" + key +
                                        "' is text or a table of languages");
  for (const auto& [lang, value] : *table) {
    auto text = value.value<std::string>();
    if (!text)
      throw Error(ErrorKind::kConfig, Position(file, value.source()) + ": error: " + key + "." +
                                          std::string(lang.str()) + " must be text");
    std::string tag = base::AsciiLower(lang.str());
    out[tag == "default" ? "" : tag] = *text;
  }
  return out;
}

// [strings] key = "..." (default language) and [strings.<lang>] key = "...".
std::map<std::string, render::Localized> Strings(const toml::table& t, const std::string& file) {
  std::map<std::string, render::Localized> out;
  const toml::table* strings = t["strings"].as_table();
  if (!strings) return out;
  for (const auto& [key, value] : *strings) {
    if (auto text = value.value<std::string>()) {
      out[std::string(key.str())][""] = *text;
      continue;
    }
    const toml::table* lang = value.as_table();
    if (!lang)
      throw Error(ErrorKind::kConfig, Position(file, value.source()) + ": error: strings." +
                                          std::string(key.str()) +
                                          " must be text or a table of one language's strings");
    for (const auto& [name, text] : *lang) {
      auto v = text.value<std::string>();
      if (!v)
        throw Error(ErrorKind::kConfig, Position(file, text.source()) + ": error: strings." +
                                            std::string(key.str()) + "." + std::string(name.str()) +
                                            " must be text");
      out[std::string(name.str())][base::AsciiLower(key.str())] = *v;
    }
  }
  return out;
}

std::map<std::string, std::string> ReadFolder(const fs::path& dir,
                                              std::map<std::string, std::string>* paths) {
  std::map<std::string, std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".mustache") {
      std::string name = entry.path().stem().string();
      out[name] = ReadTextFile(entry.path());
      if (paths) (*paths)[name] = entry.path().string();
    }
  return out;
}

}  // namespace

render::TemplateSource Workspace::LoadTemplate(const std::string& id,
                                               const std::string& subject) const {
  fs::path dir = root_ / "templates" / id;
  render::TemplateSource src;
  src.id = id;
  src.html_file = (dir / "html.mustache").string();
  if (!fs::exists(src.html_file))
    throw Error(ErrorKind::kUsage, "no template '" + id + "' (looked for " + src.html_file + ")");
  src.html = ReadTextFile(src.html_file);
  src.text_file = (dir / "text.mustache").string();
  if (fs::exists(src.text_file)) src.text = ReadTextFile(src.text_file);
  src.partials = ReadFolder(root_ / "templates" / "partials", &src.partial_files);

  fs::path config = dir / "template.toml";
  if (fs::exists(config)) {
    src.config_file = config.string();
    toml::table t = ParseToml(src.config_file);
    src.subjects = LocalizedSetting(t, "subject", src.config_file);
    src.preheaders = LocalizedSetting(t, "preheader", src.config_file);
    src.strings = Strings(t, src.config_file);
    if (auto from = t["from_name"].value<std::string>()) src.from_name = *from;
    if (auto layout = t["layout"].value<std::string>()) {
      fs::path file = root_ / "templates" / "layouts" / (*layout + ".mustache");
      if (!fs::exists(file))
        throw Error(ErrorKind::kConfig, Position(src.config_file, t["layout"].node()->source()) +
                                            ": error: no layout '" + *layout + "' (looked for " +
                                            file.string() + ")");
      src.layout = ReadTextFile(file);
      src.layout_file = file.string();
    }
  }
  // The campaign's subject, when it has one, is the subject in every language.
  if (!subject.empty()) src.subjects = {{"", subject}};
  return src;
}

std::vector<mime::InlineImage> Workspace::LoadTemplateImages(const std::string& id) const {
  std::vector<mime::InlineImage> images;
  fs::path dir = root_ / "templates" / id / "images";
  if (!fs::is_directory(dir)) return images;
  const std::map<std::string, std::string> kTypes = {{".png", "image/png"},
                                                     {".gif", "image/gif"},
                                                     {".jpg", "image/jpeg"},
                                                     {".jpeg", "image/jpeg"}};
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto type = kTypes.find(base::AsciiLower(entry.path().extension().string()));
    if (!entry.is_regular_file() || type == kTypes.end()) continue;
    // Every copy carries the bytes: a large image makes every message large (Gmail clips
    // messages over about 102 KB, deliverability.md §2).
    if (entry.file_size() > 512 * 1024)
      throw Error(ErrorKind::kConfig, entry.path().string() +
                                          ": error: an embedded image may be at most 512 KiB; "
                                          "host it and link it with https:// instead");
    std::string name = entry.path().filename().string();
    images.push_back({name, type->second, name, ReadTextFile(entry.path())});
  }
  std::sort(images.begin(), images.end(),
            [](const auto& a, const auto& b) { return a.content_id < b.content_id; });
  return images;
}

std::vector<mime::DkimKey> Workspace::LoadDkimKeys() const {
  std::vector<mime::DkimKey> keys;
  const toml::array* entries = config_["dkim"].as_array();
  if (!config_["dkim"]) return keys;
  if (!entries)
    throw Error(ErrorKind::kConfig, Position(config_path_, config_["dkim"].node()->source()) +
                                        ": error: dkim is a list of [[dkim]] tables");
  for (const auto& entry : *entries) {
    const toml::table* t = entry.as_table();
    std::string where = Position(config_path_, entry.source());
    auto text = [&](const char* key) -> std::string {
      auto v = t ? (*t)[key].value<std::string>() : std::nullopt;
      if (!v || v->empty())
        throw Error(ErrorKind::kConfig, where + ": error: [[dkim]] needs " + std::string(key));
      return *v;
    };
    std::string algorithm = text("algorithm");
    if (algorithm != "rsa" && algorithm != "ed25519")
      throw Error(ErrorKind::kConfig,
                  where + ": error: [[dkim]] algorithm is rsa or ed25519, not '" + algorithm + "'");
    fs::path key = text("private_key");
    if (key.is_relative()) key = root_ / key;
    keys.push_back(mime::DkimKey::FromFile(
        text("domain"), text("selector"),
        algorithm == "rsa" ? mime::DkimAlgorithm::kRsaSha256 : mime::DkimAlgorithm::kEd25519Sha256,
        key.string()));
  }
  return keys;
}

campaign::ComposeOptions Workspace::LoadComposeOptions() const {
  campaign::ComposeOptions o;
  o.sender = LoadSender();
  if (auto url = Setting("track", "base_url")) o.tracking_base_url = *url;
  while (!o.tracking_base_url.empty() && o.tracking_base_url.back() == '/')
    o.tracking_base_url.pop_back();
  auto fail = [&](const std::string& table, const std::string& key, const std::string& why) {
    throw Error(ErrorKind::kConfig, Position(config_path_, config_[table][key].node()->source()) +
                                        ": error: " + table + "." + key + " " + why);
  };
  auto is_token = [](const std::string& v, std::string_view extra) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [&](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             extra.find(c) != std::string_view::npos;
    });
  };
  if (auto v = Setting("compliance", "unsubscribe_mailto")) {
    if (v->find('@') == std::string::npos || v->find_first_of(" <>\"\r\n") != std::string::npos)
      fail("compliance", "unsubscribe_mailto", "must be an address like unsubscribe@example.com");
    o.unsubscribe_mailto = *v;
  }
  if (auto v = Setting("compliance", "feedback_sender")) {
    // Gmail's SenderId: stable, 5-15 characters; ':' would shift Feedback-ID's fields.
    if (v->size() < 5 || v->size() > 15 || !is_token(*v, "-_."))
      fail("compliance", "feedback_sender", "must be 5-15 letters, digits, '-', '_' or '.'");
    o.feedback_sender = *v;
  }
  if (auto v = Setting("compliance", "list_id_domain")) o.list_id_domain = *v;
  if (auto v = Setting("bounces", "prefix")) {
    if (v->size() > 20 || !is_token(*v, "-_."))
      fail("bounces", "prefix", "must be up to 20 letters, digits, '-', '_' or '.'");
    o.bounce_prefix = *v;
  }
  if (auto v = Setting("bounces", "domain")) o.bounce_domain = *v;
  return o;
}

std::string Workspace::LoadTokenSecret() const {
  fs::path path = Setting("track", "secret_file").value_or(".b2bmail/token.secret");
  if (path.is_relative()) path = root_ / path;
  return track::LoadOrCreateTokenSecret(path);
}

render::Sender Workspace::LoadSender() const {
  render::Sender s;
  s.company = Setting("sender", "company").value_or("");
  s.address = Setting("sender", "address").value_or("");
  s.website = Setting("sender", "website").value_or("");
  return s;
}

}  // namespace b2bmail::cli
