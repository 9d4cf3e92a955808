#include "b2bmail/render/html_to_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>
#include <vector>

#include "b2bmail/base/strings.h"
#include "text_wrap.h"

namespace b2bmail::render {
namespace {

// Deeper elements are skipped: libxml2 already stops at 256 levels, this only keeps the
// recursion bounded should a libxml2 version hand over more.
constexpr std::size_t kMaxDepth = 1000;
constexpr std::size_t kDefaultWidth = 76;

// What an element does to the text layout.
enum class Role {
  kSkip,       // dropped with its content
  kInline,     // transparent
  kLine,       // starts and ends a line (div)
  kParagraph,  // separated by a blank line (p)
  kHeading,
  kList,
  kItem,
  kTable,
  kRow,
  kCell,
  kBreak,
  kRule,
  kPre,
  kLink,
  kImage,
};

Role RoleOf(std::string_view name) {
  static const std::map<std::string_view, Role> kRoles = [] {
    struct Group {
      Role role;
      std::vector<std::string_view> names;
    };
    const Group groups[] = {
        {Role::kSkip,
         {"head", "style", "script", "title", "template", "svg", "meta", "link", "iframe", "object",
          "embed", "audio", "video", "canvas", "input", "select", "textarea"}},
        {Role::kLine,
         {"html",    "body",       "div",     "center",  "section", "article", "header",
          "footer",  "main",       "nav",     "aside",   "form",    "dt",      "dd",
          "caption", "figcaption", "details", "summary", "thead",   "tbody",   "tfoot"}},
        {Role::kParagraph, {"p", "blockquote", "address", "dl", "figure", "fieldset"}},
        {Role::kHeading, {"h1", "h2", "h3", "h4", "h5", "h6"}},
        {Role::kList, {"ul", "ol"}},
        {Role::kItem, {"li"}},
        {Role::kTable, {"table"}},
        {Role::kRow, {"tr"}},
        {Role::kCell, {"td", "th"}},
        {Role::kBreak, {"br"}},
        {Role::kRule, {"hr"}},
        {Role::kPre, {"pre"}},
        {Role::kLink, {"a"}},
        {Role::kImage, {"img"}},
    };
    std::map<std::string_view, Role> roles;
    for (const Group& g : groups)
      for (std::string_view n : g.names) roles[n] = g.role;
    return roles;
  }();
  auto it = kRoles.find(name);
  return it == kRoles.end() ? Role::kInline : it->second;
}

std::string_view NameOf(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string Attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string s = reinterpret_cast<const char*>(v);
  xmlFree(v);
  return s;
}

std::string Trimmed(std::string_view s) {
  std::string_view t = base::Trim(s);
  return std::string(t);
}

// Inline styles that hide an element; preheaders use them so the text never shows.
bool IsHidden(xmlNode* n) {
  if (xmlHasProp(n, reinterpret_cast<const xmlChar*>("hidden"))) return true;
  std::string style = base::AsciiLower(Attr(n, "style"));
  style.erase(
      std::remove_if(style.begin(), style.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }),
      style.end());
  for (std::string_view hide : {"display:none", "mso-hide:all", "visibility:hidden"}) {
    for (std::size_t at = style.find(hide); at != std::string::npos;
         at = style.find(hide, at + 1)) {
      // "xdisplay:none" is another property.
      if (at == 0 || style[at - 1] == ';') return true;
    }
  }
  return false;
}

bool IsBlockRole(Role r) {
  return r != Role::kInline && r != Role::kLink && r != Role::kImage && r != Role::kBreak &&
         r != Role::kSkip;
}

bool ContainsBlock(xmlNode* first, std::size_t depth) {
  if (depth > kMaxDepth) return false;
  for (xmlNode* n = first; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (IsBlockRole(RoleOf(NameOf(n)))) return true;
    if (ContainsBlock(n->children, depth + 1)) return true;
  }
  return false;
}

// A table used for layout is read cell by cell; one holding data is read row by row.
bool IsLayoutTable(xmlNode* table) {
  std::string role = base::AsciiLower(Attr(table, "role"));
  if (role == "presentation" || role == "none") return true;
  for (xmlNode* part = table->children; part; part = part->next) {
    if (part->type != XML_ELEMENT_NODE) continue;
    std::string_view name = NameOf(part);
    bool section = name == "thead" || name == "tbody" || name == "tfoot";
    xmlNode* rows = section ? part->children : part;
    for (xmlNode* row = rows; row; row = section ? row->next : nullptr) {
      if (row->type != XML_ELEMENT_NODE || NameOf(row) != "tr") continue;
      for (xmlNode* cell = row->children; cell; cell = cell->next)
        if (cell->type == XML_ELEMENT_NODE && ContainsBlock(cell->children, 0)) return true;
    }
  }
  return false;
}

bool HasScheme(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return false;
  for (char c : url) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  }
  return false;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  auto drop_last_segment = [&out] {
    std::size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  std::size_t i = 0;
  while (i < in.size()) {
    std::string_view rest = in.substr(i);
    if (rest.starts_with("../")) {
      i += 3;
    } else if (rest.starts_with("./")) {
      i += 2;
    } else if (rest.starts_with("/./")) {
      i += 2;
    } else if (rest == "/.") {
      out += '/';
      i = in.size();
    } else if (rest.starts_with("/../")) {
      drop_last_segment();
      i += 3;
    } else if (rest == "/..") {
      drop_last_segment();
      out += '/';
      i = in.size();
    } else if (rest == "." || rest == "..") {
      i = in.size();
    } else {
      std::size_t next = in.find('/', i + 1);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(i, next - i));
      i = next;
    }
  }
  return out;
}

