#include "b2bmail/base/diagnostics.h"

#include <algorithm>

namespace b2bmail::base {

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string Diagnostic::Format() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (position.line > 0) {
    out += ":" + std::to_string(position.line);
    if (position.column > 0) out += ":" + std::to_string(position.column);
  }
  out += ": ";
  out += ToString(severity);
  if (!code.empty()) out += "[" + code + "]";
  out += ": " + message;
  return out;
}

void Diagnostics::Error(std::string file, SourcePosition pos, std::string code,
                        std::string message) {
  items_.push_back({Severity::kError, std::move(file), pos, std::move(code), std::move(message)});
}

void Diagnostics::Warning(std::string file, SourcePosition pos, std::string code,
                          std::string message) {
  items_.push_back({Severity::kWarning, std::move(file), pos, std::move(code), std::move(message)});
}

bool Diagnostics::HasErrors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

}  // namespace b2bmail::base
