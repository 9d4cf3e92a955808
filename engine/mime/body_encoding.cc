// RFC 2045 §6.7 (quoted-printable), §6.8 (base64), §2.7-2.8 (7bit and 8bit data);
// RFC 6152 (8BITMIME).
#include "b2bmail/mime/body_encoding.h"

#include <openssl/evp.h>

namespace b2bmail::mime {
namespace {

// The text with every line end as CRLF (the canonical form of text, RFC 2045 §6.8),
// ending with CRLF unless empty.
std::string CanonicalText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      out += "\r\n";
      continue;
    }
    out += c;
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

// RFC 5321 §4.5.3.1.6 and RFC 2045 §2.8: 8bit data has lines of at most 998 octets,
// no NUL and no CR outside CRLF.
bool FitsEightBit(std::string_view text, bool& all_ascii) {
  all_ascii = true;
  std::size_t line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') return false;
      continue;
    }
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (c >= 0x80) all_ascii = false;
    if (++line > 998) return false;
  }
  return true;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string EncodeBase64Lines(std::string_view bytes) {
  // 57 input octets make one 76-character line.
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3) + 2 * (bytes.size() / 57 + 1));
  for (std::size_t i = 0; i < bytes.size(); i += 57) {
    out += EncodeBase64(bytes.substr(i, 57));
    out += "\r\n";
  }
  return out;
}

EncodedBody EncodeTextBody(std::string_view text, bool allow_8bit) {
  bool all_ascii = true;
  if (allow_8bit && FitsEightBit(text, all_ascii)) {
    return {all_ascii ? "7bit" : "8bit", CanonicalText(text), !all_ascii};
  }
  std::string qp = EncodeQuotedPrintable(text);
  std::size_t canonical_size = text.size();
  for (char c : text) canonical_size += c == '\n';  // upper bound: LF may already be CRLF
  std::size_t base64_size = 4 * ((canonical_size + 2) / 3);
  base64_size += 2 * ((base64_size + 75) / 76);
  if (base64_size < qp.size()) return {"base64", EncodeBase64Lines(CanonicalText(text)), false};
  return {"quoted-printable", std::move(qp), false};
}

std::string EncodeQuotedPrintable(std::string_view text) {
  // Written straight into the output, tracking the column: this runs over every byte of
  // every message (bench/pipeline), so no per-line or per-character strings.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 16 + 16);
  std::size_t line_start = 0;  // where the current output line begins in `out`
  auto column = [&] { return out.size() - line_start; };
  auto soft_break = [&] {
    out += "=\r\n";
    line_start = out.size();
  };
  auto hard_break = [&] {
    // Trailing whitespace before a line break must be encoded (RFC 2045 §6.7 rule 3).
    if (column() > 0 && (out.back() == ' ' || out.back() == '\t')) {
      char c = out.back();
      out.pop_back();
      if (column() + 3 > 76) soft_break();
      out += '=';
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    }
    out += "\r\n";
    line_start = out.size();
  };
  // A line may hold 76 characters; one that continues needs room for the soft-break "=".
  auto append = [&](const char* token, std::size_t size, bool ends_line) {
    if (column() + size > (ends_line ? 76u : 75u)) soft_break();
    out.append(token, size);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      hard_break();
      continue;
    }
    bool ends_line = i + 1 == text.size() || text[i + 1] == '\n' ||
                     (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
    // Trailing whitespace gets encoded by hard_break, which needs two more columns.
    if ((c == ' ' || c == '\t') && ends_line) ends_line = false;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      // A leading '.' is encoded so no relay can mistake it for the end of DATA, also
      // when a soft break is about to put it first on a line.
      if (c == '.' && column() + 1 > (ends_line ? 76u : 75u)) soft_break();
      if (c == '.' && column() == 0) {
        append("=2E", 3, ends_line);
        continue;
      }
      char literal = static_cast<char>(c);
      append(&literal, 1, ends_line);
    } else {
      char encoded[3] = {'=', kHex[c >> 4], kHex[c & 0xF]};
      append(encoded, 3, ends_line);
    }
  }
  if (column() > 0) hard_break();
  return out;
}

}  // namespace b2bmail::mime
