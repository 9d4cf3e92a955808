// RFC 5322 §2.2.3 (folding), §3.4 (mailboxes); RFC 2047 §2, §4.1, §5 (encoded words);
// RFC 2045 §6.7 (quoted-printable).
#include "b2bmail/mime/header_encoding.h"

#include <openssl/evp.h>

#include <vector>

namespace b2bmail::mime {
namespace {

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace

std::string EncodeUnstructured(std::string_view text) {
  if (IsPrintableAscii(text)) return std::string(text);
  // RFC 2047 allows 75 characters per word; 36 bytes make 48 base64 characters plus 12
  // of framing = 60, so "Reply-To: " and a word still fit in a 78-character line.
  constexpr std::size_t kMaxBytesPerWord = 36;
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[end]));
      if (end + len - i > kMaxBytesPerWord) break;
      end += len;
    }
    if (end == i) end = std::min(text.size(), i + 1);
    words.push_back("=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=");
    i = end;
  }
  std::string out;
  for (std::size_t k = 0; k < words.size(); ++k) out += (k ? " " : "") + words[k];
  return out;
}

std::string FormatMailbox(std::string_view name, std::string_view address) {
  std::string addr = "<" + std::string(address) + ">";
  if (name.empty()) return std::string(address);
  if (!IsPrintableAscii(name)) return EncodeUnstructured(name) + " " + addr;
  bool needs_quotes = false;
  for (char c : name)
    if (std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) needs_quotes = true;
  if (!needs_quotes) return std::string(name) + " " + addr;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" " + addr;
}

std::string FoldHeader(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ":";
  std::size_t line_length = out.size();
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
  }
  return out + "\r\n";
}

std::string EncodeQuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::string line;
  auto flush_line = [&](bool hard_break) {
    // Trailing whitespace before a line break must be encoded (RFC 2045 §6.7 rule 3).
    if (hard_break && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      char c = line.back();
      line.pop_back();
      if (line.size() + 3 > 76) {
        out += line + "=\r\n";
        line.clear();
      }
      line += '=';
      line += kHex[(c >> 4) & 0xF];
      line += kHex[c & 0xF];
    }
    out += line;
    out += hard_break ? "\r\n" : "=\r\n";
    line.clear();
  };
  // A line may hold 76 characters; one that continues needs room for the soft-break "=".
  auto append = [&](std::string_view token, bool ends_line) {
    std::size_t limit = ends_line ? 76 : 75;
    if (line.size() + token.size() > limit) flush_line(false);
    line += token;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      flush_line(true);
      continue;
    }
    bool ends_line = i + 1 == text.size() || text[i + 1] == '\n' ||
                     (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
    // Trailing whitespace gets encoded by flush_line, which needs two more columns.
    if ((c == ' ' || c == '\t') && ends_line) ends_line = false;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      // A leading '.' is encoded so no relay can mistake it for the end of DATA.
      if (c == '.' && line.empty()) {
        append("=2E", ends_line);
        continue;
      }
      char s[2] = {static_cast<char>(c), 0};
      append(s, ends_line);
    } else {
      char enc[4] = {'=', kHex[c >> 4], kHex[c & 0xF], 0};
      append(enc, ends_line);
    }
  }
  if (!line.empty()) flush_line(true);
  return out;
}

}  // namespace b2bmail::mime
