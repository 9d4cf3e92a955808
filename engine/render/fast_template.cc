#include "fast_template.h"

#include <array>
#include <limits>

namespace b2bmail::render {

namespace {

constexpr std::size_t kMaxDepth = 64;  // deeper sections fall back to kainjow

bool IsMarker(unsigned char c) { return c == 0x1e || c == 0x1f; }

// kainjow trims tag contents with std::isspace in the "C" locale.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::array<bool, 256> kHtmlSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'&', '<', '>', '"', '\'', '\x1e', '\x1f'}) t[c] = true;
  return t;
}();

// Appends the clean runs between special bytes in one call each: values are mostly
// plain text.
void AppendHtml(std::string_view s, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (!kHtmlSpecial[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      default:  // a link marker: dropped
        break;
    }
  }
  out.append(s.data() + run, s.size() - run);
}

void AppendPlain(std::string_view s, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsMarker(s[i])) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

// The line end starting at `i` of `s` (kainjow's whitespace components: \r\n, \n,
// \r); 0 when there is none.
std::size_t NewlineAt(std::string_view s, std::size_t i) {
  if (s[i] == '\n') return 1;
  if (s[i] != '\r') return 0;
  return i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
}

bool Blank(const std::string& out, std::size_t from) {
  for (std::size_t i = from; i < out.size(); ++i)
    if (out[i] != ' ' && out[i] != '\t') return false;
  return true;
}

}  // namespace

struct FastTemplate::Frame {
  FastData::Id node;
  const Frame* outer;
};

// kainjow buffers a line and decides at its end whether it was a standalone section
// line; here the line is written to `out` at once and cut back when it was.
struct FastTemplate::Line {
  std::size_t start;  // in out
  bool had_section;
};

FastTemplate::FastTemplate(Escape escape)
    : escape_(escape == Escape::kHtml ? &AppendHtml : &AppendPlain) {}

void FastTemplate::AddText(std::string_view text) {
  if (text.empty()) return;
  Op op{.kind = OpKind::kText,
        .offset = static_cast<std::uint32_t>(text_.size()),
        .size = static_cast<std::uint32_t>(text.size()),
        .newline = kNoNewline};
  std::size_t last_end = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t n = NewlineAt(text, i);
    if (n == 0) continue;
    if (op.newline == kNoNewline) {
      op.newline = static_cast<std::uint32_t>(i);
      op.newline_size = static_cast<std::uint8_t>(n);
    }
    i += n - 1;
    last_end = i + 1;
  }
  op.tail = static_cast<std::uint32_t>(text.size() - last_end);
  text_.append(text);
  ops_.push_back(op);
}

// kainjow splits a dotted name with std::getline, which drops one trailing empty
// piece: "a.b." is {"a", "b"}, ".a" is {"", "a"}.
std::uint32_t FastTemplate::AddName(std::string_view name) {
  Name n{static_cast<std::uint32_t>(segments_.size()), 0, name == "."};
  if (!n.dot) {
    for (std::size_t from = 0;;) {
      std::size_t dot = name.find('.', from);
      if (dot == std::string_view::npos) {
        if (from < name.size() || from == 0)
          segments_.push_back({std::string(name.substr(from)), 0});
        break;
      }
      segments_.push_back({std::string(name.substr(from, dot - from)), 0});
      from = dot + 1;
    }
    n.count = static_cast<std::uint32_t>(segments_.size()) - n.first;
    for (std::uint32_t i = n.first; i < segments_.size(); ++i)
      segments_[i].hash = FastData::KeyHash(segments_[i].key);
  }
  names_.push_back(n);
  return static_cast<std::uint32_t>(names_.size() - 1);
}

