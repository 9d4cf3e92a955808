#pragma once
// Positioned messages about expected bad input (segment files, templates, CSV rows,
// configuration). Parsers return them next to their value; the CLI prints them as
// `file:line:col: error[code]: message`.

#include <string>
#include <vector>

namespace b2bmail::base {

enum class Severity { kError, kWarning, kNote };

// A position in a text file; line and column are 1-based, 0 means "unknown".
// Columns count Unicode code points, as editors show them.
struct SourcePosition {
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  SourcePosition position;
  std::string code;     // short stable id, e.g. "unknown-field"
  std::string message;  // one line, no trailing period needed

  // `file:line:col: error[code]: message` (line/col omitted when unknown).
  std::string Format() const;
};

// An ordered list of diagnostics. Not thread-safe.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Error(std::string file, SourcePosition pos, std::string code, std::string message);
  void Warning(std::string file, SourcePosition pos, std::string code, std::string message);

  bool HasErrors() const;
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  void Append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> items_;
};

std::string_view ToString(Severity s);

}  // namespace b2bmail::base
