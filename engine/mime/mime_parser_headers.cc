// RFC 5322 §2.2 (header fields), §2.2.3 (folding), §3.6.8 (field names); RFC 2046
// §5.1.1 (a body part's header); RFC 3464 §2.1 (groups of delivery-status fields);
// RFC 4155 (the mbox "From " line).
#include "mime_parser_headers.h"

#include <cstring>

#include "b2bmail/mime/encoded_word_decoder.h"
#include "b2bmail/mime/header_fields.h"

namespace b2bmail::mime {
namespace {

enum class LineKind { kField, kContinuation, kOther };

struct Line {
  std::size_t start;
  std::size_t end;   // content end, line end (CR LF, LF) excluded
  std::size_t next;  // start of the next line
  LineKind kind;
};

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// RFC 5322 §3.6.8: printable ASCII except ':'; whitespace before the colon is obsolete
// syntax (§4.5.3) that is still accepted.
bool IsFieldLine(std::string_view line) {
  const void* colon_ptr = std::memchr(line.data(), ':', line.size());
  if (colon_ptr == nullptr) return false;
  std::size_t colon = static_cast<std::size_t>(static_cast<const char*>(colon_ptr) - line.data());
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && IsWsp(name.back())) name.remove_suffix(1);
  if (name.empty()) return false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return false;
  }
  return true;
}

bool IsBlank(std::string_view line, HeaderContext context) {
  if (line.empty()) return true;
  if (context != HeaderContext::kBlock) return false;
  for (char c : line)
    if (!IsWsp(c)) return false;
  return true;
}

// The line starting at `pos`.
Line LineAt(std::string_view text, std::size_t pos) {
  const void* nl_ptr = std::memchr(text.data() + pos, '\n', text.size() - pos);
  std::size_t nl = nl_ptr == nullptr
                       ? text.size()
                       : static_cast<std::size_t>(static_cast<const char*>(nl_ptr) - text.data());
  Line line{pos, nl, nl == text.size() ? nl : nl + 1, LineKind::kOther};
  if (line.end > pos && text[line.end - 1] == '\r') --line.end;
  return line;
}

// Whether a line without a name after `prev` (the last header line) continues the header:
// `prev` ends a list item (';' ',') or is a field with nothing after its colon, so that
// a value must follow.
bool ExpectsMore(std::string_view prev, LineKind prev_kind) {
  while (!prev.empty() && IsWsp(prev.back())) prev.remove_suffix(1);
  if (prev.empty()) return false;
  char last = prev.back();
  return last == ';' || last == ',' || (last == ':' && prev_kind == LineKind::kField);
}

std::string_view TrimNameEnd(std::string_view name) {
  while (!name.empty() && IsWsp(name.back())) name.remove_suffix(1);
  return name;
}

// `text` from the start of `from` to the content end of `to`.
std::string_view Span(std::string_view text, const Line& from, const Line& to) {
  return text.substr(from.start, to.end - from.start);
}

void AddOnce(std::vector<std::string>& defects, const char* message) {
  for (const auto& d : defects)
    if (d == message) return;
  defects.emplace_back(message);
}

}  // namespace

std::string UnfoldLenient(std::string_view raw_value) {
  std::string joined;
  joined.reserve(raw_value.size() + 8);
  for (std::size_t i = 0; i < raw_value.size(); ++i) {
    if (raw_value[i] == '\n' && i + 1 < raw_value.size() && !IsWsp(raw_value[i + 1])) joined += ' ';
    joined += raw_value[i];
  }
  return Unfold(joined);
}

