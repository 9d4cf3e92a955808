#pragma once
// DKIM tag=value lists (RFC 6376 §3.2), the syntax of the DKIM-Signature field value
// (§3.5) and of the key records published in DNS (§3.6.1).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::mime {

struct DkimTag {
  std::string name;   // case-sensitive, as RFC 6376 §3.2 wants ("b" and "B" differ)
  std::string value;  // without surrounding whitespace; folding inside it kept as written
  // Offsets into the parsed text: just after the '=', and the ';' ending the tag (or the
  // text's size). The range holds the value with its surrounding whitespace, which is
  // what §3.7 removes from b= before hashing the signature field.
  std::size_t value_begin = 0;
  std::size_t value_end = 0;
};

struct DkimTagList {
  std::vector<DkimTag> tags;  // in the order written; complete only when ok()
  std::string error;          // why the text is not a tag-list; empty when it is

  bool ok() const { return error.empty(); }
  // The tag named `name`, or nullptr.
  const DkimTag* Find(std::string_view name) const;
};

// Parses `text` (may contain folding). A trailing ';' is allowed; an empty tag-spec
// elsewhere, a tag-spec without '=', an invalid tag name (ALPHA *(ALPHA / DIGIT / "_"))
// and a duplicate tag are errors (§3.2: "Tags MUST NOT be duplicated"). Empty text is
// a valid, empty list. Never throws.
DkimTagList ParseDkimTagList(std::string_view text);

// Splits a colon-separated tag value (h= of a signature; h=, s=, t=
// of a key record) into its
// items, each without surrounding whitespace. An empty value gives no items.
std::vector<std::string> SplitDkimColonList(std::string_view value);

}  // namespace b2bmail::mime
