// RFC 5322 §2.2.3 (folding), §3.4 (mailboxes); RFC 2047 §2, §4.1, §5 (encoded words).
#include "b2bmail/mime/header_encoding.h"

#include <vector>

#include "b2bmail/base/error.h"
#include "b2bmail/mime/body_encoding.h"

namespace b2bmail::mime {
namespace {

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// Longer words cannot be folded into 78-character lines (RFC 5322 §2.1.1); they are
// written as encoded words instead, which may be split anywhere between characters.
constexpr std::size_t kMaxLiteralWord = 76;

std::size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace

namespace {

// RFC 2047 §5 (3): the characters a Q-encoded word may carry as they are, in any
// context (the strictest rule, for phrases such as display names).
bool IsQLiteral(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
         c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t QLength(std::string_view bytes) {
  std::size_t n = 0;
  for (unsigned char c : bytes) n += IsQLiteral(c) || c == ' ' ? 1 : 3;
  return n;
}

std::string QEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    if (c == ' ') {
      out += '_';
    } else if (IsQLiteral(c)) {
      out += static_cast<char>(c);
    } else {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::size_t BLength(std::size_t bytes) { return 4 * ((bytes + 2) / 3); }

// Text that can go into a header as it is: printable ASCII, no word too long to fold
// within 78 columns, and nothing a decoder would take for an encoded word.
bool CanStayLiteral(std::string_view text) {
  if (!IsPrintableAscii(text) || text.find("=?") != std::string_view::npos) return false;
  std::size_t run = 0;
  for (char c : text) {
    run = c == ' ' ? 0 : run + 1;
    if (run > kMaxLiteralWord) return false;
  }
  return true;
}

}  // namespace

std::string EncodeUnstructured(std::string_view text) {
  if (CanStayLiteral(text)) return std::string(text);
  // RFC 2047 allows 75 characters per word; 60 (48 of payload plus 12 of framing) keeps
  // "Reply-To: " and a word within a 78-character line.
  constexpr std::size_t kMaxPayload = 48;
  // B or Q, whichever is shorter for the whole text: Q keeps Latin text mostly readable
  // and short, B is far shorter for CJK or Cyrillic (three Q octets per byte).
  bool use_q = QLength(text) <= BLength(text.size());
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i, payload = 0;
    while (end < text.size()) {
      std::size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[end]));
      len = std::min(len, text.size() - end);
      std::size_t grown = use_q ? payload + QLength(text.substr(end, len)) : BLength(end + len - i);
      if (grown > kMaxPayload) break;
      payload = grown;
      end += len;
    }
    if (end == i) end = i + 1;  // cannot happen with a 48-octet payload; never loop forever
    std::string_view chunk = text.substr(i, end - i);
    out += out.empty() ? "" : " ";
    out += use_q ? "=?UTF-8?Q?" + QEncode(chunk) + "?=" : "=?UTF-8?B?" + EncodeBase64(chunk) + "?=";
    i = end;
  }
  return out;
}

std::string FormatPhrase(std::string_view name) {
  if (!CanStayLiteral(name)) return EncodeUnstructured(name);
  bool needs_quotes = false;
  for (char c : name)
    if (std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) needs_quotes = true;
  if (!needs_quotes) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string FormatMailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return std::string(address);
  std::string out = FormatPhrase(name);
  out.reserve(out.size() + address.size() + 3);
  out += " <";
  out += address;
  out += '>';
  return out;
}

void AppendFoldedHeader(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t field_start = out.size();
  // Room for the field with a fold every 70 characters, so appends do not reallocate.
  out.reserve(field_start + name.size() + value.size() + value.size() / 70 * 3 + 8);
  out += name;
  out += ":";
  std::size_t line_length = name.size() + 1;
  std::size_t i = 0;
  // Split the value into runs that each start with the whitespace before them.
  while (i < value.size()) {
    std::size_t start = i;
    while (i < value.size() && value[i] == ' ') ++i;
    while (i < value.size() && value[i] != ' ') ++i;
    std::string_view piece = value.substr(start, i - start);
    std::string_view word = piece.substr(piece.find_first_not_of(' ') == std::string_view::npos
                                             ? piece.size()
                                             : piece.find_first_not_of(' '));
    if (start == 0) {
      out += " ";
      out += word;
      line_length += 1 + word.size();
    } else if (line_length + piece.size() > 78 && line_length > 1) {
      out += "\r\n ";
      out += word;
      line_length = 1 + word.size();
    } else {
      out += piece;
      line_length += piece.size();
    }
    // A word that cannot be folded must still respect the hard limit; callers encode
    // long free text as encoded words, so only an absurd address or URL gets here.
    if (line_length > 998) {
      out.resize(field_start);
      throw Error(ErrorKind::kUsage, "header field " + std::string(name) +
                                         " would have a line over 998 octets (RFC 5322 "
                                         "§2.1.1): a word of it is too long to fold");
    }
  }
  out += "\r\n";
}

std::string FoldHeader(std::string_view name, std::string_view value) {
  std::string out;
  AppendFoldedHeader(out, name, value);
  return out;
}

}  // namespace b2bmail::mime
