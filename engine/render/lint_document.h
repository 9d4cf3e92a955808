#pragma once
// The parsed template the rules look at: every element in document order with its
// inline style, its place in the source, and what it inherits (hidden? which colour on
// which background?), plus the text runs and <style> sheets. Built without recursion,
// so 5,000 nested tables cannot exhaust the stack.

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "lint_css.h"
#include "lint_source.h"

namespace b2bmail::render::lint {

struct Element {
  xmlNode* node = nullptr;
  int parent = -1;          // index into LintDocument::elements; -1 at the top
  std::string name;         // lowercase
  std::size_t tag = kNone;  // index into SourceText::tags(); kNone when the parser implied it
  Declarations style;       // inline style; offsets are source offsets when tag != kNone
  bool not_mso = false;     // inside <!--[if !mso]><!-->: Outlook never sees it
  bool in_body = false;
  // Inherited from the ancestors (or set by this element):
  int hidden_by = -1;     // element whose display:none / visibility:hidden hides this one
  int font_zero_by = -1;  // element whose font-size:0 is in effect
  bool mso_hide = false;  // mso-hide:all on this element or an ancestor
  std::string color;      // "#rrggbb" or "" when unknown
  std::string background;
  int link = -1;        // nearest <a> ancestor-or-self
  int table_depth = 0;  // number of <table> ancestors-or-self
};

struct TextRun {
  int element = -1;  // parent element
  std::string text;  // Mustache section tags removed
};

struct Sheet {
  int element = -1;      // the <style> element
  std::size_t size = 0;  // bytes of CSS
  StyleSheet sheet;      // offsets are source offsets
};

class LintDocument {
 public:
  // Parses `html`; `source` must outlive the document.
  LintDocument(const std::string& html, const SourceText& source);
  ~LintDocument();
  LintDocument(const LintDocument&) = delete;
  LintDocument& operator=(const LintDocument&) = delete;

  const SourceText& source() const { return source_; }
  const std::vector<Element>& elements() const { return elements_; }
  const std::vector<TextRun>& texts() const { return texts_; }  // non-blank, document order
  const std::vector<Sheet>& sheets() const { return sheets_; }
  const Element* Parent(const Element& e) const {
    return e.parent < 0 ? nullptr : &elements_[static_cast<std::size_t>(e.parent)];
  }
  int IndexOf(const Element& e) const { return static_cast<int>(&e - elements_.data()); }

  std::optional<std::string> Attribute(const Element& e, const char* name) const;
  // All text below `e` (Mustache section tags removed), capped at a few KB.
  std::string TextOf(const Element& e) const;

  // Where to report: the start tag, one of its attributes (falls back to the tag), or an
  // inline declaration (falls back to the style attribute).
  base::SourcePosition PositionOf(const Element& e) const;
  base::SourcePosition PositionOf(const Element& e, const char* attribute) const;
  base::SourcePosition PositionOf(const Element& e, const Declaration& d) const;

 private:
  void Build();
  void AddElement(xmlNode* node, int parent);
  void Inherit(Element& e, const Element* parent);

  const SourceText& source_;
  xmlDoc* doc_ = nullptr;
  std::vector<Element> elements_;
  std::vector<TextRun> texts_;
  std::vector<Sheet> sheets_;
  std::size_t cursor_ = 0;  // next source tag to match
};

bool IsBlank(std::string_view text);

}  // namespace b2bmail::render::lint
