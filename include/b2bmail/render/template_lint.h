#pragma once
// `b2bmail template lint`: what will break where, before anything is sent. Compiles a
// template and reports, with file:line:col in the authored files:
//  - compile errors (Mustache syntax, unknown partials, invalid UTF-8);
//  - the legacy-client rules L1..L28 (docs/templates.md) that the compiled message
//    still breaks: a problem the legacy transform fixes (a missing border="0", CSS
//    only in <style>) is not reported;
//  - variables the template data does not have (V1, a warning: they render empty);
//  - the size of a rendered sample message against Gmail's clipping limit (L23).

#include <string>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/render/message_template.h"

namespace b2bmail::render {

struct TemplateFinding {
  std::string rule;  // "L5", "V1", or the compile error's code ("mustache", "partial", ...)
  base::Severity severity = base::Severity::kError;
  std::string clients;  // "outlook-word", "lotus-notes", "gmail", "all"; empty for compile errors
  std::string file;
  base::SourcePosition position;
  std::string message;

  // `file:line:col: error[L5] (outlook-word): message`.
  std::string Format() const;
};

struct TemplateLintReport {
  std::vector<TemplateFinding> findings;
  std::size_t rendered_size = 0;  // bytes of the HTML part rendered for a sample contact
  bool HasErrors() const;
};

TemplateLintReport LintTemplate(const TemplateSource& source);

// The variables the template data provides (see message_template.h), for V1 and docs.
bool IsKnownVariable(const std::string& name);

}  // namespace b2bmail::render