// `ref` resolved against `base` (RFC 3986 section 5.2.2); unchanged when either gives no
// absolute URL to work with or ref starts with a Mustache tag (the value decides at render).
std::string ResolveUrl(std::string_view base, std::string_view ref) {
  if (base.empty() || !HasScheme(base) || HasScheme(ref) || ref.starts_with("{{"))
    return std::string(ref);
  std::size_t colon = base.find(':');
  std::string_view scheme = base.substr(0, colon + 1);
  std::string_view rest = base.substr(colon + 1);
  std::string_view authority;
  if (rest.starts_with("//")) {
    std::size_t end = rest.find_first_of("/?#", 2);
    if (end == std::string_view::npos) end = rest.size();
    authority = rest.substr(0, end);
    rest = rest.substr(end);
  }
  std::string_view base_path = rest.substr(0, rest.find_first_of("?#"));
  std::string_view base_query = rest.substr(base_path.size());
  base_query = base_query.substr(0, base_query.find('#'));
  std::string prefix = std::string(scheme) + std::string(authority);

  if (ref.starts_with("//")) return std::string(scheme) + std::string(ref);
  std::string_view ref_path = ref.substr(0, ref.find_first_of("?#"));
  std::string_view ref_tail = ref.substr(ref_path.size());
  if (ref_path.empty()) {
    if (ref_tail.starts_with("?")) return prefix + std::string(base_path) + std::string(ref_tail);
    return prefix + std::string(base_path) + std::string(base_query) + std::string(ref_tail);
  }
  if (ref_path.starts_with("/"))
    return prefix + RemoveDotSegments(ref_path) + std::string(ref_tail);
  std::string merged;
  if (!authority.empty() && base_path.empty()) {
    merged = "/" + std::string(ref_path);
  } else {
    std::size_t slash = base_path.rfind('/');
    merged = std::string(slash == std::string_view::npos ? std::string_view()
                                                         : base_path.substr(0, slash + 1)) +
             std::string(ref_path);
  }
  return prefix + RemoveDotSegments(merged) + std::string(ref_tail);
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && base::EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::string WithoutScheme(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"})
    if (StartsWithIgnoreCase(url, scheme)) url.remove_prefix(scheme.size());
  while (url.ends_with("/")) url.remove_suffix(1);
  return std::string(url);
}

// Invalid UTF-8 becomes U+FFFD and NUL bytes go, so libxml2 neither re-reads the whole
// document as Latin-1 nor cuts text short.
std::string SanitizeUtf8(const std::string& in) {
  if (base::IsValidUtf8(in) && in.find('\0') == std::string::npos) return in;
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len > 0 && i + len <= in.size() && base::IsValidUtf8(std::string_view(in).substr(i, len))) {
      if (c != 0) out.append(in, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// Bytes of an invisible character at `s[i]` that email HTML uses for padding, 0 if none:
// U+00AD soft hyphen, U+034F grapheme joiner, U+200B/U+200C zero-width (non-)joiner/space,
// U+FEFF BOM.
std::size_t InvisibleAt(std::string_view s, std::size_t i) {
  for (std::string_view inv : {"\u00AD", "\u034F", "\u200B", "\u200C", "\uFEFF"})
    if (s.compare(i, inv.size(), inv) == 0) return inv.size();
  return 0;
}

// The tags of `run` when it holds nothing but standalone-able Mustache tags (sections,
// comments, partials, delimiters), else empty.
std::vector<std::string> StandaloneTags(std::string_view run) {
  std::vector<std::string> tags;
  std::size_t i = 0;
  while (i < run.size()) {
    if (run[i] == ' ') {
      ++i;
      continue;
    }
    if (run.compare(i, 2, "{{") != 0) return {};
    char sigil = text::MustacheSigil(run, i);
    if (sigil != '#' && sigil != '^' && sigil != '/' && sigil != '!' && sigil != '>' &&
        sigil != '=')
      return {};
    std::size_t end = text::MustacheTagEnd(run, i);
    if (end == std::string_view::npos) return {};
    tags.emplace_back(run.substr(i, end - i));
    i = end;
  }
  return tags;
}

class Converter {
 public:
  explicit Converter(const TextOptions& options) : options_(options) {}

  void Walk(xmlNode* first, std::size_t depth) {
    if (depth > kMaxDepth) return;
    for (xmlNode* n = first; n; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) Text(reinterpret_cast<const char*>(n->content));
      } else if (n->type == XML_ELEMENT_NODE) {
        Element(n, depth);
      }
    }
  }

  std::string Finish() {
    Flush();
    std::string text = std::move(out_);
    if (!urls_.empty()) {
      text += "\nLinks:\n";
      for (std::size_t i = 0; i < urls_.size(); ++i)
        text += "[" + std::to_string(i + 1) + "] " + urls_[i] + "\n";
    }
    const std::string& unsubscribe = options_.unsubscribe_url;
    if (!unsubscribe.empty() && text.find(unsubscribe) == std::string::npos)
      text += "\n--\nUnsubscribe: " + unsubscribe + "\n";
    // Width 0 still tidies blank lines and the final newline.
    return WrapText(text, options_.width);
  }

 private:
  enum class Sep { kNone, kBlank };

  struct List {
    bool ordered;
    long next;
    std::size_t sections;  // open Mustache sections where the list started
  };

  struct Table {
    bool layout;
  };

  void Element(xmlNode* n, std::size_t depth) {
    Role role = RoleOf(NameOf(n));
    if (role == Role::kSkip || IsHidden(n)) return;
    switch (role) {
      case Role::kSkip:  // handled above
      case Role::kInline:
        Walk(n->children, depth + 1);
        break;
      case Role::kLine:
        Flush();
        Walk(n->children, depth + 1);
        Flush();
        break;
      case Role::kParagraph:
      case Role::kRule:
        Separate();
        Walk(n->children, depth + 1);
        Separate();
        break;
      case Role::kPre:
        Separate();
        ++pre_;
        Walk(n->children, depth + 1);
        --pre_;
        Separate();
        break;
      case Role::kHeading:
        Heading(n, depth);
        break;
      case Role::kList:
        ListElement(n, depth);
        break;
      case Role::kItem:
        Item(n, depth);
        break;
      case Role::kTable:
        Separate();
        tables_.push_back({IsLayoutTable(n)});
        Walk(n->children, depth + 1);
        Flush();
        tables_.pop_back();
        Separate();
        break;
      case Role::kRow:
        Flush();
        Walk(n->children, depth + 1);
        Flush();
        break;
      case Role::kCell:
        if (tables_.empty() || tables_.back().layout) {
          Separate();
          Walk(n->children, depth + 1);
          Separate();
        } else {
          // Cells of a data row share its line; the separator is only written if this cell
          // turns out to have text, so empty cells leave no "|  |".
          cell_sep_ = !run_.empty();
          ++data_cells_;
          Walk(n->children, depth + 1);
          --data_cells_;
          cell_sep_ = false;
        }
        break;
      case Role::kBreak:
        Break();
        break;
      case Role::kLink:
        Link(n, depth);
        break;
      case Role::kImage: {
        std::string alt = Trimmed(Attr(n, "alt"));
        if (!alt.empty()) Text("[" + alt + "]", /*count_sections=*/false);
        break;
      }
    }
  }

  void Heading(xmlNode* n, std::size_t depth) {
    Separate();
    // The heading's lines (and the blank line written before the first) start here.
    std::size_t start = out_.size();
    Walk(n->children, depth + 1);
    Flush();
    char level = NameOf(n)[1];
    if (level == '1' || level == '2') {
      std::size_t widest = 0;
      std::string_view lines = std::string_view(out_).substr(start);
      while (!lines.empty()) {
        std::size_t nl = lines.find('\n');
        std::string line(base::Trim(lines.substr(0, nl)));
        lines.remove_prefix(nl + 1);
        if (options_.width > 0 && text::Width(line) > options_.width) {
          // It will be wrapped: underline the widest wrapped line.
          std::string wrapped = WrapText(line, options_.width);
          for (std::string_view w : base::Split(wrapped, '\n'))
            widest = std::max(widest, text::Width(w));
        } else {
          widest = std::max(widest, text::Width(line));
        }
      }
      std::size_t cap = options_.width > 0 ? options_.width : kDefaultWidth;
      if (widest > 0) EmitLine(std::string(std::min(widest, cap), level == '1' ? '=' : '-'));
    }
    Separate();
  }

  void ListElement(xmlNode* n, std::size_t depth) {
    Separate();
    bool ordered = NameOf(n) == "ol";
    long start = 1;
    if (ordered) {
      std::string s = Attr(n, "start");
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (!s.empty() && end && *end == '\0' && v >= 0 && v < 1000000) start = v;
    }
    lists_.push_back({ordered, start, sections_});
    Walk(n->children, depth + 1);
    Flush();
    lists_.pop_back();
    Separate();
  }

  void Item(xmlNode* n, std::size_t depth) {
    Flush();
    std::size_t level = std::max<std::size_t>(lists_.size(), 1);
    std::string marker(2 * (level - 1), ' ');
    List* list = lists_.empty() ? nullptr : &lists_.back();
    if (list && list->ordered && sections_ == list->sections)
      marker += std::to_string(list->next++) + ". ";
    else
      marker += "- ";
    std::string saved_indent = indent_;
    std::string saved_marker = std::move(marker_);
    bool saved_pending = marker_pending_;
    indent_ = std::string(text::Width(marker), ' ');
    marker_ = std::move(marker);
    marker_pending_ = true;
    std::size_t out_before = out_.size();
    Walk(n->children, depth + 1);
    Flush();
    indent_ = std::move(saved_indent);
    marker_ = std::move(saved_marker);
    // An outer item with no text yet keeps its marker for its text, unless this item's lines
    // came first (<li><ul><li>...): a marker after them would start a new item.
    marker_pending_ = saved_pending && out_.size() == out_before;
  }

  void Link(xmlNode* n, std::size_t depth) {
    std::string href = Trimmed(Attr(n, "href"));
    std::size_t run_start = run_.size();
    std::size_t out_start = out_.size();
    Walk(n->children, depth + 1);
    if (href.empty() || href[0] == '#' || StartsWithIgnoreCase(href, "javascript:")) return;

    bool same_line = out_.size() == out_start && run_.size() >= run_start;
    // The link's text starts after the space or cell separator written lazily before it.
    std::size_t text_start = run_start;
    if (same_line && run_.compare(text_start, 3, " | ") == 0)
      text_start += 3;
    else if (same_line && text_start < run_.size() && run_[text_start] == ' ')
      ++text_start;
    std::string link_text = same_line ? run_.substr(std::min(text_start, run_.size())) : "";
    if (same_line && link_text.empty()) return;  // nothing to hang a reference on

    if (StartsWithIgnoreCase(href, "mailto:") || StartsWithIgnoreCase(href, "tel:")) {
      std::string address = href.substr(href.find(':') + 1);
      address = address.substr(0, address.find('?'));
      if (address.empty()) return;
      // The text may be the address itself, also as "+49 30 1234" for tel:+49301234.
      auto bare = [](std::string s) {
        std::erase_if(s, [](char c) { return c == ' ' || c == '-' || c == '(' || c == ')'; });
        return s;
      };
      if (link_text == href)
        ReplaceLinkText(text_start, address);
      else if (bare(link_text) != bare(address))
        AppendToLink("(" + address + ")");
      return;
    }

    std::string url = ResolveUrl(options_.base_url, href);
    if (same_line &&
        (link_text == href || link_text == url || WithoutScheme(link_text) == WithoutScheme(url))) {
      ReplaceLinkText(text_start, url);
      return;
    }
    if (sections_ > 0 && url.find("{{") != std::string::npos) {
      AppendToLink("(" + url + ")");
      return;
    }
    auto [it, added] = numbers_.emplace(url, urls_.size() + 1);
    if (added) urls_.push_back(url);
    AppendToLink("[" + std::to_string(it->second) + "]");
  }

  // Only called when the link's text is the tail of run_, starting at `text_start`.
  void ReplaceLinkText(std::size_t text_start, const std::string& with) {
    run_.resize(text_start);
    run_ += with;
  }

  // After the link's text; when the link held blocks whose lines are already written, after
  // its last line.
  void AppendToLink(const std::string& what) {
    if (!run_.empty()) {
      run_ += ' ';
      run_ += what;
      space_ = false;
    } else if (!out_.empty() && out_.back() == '\n') {
      // After the last line, or above a heading's underline.
      std::size_t end = out_.size() - 1;
      std::size_t begin = out_.rfind('\n', end - 1);
      begin = begin == std::string::npos ? 0 : begin + 1;
      std::string_view last = std::string_view(out_).substr(begin, end - begin);
      if (begin > 0 && !last.empty() && last.find_first_not_of(last[0]) == std::string::npos &&
          (last[0] == '=' || last[0] == '-'))
        end = begin - 1;
      out_.insert(end, " " + what);
    }
  }

  void Break() {
    if (data_cells_ > 0) {
      space_ = true;
    } else if (run_.empty()) {
      pending_ = Sep::kBlank;  // a <br> on an empty line makes a blank line
    } else {
      Flush();
    }
  }

  void Text(std::string_view s, bool count_sections = true) {
    if (count_sections) CountSections(s);
    std::size_t i = 0;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (pre_ > 0 && c == '\n') {
        if (run_.empty()) pending_ = Sep::kBlank;
        Flush();
        ++i;
        continue;
      }
      bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || nbsp) {
        if (pre_ > 0)
          run_ += ' ';
        else
          space_ = true;
        i += nbsp ? 2 : 1;
        continue;
      }
      if (std::size_t len = InvisibleAt(s, i)) {
        i += len;
        continue;
      }
      if (cell_sep_) {
        if (!run_.empty()) run_ += " | ";
        cell_sep_ = false;
        space_ = false;
      } else if (space_) {
        if (!run_.empty() && run_.back() != ' ') run_ += ' ';
        space_ = false;
      }
      run_ += static_cast<char>(c);
      ++i;
    }
  }

  // Keeps count of open Mustache sections, which decide how lists are numbered and where
  // links whose URL is a tag can be printed.
  void CountSections(std::string_view s) {
    for (std::size_t at = s.find("{{"); at != std::string_view::npos; at = s.find("{{", at + 2)) {
      char sigil = text::MustacheSigil(s, at);
      if (sigil == '#' || sigil == '^')
        ++sections_;
      else if (sigil == '/' && sections_ > 0)
        --sections_;
    }
  }

  // Ends the current line and asks for a blank line before the next one. Inside a list only
  // the line ends: a list's items and their paragraphs stay together.
  void Separate() {
    Flush();
    if (lists_.empty()) pending_ = Sep::kBlank;
  }

  void Flush() {
    space_ = false;
    cell_sep_ = false;
    if (run_.empty()) return;
    std::string run = std::move(run_);
    run_.clear();
    std::vector<std::string> tags = StandaloneTags(run);
    if (tags.empty()) {
      EmitLine(run);
      return;
    }
    // Each on a line of its own so Mustache drops the line with the tag. A tag takes the
    // blank line requested before it, and a blank line just before a tag serves the text
    // after it too: "a\n\n{{#x}}\nb\n\n{{/x}}\nc" reads right whether x is empty or not, and
    // a section around list items puts no blank lines between the items.
    for (const std::string& tag : tags) {
      WritePendingBlank();
      out_ += tag;
      out_ += '\n';
    }
  }

  void WritePendingBlank() {
    if (pending_ == Sep::kBlank && has_content_ && !at_blank_) {
      out_ += '\n';
      at_blank_ = true;
    }
    pending_ = Sep::kNone;
  }

  void EmitLine(std::string_view line) {
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (line.empty()) return;
    WritePendingBlank();
    at_blank_ = false;
    out_ += marker_pending_ ? marker_ : indent_;
    marker_pending_ = false;
    out_ += line;
    out_ += '\n';
    has_content_ = true;
  }

  const TextOptions& options_;
  std::string out_;
  bool has_content_ = false;  // text written to out_ (tag lines do not count)
  bool at_blank_ = false;     // no text since the last blank line (tag lines do not count)
  Sep pending_ = Sep::kNone;
  std::string run_;        // the current line, whitespace collapsed, no trailing space
  bool space_ = false;     // whitespace seen since the last character of run_
  bool cell_sep_ = false;  // " | " goes before the next character (data table cell)
  int data_cells_ = 0;
  int pre_ = 0;
  std::string indent_;  // prefix of the lines of the current list item
  std::string marker_;  // prefix of its first line, "- " or "1. " after the indentation
  bool marker_pending_ = false;
  std::size_t sections_ = 0;
  std::vector<List> lists_;
  std::vector<Table> tables_;
  std::vector<std::string> urls_;
  std::map<std::string, std::size_t> numbers_;
};

}  // namespace

std::string HtmlToText(const std::string& html, const TextOptions& options) {
  std::string input = SanitizeUtf8(html);
  // libxml2 takes an int length; anything near 2 GB is not a message.
  int size = static_cast<int>(std::min<std::size_t>(input.size(), INT_MAX));
  htmlDocPtr doc = htmlReadMemory(input.data(), size, nullptr, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  Converter converter(options);
  if (doc) {
    converter.Walk(doc->children, 0);
    xmlFreeDoc(doc);
  }
  return converter.Finish();
}

std::string HtmlToText(const std::string& html) { return HtmlToText(html, TextOptions{}); }

}  // namespace b2bmail::render
