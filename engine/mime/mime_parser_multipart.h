#pragma once
// Splitting a multipart body on its boundary (RFC 2046 §5.1.1). Private to the mime
// module.

#include <cstddef>
#include <string_view>
#include <vector>

namespace b2bmail::mime {

struct MultipartSplit {
  std::vector<std::string_view> parts;  // each part's header and body, views into the body
  bool found_delimiter = false;         // at least one delimiter line
  bool closed = false;                  // the close delimiter was found
  bool truncated = false;               // more than max_parts parts; the rest dropped
};

// A delimiter line is "--" boundary, then "--" for the close delimiter, then only
// whitespace (transport padding, §5.1.1) up to CRLF or LF. The line end before a
// delimiter belongs to the delimiter, not to the part. The preamble and epilogue are
// dropped; without a close delimiter the last part runs to the end of the body. A line
// where the boundary is followed by anything else (a longer boundary sharing the prefix)
// is not a delimiter. One pass over the body. REQUIRES: boundary is not empty.
MultipartSplit SplitMultipart(std::string_view body, std::string_view boundary,
                              std::size_t max_parts);

}  // namespace b2bmail::mime
