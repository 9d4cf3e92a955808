#pragma once
// The Content-Type (RFC 2045 §5, RFC 2046) and Content-Disposition (RFC 2183) fields with
// their parameters, including RFC 2231 continuations (`name*0=`, `name*1*=`), charsets and
// languages (`name*=utf-8'en'%E2%82%AC`). Read tolerantly: comments, missing ';' between
// parameters, unterminated quotes and RFC 2047 words in file names are accepted, and
// what had to be tolerated is reported as defects.

#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::mime {

struct MimeParameter {
  std::string name;   // lower case, without RFC 2231 section or '*' suffixes
  std::string value;  // RFC 2231 values and `name`/`filename` are UTF-8; others as written
};

// The first parameter called `name` (case-insensitive), or empty when there is none.
std::string_view FindParameter(const std::vector<MimeParameter>& parameters, std::string_view name);

struct ContentType {
  std::string type = "text";              // lower case
  std::string subtype = "plain";          // lower case
  std::vector<MimeParameter> parameters;  // in order of first appearance, no duplicates

  std::string_view Parameter(std::string_view name) const {
    return FindParameter(parameters, name);
  }
  // The charset parameter, or "us-ascii" when there is none (RFC 2046 §4.1.2).
  std::string_view Charset() const;
  // "type/subtype".
  std::string MimeType() const { return type + "/" + subtype; }
  // True when this is `mime_type` ("text/plain", any case).
  bool Is(std::string_view mime_type) const;
};

struct ContentDisposition {
  std::string type;  // "inline", "attachment", ... lower case; empty when absent
  std::vector<MimeParameter> parameters;

  std::string_view Parameter(std::string_view name) const {
    return FindParameter(parameters, name);
  }
};

struct ParsedContentType {
  // When the type/subtype cannot be read, text/plain (RFC 2045 §5.2) with whatever
  // parameters could be read, and a charset of us-ascii if none was given.
  ContentType value;
  bool valid = true;  // false: value holds the default
  std::vector<std::string> defects;
};

struct ParsedContentDisposition {
  ContentDisposition value;
  std::vector<std::string> defects;
};

// `value` is the unfolded field value. Never fails; linear in the input. Thread-safe.
ParsedContentType ParseContentType(std::string_view value);
ParsedContentDisposition ParseContentDisposition(std::string_view value);

}  // namespace b2bmail::mime
