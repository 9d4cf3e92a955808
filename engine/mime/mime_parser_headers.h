#pragma once
// Reading the header of a message or body part, and the field groups of a
// delivery-status body, tolerantly (RFC 5322 §2.2, §3.6; RFC 2046 §5.1.1; RFC 3464 §2.1).
// Private to the mime module.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/mime/mime_parser.h"

namespace b2bmail::mime {

enum class HeaderContext {
  kMessage,  // a message's header: a leading mbox "From " line is skipped
  kPart,     // a body part's header inside a multipart
  kBlock,    // a group of fields in a delivery-status body: no body follows it, and a
             // line of only whitespace ends it
};

struct HeaderRead {
  std::vector<MimeHeader> fields;
  // After the empty line that ends the header; or from the first line that cannot belong
  // to the header when there is no such empty line (or a line without a name comes
  // first). For kBlock: after the group's empty line.
  std::string_view body;
  std::vector<std::string> defects;
};

// Views into `text`, which must outlive the result. At most `max_fields` fields are
// returned (a defect says when more were skipped). Linear in the lines read.
//
// Which lines belong to the header: SplitHeaderAndBody (header_fields.h) splits the
// fields; before that this decides where the header ends, because real mail breaks the
// rules in two ways that need opposite answers. A line without a field name that is
// followed by more fields, or that follows a line ending in ';' or ',', is a fold that
// lost its indentation (Office 365 and others do this to returned messages) and is joined
// to the field before it; so is one after a field with an empty value. Any other line
// without a name ends the header: the body starts there (a part that forgot the empty
// line).
HeaderRead ReadHeader(std::string_view text, HeaderContext context, std::size_t max_fields);

// Unfold (header_fields.h) for structured parsing: where a fold lost its indentation the
// joined lines are separated by a space instead of being glued together.
std::string UnfoldLenient(std::string_view raw_value);

}  // namespace b2bmail::mime
