#pragma once
// Header field encoding: RFC 5322 §2.2.3 folding, RFC 2047 encoded words for
// non-ASCII text, and mailbox formatting (§3.4).

#include <string>
#include <string_view>

namespace b2bmail::mime {

// Unstructured text (a Subject) as it may appear in a header: unchanged when it is
// printable ASCII; otherwise RFC 2047 `=?UTF-8?B?...?=` words of at most 75
// characters, never splitting a UTF-8 character, separated by spaces.
std::string EncodeUnstructured(std::string_view text);

// `Display Name <addr>`: the name as atoms, a quoted string when it holds
// specials, or encoded words when it is not ASCII; just `addr` without a name.
std::string FormatMailbox(std::string_view display_name, std::string_view address);

// `Name: value` folded at whitespace so no line exceeds 78 characters where
// possible (RFC 5322 §2.1.1), lines joined with CRLF, ending with CRLF.
std::string FoldHeader(std::string_view name, std::string_view value);

// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and soft breaks at 76.
std::string EncodeQuotedPrintable(std::string_view text);

}  // namespace b2bmail::mime
