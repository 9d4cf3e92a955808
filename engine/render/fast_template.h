#pragma once
// A Mustache template compiled once into literal and slot operations, rendering the
// same bytes as kainjow (the library MessageTemplate compiles with) about ten times
// faster: kainjow re-walks a component tree with std::function callbacks and a line
// buffer per render (perf-baselines.md §4: ~16k renders/s against a ~169k/s floor).
//
// What kainjow does that this reproduces, byte for byte:
// - tags: {{x}} (escaped), {{{x}}} and {{&x}} (verbatim), {{#x}}, {{^x}}, {{/x}},
//   {{! comment}}; names trimmed; `.` is the innermost context; `a.b.c` is tried
//   whole against each context from the innermost out.
// - truthiness: a section renders unless its name is missing or `false`; an empty
//   string and an empty object are true. An inverted section is the opposite.
//   Sections push their value as the innermost context.
// - whitespace: a line (ended by \r\n, \n or a lone \r, or the last line) on which a
//   section was rendered (opened or closed) is dropped with its line end when its
//   rendered text, values included, is only spaces and tabs. Comments and sections
//   that did not render leave their line as it is (kainjow is not the spec here).
// Compile refuses (nullopt, the caller keeps kainjow) partials {{> x}}, set-delimiter
// tags {{=<% %>=}}, anything kainjow reports as an error, and sections nested more
// than 64 deep.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fast_data.h"

namespace b2bmail::render {

class FastTemplate {
 public:
  // How {{x}} writes a value. Both drop the link-marker bytes \x1e and \x1f (so a
  // value cannot forge a link), as MessageTemplate's kainjow escape functions do;
  // kHtml also writes & < > " ' as &amp; &lt; &gt; &quot; &#39;. {{{x}}} and {{&x}}
  // write the value unchanged.
  enum class Escape { kHtml, kNone };

  static std::optional<FastTemplate> Compile(std::string_view text, Escape escape);

  // Appends the rendering to `out`; allocates nothing but `out`'s growth.
  void Render(const FastData& data, std::string& out) const;
  std::string Render(const FastData& data) const;

 private:
  enum class OpKind : std::uint8_t { kText, kVariable, kRaw, kSection, kInverted };
  struct Op {
    OpKind kind;
    std::uint8_t newline_size = 0;  // text: 1 or 2 (\r\n)
    std::uint32_t offset = 0;       // text: in text_; the others: index in names_
    std::uint32_t size = 0;         // text
    std::uint32_t newline = 0;      // text: offset of its first line end, kNoNewline if none
    std::uint32_t tail = 0;         // text: bytes after its last line end
    std::uint32_t end = 0;          // sections: the op after the section
  };
  struct Segment {
    std::string key;
    std::uint64_t hash;  // FastData::KeyHash(key)
  };
  struct Name {
    std::uint32_t first, count;  // in segments_
    bool dot;                    // `.`
  };
  struct Frame;  // a context on the render stack
  struct Line;   // the current output line
  using EscapeFn = void (*)(std::string_view, std::string&);
  static constexpr std::uint32_t kNoNewline = 0xffffffff;

  explicit FastTemplate(Escape escape);
  void AddText(std::string_view text);
  std::uint32_t AddName(std::string_view name);
  FastData::Id Resolve(const Name& name, const FastData& data, const Frame& frame) const;
  void RenderOps(std::uint32_t begin, std::uint32_t end, const FastData& data, const Frame& frame,
                 Line& line, std::string& out) const;

  EscapeFn escape_;
  std::vector<Op> ops_;
  std::vector<Name> names_;
  std::vector<Segment> segments_;
  std::string text_;  // all literal text
};

}  // namespace b2bmail::render