HeaderRead ReadHeader(std::string_view text, HeaderContext context, std::size_t max_fields) {
  HeaderRead out;
  std::size_t pos = 0;
  if (context == HeaderContext::kMessage && text.substr(0, 5) == "From ") {
    // "From : x" is a field in obsolete syntax (RFC 5322 §4.5.3), not an mbox separator.
    Line first = LineAt(text, 0);
    if (!IsFieldLine(text.substr(0, first.end))) pos = first.next;
  }
  if (context == HeaderContext::kBlock) {
    while (pos < text.size()) {
      Line line = LineAt(text, pos);
      if (!IsBlank(text.substr(line.start, line.end - line.start), context)) break;
      pos = line.next;
    }
  }

  std::vector<Line> lines;
  std::size_t body_after_blank = std::string_view::npos;
  while (pos < text.size()) {
    Line line = LineAt(text, pos);
    std::string_view content = text.substr(line.start, line.end - line.start);
    if (IsBlank(content, context)) {
      body_after_blank = line.next;
      break;
    }
    if (IsWsp(content[0])) {
      line.kind = lines.empty() ? LineKind::kOther : LineKind::kContinuation;
    } else {
      line.kind = IsFieldLine(content) ? LineKind::kField : LineKind::kOther;
    }
    // A part whose first line is not a field has no header; reading on is pointless.
    if (lines.empty() && line.kind != LineKind::kField && context != HeaderContext::kBlock) {
      out.defects.emplace_back("no header: the part starts with a line that is not a field");
      out.body = text.substr(line.start);
      return out;
    }
    lines.push_back(line);
    pos = line.next;
  }
  auto rest_after_header = [&] {
    return body_after_blank != std::string_view::npos ? text.substr(body_after_blank)
                                                      : text.substr(text.size());
  };
  if (lines.empty()) {
    out.body = rest_after_header();
    return out;
  }

  // The header ends after the last field, its folds, and the lines without a name that
  // plausibly continue it; see the contract in mime_parser_headers.h.
  std::size_t n = lines.size();
  if (context != HeaderContext::kBlock) {
    std::size_t last_field = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i].kind == LineKind::kField) last_field = i;
    n = last_field + 1;
    while (n < lines.size()) {
      const Line& prev = lines[n - 1];
      if (lines[n].kind == LineKind::kOther &&
          !ExpectsMore(text.substr(prev.start, prev.end - prev.start), prev.kind))
        break;
      ++n;
    }
  }
  if (n < lines.size()) {
    out.defects.emplace_back(
        "no empty line after the header: the body starts at the first line that is not a "
        "field");
    out.body = text.substr(lines[n].start);
  } else {
    out.body = rest_after_header();
  }

  std::size_t i = 0;
  while (i < n) {
    // [i, j): a field line and its folds (or, first in a group, a line without a name);
    // [j, k): lines without a name joined to the field.
    std::size_t j = i + 1;
    while (j < n && lines[j].kind == LineKind::kContinuation) ++j;
    std::size_t k = j;
    while (k < n && lines[k].kind != LineKind::kField) ++k;
    if (out.fields.size() >= max_fields) {
      out.defects.emplace_back("too many header fields: the rest are skipped");
      break;
    }
    MimeHeader field;
    SplitMessage split;
    if (lines[i].kind == LineKind::kField)
      split = SplitHeaderAndBody(text.substr(lines[i].start, lines[j - 1].next - lines[i].start));
    if (split.fields.size() == 1) {  // a field line and its folds make one field
      field.name = TrimNameEnd(split.fields.front().name);
      field.raw_value = split.fields.front().value;
    } else {
      field.name = text.substr(lines[i].start, 0);
      field.raw_value = Span(text, lines[i], lines[j - 1]);
    }
    if (k > j) {
      AddOnce(out.defects, "a header line without a field name was joined to the field before it");
      const char* begin = field.raw_value.data();
      field.raw_value =
          std::string_view(begin, static_cast<std::size_t>(text.data() + lines[k - 1].end - begin));
    }
    field.value = DecodeEncodedWords(UnfoldLenient(field.raw_value));
    out.fields.push_back(std::move(field));
    i = k;
  }
  return out;
}

}  // namespace b2bmail::mime
