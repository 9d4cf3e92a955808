#pragma once
// A b2bmail workspace: a directory with an optional b2bmail.toml and the
// segments/, templates/ and campaigns/ folders; the database defaults to
// b2bmail.db inside it. Only the CLI reads TOML (ARCHITECTURE.md).

#include <toml++/toml.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "b2bmail/base/clock.h"
#include "b2bmail/campaign/send_composer.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/message_builder.h"
#include "b2bmail/model/campaign.h"
#include "b2bmail/render/message_template.h"
#include "b2bmail/segment/segment.h"
#include "b2bmail/store/database.h"

namespace b2bmail::cli {

struct GlobalOptions {
  std::string workspace = ".";
  std::optional<std::string> db;
  std::optional<std::string> now;  // ISO 8601
};

class Workspace {
 public:
  // Reads b2bmail.toml when present; throws Error{kConfig} (with file:line:col)
  // when it is malformed, Error{kUsage} for a bad --now.
  explicit Workspace(const GlobalOptions& options);

  const std::filesystem::path& root() const { return root_; }
  const std::string& db_path() const { return db_path_; }
  const toml::table& config() const { return config_; }
  const base::Clock& clock() const { return *clock_; }

  // Opens the database with this workspace's suppression policy set.
  std::unique_ptr<store::Database> OpenDatabase() const;
  // b2bmail.toml [suppression] soft_bounce_limit (0-1000, 0: soft bounces never
  // suppress), soft_bounce_window_days and soft_suppression_days (1-3650); defaults as in
  // store::SuppressionPolicy. Throws Error{kConfig} with file:line:col for a bad value or
  // an unknown key.
  store::SuppressionPolicy LoadSuppressionPolicy() const;

  // A segment by id (segments/<id>.seg) or by path (anything ending in .seg or
  // containing '/'). Throws Error{kUsage} when it does not exist.
  segment::ParseResult LoadSegment(const std::string& id_or_path) const;
  // The ids of segments/*.seg, sorted.
  std::vector<std::string> SegmentIds() const;

  // campaigns/<id>.toml; throws Error{kConfig}/kUsage with the file and reason.
  model::Campaign LoadCampaign(const std::string& id) const;

  // templates/<id>/html.mustache, optional text.mustache and template.toml (subject,
  // preheader, strings per language, layout, from_name), templates/partials/*,
  // templates/layouts/<layout>. A non-empty `subject` (the campaign's) replaces the
  // template's subjects.
  render::TemplateSource LoadTemplate(const std::string& id, const std::string& subject) const;
  // Everything a message needs besides the template (tokens left null): [track] base_url,
  // [compliance] unsubscribe_mailto, feedback_sender, list_id_domain, [bounces] prefix,
  // domain, [sender]. Throws Error{kConfig} with the position of a bad value.
  campaign::ComposeOptions LoadComposeOptions() const;
  // The secret that signs tokens: [track] secret_file, default .b2bmail/token.secret in
  // the workspace, created (32 random bytes, mode 0600) on first use. Links already
  // sent stop working if it changes; the tracking server must read the same file.
  std::string LoadTokenSecret() const;
  // b2bmail.toml [sender] company, address, website.
  render::Sender LoadSender() const;
  // templates/<id>/images/*.{png,gif,jpg,jpeg}, which the HTML shows with
  // <img src="cid:FILE-NAME">; sorted by name. Throws Error{kConfig} for one over 512 KiB.
  std::vector<mime::InlineImage> LoadTemplateImages(const std::string& id) const;
  // b2bmail.toml [[dkim]] domain, selector, algorithm (rsa|ed25519), private_key (a path,
  // relative to the workspace). Throws Error{kConfig} naming the entry or the file when
  // one is incomplete or its key unusable: before anything is rendered or sent.
  std::vector<mime::DkimKey> LoadDkimKeys() const;

  // A string setting such as ("smtp", "relay"); nullopt when absent.
  std::optional<std::string> Setting(const std::string& table, const std::string& key) const;
  std::optional<std::int64_t> IntSetting(const std::string& table, const std::string& key) const;

 private:
  std::filesystem::path root_;
  std::string db_path_;
  std::string config_path_;
  toml::table config_;
  std::unique_ptr<base::Clock> clock_;
};

// Reads a whole file; throws Error{kIo}.
std::string ReadTextFile(const std::filesystem::path& path);

}  // namespace b2bmail::cli
