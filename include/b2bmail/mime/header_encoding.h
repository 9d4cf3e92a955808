#pragma once
// Header field encoding: RFC 5322 §2.2.3 folding, RFC 2047 encoded words for
// non-ASCII text, and mailbox formatting (§3.4).

#include <string>
#include <string_view>

namespace b2bmail::mime {

// Unstructured text (a Subject) as it may appear in a header: unchanged when it is
// printable ASCII with no word over 76 characters and no "=?"; otherwise RFC 2047
// encoded words of at most 60 characters, never splitting a UTF-8 character, separated
// by spaces. Q or B, whichever makes the text shorter (Q for mostly Latin text, B for
// CJK or Cyrillic); the Q form uses only the characters RFC 2047 §5 (3) allows in a
// phrase, so the same words serve display names.
std::string EncodeUnstructured(std::string_view text);

// A display name (RFC 5322 phrase): as atoms, a quoted string when it holds specials,
// or encoded words when it is not ASCII.
std::string FormatPhrase(std::string_view display_name);

// `Display Name <addr>`: the name as atoms, a quoted string when it holds
// specials, or encoded words when it is not ASCII; just `addr` without a name.
std::string FormatMailbox(std::string_view display_name, std::string_view address);

// `Name: value` folded at whitespace so no line exceeds 78 characters where
// possible (RFC 5322 §2.1.1), lines joined with CRLF, ending with CRLF. Throws
// Error{kUsage} when a word is so long that a line would exceed 998 octets.
std::string FoldHeader(std::string_view name, std::string_view value);
// The same appended to `out` (a message's header block is built this way, with no
// string per field). On the error, `out` is left as it was.
void AppendFoldedHeader(std::string& out, std::string_view name, std::string_view value);

}  // namespace b2bmail::mime