std::optional<FastTemplate> FastTemplate::Compile(std::string_view text, Escape escape) {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2) return std::nullopt;
  FastTemplate t(escape);
  std::vector<std::pair<std::uint32_t, std::string_view>> open;  // section op, name
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    std::size_t start = text.find("{{", pos);
    if (start == std::string_view::npos) start = n;
    // Text runs between tags stay separate ops, as kainjow keeps them: "\r{{!}}\n" is two
    // line ends, not one \r\n.
    t.AddText(text.substr(pos, start - pos));
    if (start == n) break;
    // kainjow: "{{{" opens a triple tag unless the "{{" ends the input.
    std::size_t contents = start + 2;
    bool triple = start != n - 2 && text[contents] == '{';
    std::string_view close = triple ? "}}}" : "}}";
    if (triple) ++contents;
    std::size_t end = text.find(close, contents);
    if (end == std::string_view::npos) return std::nullopt;  // unclosed tag
    std::string_view tag = Trim(text.substr(contents, end - contents));
    pos = end + close.size();
    if (!tag.empty() && tag[0] == '=') return std::nullopt;  // set delimiters
    char sigil = triple || tag.empty() ? '\0' : tag[0];
    if (sigil == '>') return std::nullopt;  // partials are expanded by the caller
    if (sigil == '!') continue;
    std::string_view name = triple || std::string_view("#^/&").find(sigil) == std::string_view::npos
                                ? tag
                                : Trim(tag.substr(1));
    switch (sigil) {
      case '#':
      case '^':
        if (open.size() == kMaxDepth) return std::nullopt;
        open.emplace_back(static_cast<std::uint32_t>(t.ops_.size()), name);
        t.ops_.push_back({.kind = sigil == '#' ? OpKind::kSection : OpKind::kInverted,
                          .offset = t.AddName(name)});
        break;
      case '/':
        if (open.empty() || open.back().second != name) return std::nullopt;
        t.ops_[open.back().first].end = static_cast<std::uint32_t>(t.ops_.size());
        open.pop_back();
        break;
      default:
        t.ops_.push_back({.kind = triple || sigil == '&' ? OpKind::kRaw : OpKind::kVariable,
                          .offset = t.AddName(name)});
    }
  }
  if (!open.empty()) return std::nullopt;  // unclosed section
  return t;
}

FastData::Id FastTemplate::Resolve(const Name& name, const FastData& data,
                                   const Frame& frame) const {
  if (name.dot) return frame.node;
  const Segment* first = segments_.data() + name.first;
  const Segment* last = first + name.count;
  for (const Frame* f = &frame; f; f = f->outer) {
    FastData::Id id = f->node;
    for (const Segment* s = first; s != last && id != FastData::kNone; ++s)
      id = data.Child(id, s->key, s->hash);
    if (id != FastData::kNone) return id;
  }
  return FastData::kNone;
}

void FastTemplate::RenderOps(std::uint32_t begin, std::uint32_t end, const FastData& data,
                             const Frame& frame, Line& line, std::string& out) const {
  for (std::uint32_t i = begin; i < end;) {
    const Op& op = ops_[i];
    switch (op.kind) {
      case OpKind::kText: {
        const char* p = text_.data() + op.offset;
        if (op.newline == kNoNewline) {
          out.append(p, op.size);
          break;
        }
        out.append(p, op.newline);
        if (line.had_section && Blank(out, line.start))
          out.resize(line.start);  // a standalone section line: gone with its line end
        else
          out.append(p + op.newline, op.newline_size);
        std::size_t rest = op.newline + op.newline_size;
        out.append(p + rest, op.size - rest);
        line = {out.size() - op.tail, false};
        break;
      }
      case OpKind::kVariable:
      case OpKind::kRaw: {
        FastData::Id id = Resolve(names_[op.offset], data, frame);
        if (id == FastData::kNone || data.kind(id) != FastData::Kind::kString) break;
        if (op.kind == OpKind::kRaw)
          out.append(data.value(id));
        else
          escape_(data.value(id), out);
        break;
      }
      case OpKind::kSection:
      case OpKind::kInverted: {
        FastData::Id id = Resolve(names_[op.offset], data, frame);
        bool truthy = id != FastData::kNone && data.kind(id) != FastData::Kind::kFalse;
        if (truthy == (op.kind == OpKind::kSection)) {
          line.had_section = true;
          // A false value is pushed too: `.` inside then renders nothing.
          Frame inner{id, &frame};
          RenderOps(i + 1, op.end, data, id == FastData::kNone ? frame : inner, line, out);
          line.had_section = true;
        }
        i = op.end;
        continue;
      }
    }
    ++i;
  }
}

void FastTemplate::Render(const FastData& data, std::string& out) const {
  out.reserve(out.size() + text_.size() + text_.size() / 4);
  Line line{out.size(), false};
  Frame root{FastData::kRoot, nullptr};
  RenderOps(0, static_cast<std::uint32_t>(ops_.size()), data, root, line, out);
  if (line.had_section && Blank(out, line.start)) out.resize(line.start);
}

std::string FastTemplate::Render(const FastData& data) const {
  std::string out;
  Render(data, out);
  return out;
}

}  // namespace b2bmail::render
