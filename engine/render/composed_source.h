#pragma once
// One template's HTML with its layout and partials expanded into a single text,
// remembering where every byte came from, so that diagnostics about the composed
// text (Mustache errors, lint findings) point into the file the author edits.

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"

namespace b2bmail::render {

// A position in an authored file.
struct SourceLocation {
  std::string file;
  base::SourcePosition position;
};

class ComposedSource {
 public:
  struct File {
    std::string name;  // path, for diagnostics
    std::string text;
  };

  // Expands `{{> name}}` from `partials` (recursively, at most 16 deep) in `body`,
  // and places the result where `layout` says `{{> content}}` (no layout: the body
  // alone). Problems (unknown partial, recursion, a layout without the slot) are
  // diagnostics; the tag is then left as it was.
  static ComposedSource Compose(const File& body, const File* layout,
                                const std::map<std::string, File>& partials,
                                base::Diagnostics& diagnostics);

  ComposedSource(ComposedSource&&) = default;
  ComposedSource& operator=(ComposedSource&&) = default;
  ComposedSource(const ComposedSource&) = delete;  // segments point into files_

  const std::string& text() const { return text_; }
  // Where a byte offset of text() was written.
  SourceLocation Locate(std::size_t offset) const;
  // Where a 1-based line of text() starts (and the column within it, 1-based).
  SourceLocation LocateLine(int line, int column = 1) const;

 private:
  ComposedSource() = default;
  struct Segment {
    std::size_t offset;       // in text_
    const File* file;         // where these bytes came from
    std::size_t file_offset;  // ... and from which byte
  };
  using Index = std::map<std::string, const File*>;
  void Append(const File* file, std::size_t from, std::size_t to);
  void Expand(const File* file, std::size_t from, std::size_t to, const Index& partials,
              std::vector<std::string>& stack, base::Diagnostics& diagnostics);

  std::string text_;
  std::vector<Segment> segments_;
  std::deque<File> files_;  // copies with stable addresses, so Locate() needs no caller
};

// 1-based line and column (code points) of a byte offset in `text`.
base::SourcePosition PositionAt(const std::string& text, std::size_t offset);

}  // namespace b2bmail::render
