#pragma once
// The linter's view of the raw template text. libxml2 gives an element only the line
// where its start tag *ends* and drops comments' structure, so the linter scans the
// text itself for start tags (to place findings at `<name`, attributes and CSS), for
// MSO conditional comments (L22, and the `<!--[if !mso]><!-->` regions that Outlook
// never sees) and for the content of <style> blocks.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::render::lint {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct SourceTag {
  std::string name;         // lowercase
  std::size_t offset = 0;   // of '<'
  std::size_t end = 0;      // one past the closing '>'
  std::size_t raw_end = 0;  // <style>/<script>: offset of the closing tag; otherwise == end
  int line = 0;
  bool not_mso = false;  // inside <!--[if !mso]><!--> ... <!--<![endif]-->
};

struct SourceAttribute {
  std::string name;  // lowercase
  std::size_t name_offset = 0;
  std::size_t value_offset = kNone;  // kNone when the attribute has no value
  std::string_view value;            // raw, entities not decoded
};

// A malformed or unbalanced MSO conditional comment.
struct ConditionalIssue {
  std::size_t offset = 0;
  std::string message;
};

class SourceText {
 public:
  explicit SourceText(std::string_view text);

  std::string_view text() const { return text_; }
  base::SourcePosition PositionOf(std::size_t offset) const;
  int LineOf(std::size_t offset) const;

  const std::vector<SourceTag>& tags() const { return tags_; }
  // Index of the first tag named `name` at index >= from whose line is <= max_line
  // (max_line <= 0: no limit); kNone if there is none.
  std::size_t FindTag(const std::string& name, std::size_t from, int max_line) const;
  std::vector<SourceAttribute> Attributes(const SourceTag& tag) const;

  const std::vector<ConditionalIssue>& conditional_issues() const { return issues_; }
  // An MSO-only conditional comment carries <o:PixelsPerInch> (L21).
  bool has_pixels_per_inch() const { return pixels_per_inch_; }
  // An MSO-only conditional opens a <table ... width=...>: the "ghost table" that gives
  // Outlook the fixed width a fluid max-width <div> container cannot (L2).
  bool has_mso_ghost_table() const { return mso_ghost_table_; }

 private:
  void Scan();
  void ScanComment(std::size_t at, std::string_view body, bool closed);
  std::size_t ScanTag(std::size_t at);
  std::size_t CodePointsBefore(std::size_t offset) const;

  std::string_view text_;
  std::string lower_;  // text_ in ASCII lowercase, for case-insensitive searching
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> code_points_;  // code points before each kStep-byte block
  std::vector<SourceTag> tags_;
  std::unordered_map<std::string, std::vector<std::size_t>> tags_by_name_;
  std::vector<ConditionalIssue> issues_;
  struct OpenConditional {
    std::size_t offset;
    bool not_mso;
  };
  std::vector<OpenConditional> open_;  // <!--[if ...]><!--> regions not yet closed
  int not_mso_depth_ = 0;
  int expected_stray_ends_ = 0;  // <![endif]--> left over by a conditional cut short
  bool pixels_per_inch_ = false;
  bool mso_ghost_table_ = false;
};

}  // namespace b2bmail::render::lint
