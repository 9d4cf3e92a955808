#include "workspace.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/store/open_sqlite.h"

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
  return store::OpenSqlite(db_path_);
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
  c.subject = text("subject", true);
  c.from_address = text("from_address", true);
  c.from_name = text("from_name", false);
  c.reply_to = text("reply_to", false);
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

render::TemplateSource Workspace::LoadTemplate(const std::string& id,
                                               const std::string& subject) const {
  fs::path dir = root_ / "templates" / id;
  render::TemplateSource src;
  src.id = id;
  src.subject = subject;
  src.html_file = (dir / "html.mustache").string();
  if (!fs::exists(src.html_file))
    throw Error(ErrorKind::kUsage, "no template '" + id + "' (looked for " + src.html_file + ")");
  src.html = ReadTextFile(src.html_file);
  src.text_file = (dir / "text.mustache").string();
  if (fs::exists(src.text_file)) src.text = ReadTextFile(src.text_file);
  fs::path partials = root_ / "templates" / "partials";
  if (fs::is_directory(partials))
    for (const auto& entry : fs::directory_iterator(partials))
      if (entry.path().extension() == ".mustache")
        src.partials[entry.path().stem().string()] = ReadTextFile(entry.path());
  return src;
}

}  // namespace b2bmail::cli
