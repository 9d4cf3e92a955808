// RFC 2045 §6 (Content-Transfer-Encoding), §6.7 (quoted-printable), §6.8 (base64).
#include "b2bmail/mime/transfer_decoding.h"

#include <cstdint>

#include "b2bmail/base/strings.h"

namespace b2bmail::mime {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// Decodes one line of quoted-printable (no line end) into `out`.
void DecodeQpLine(std::string_view line, std::string& out, bool& stray_equals) {
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t eq = line.find('=', i);
    if (eq == std::string_view::npos) {
      out.append(line.substr(i));
      return;
    }
    out.append(line.substr(i, eq - i));
    int hi = eq + 1 < line.size() ? HexValue(line[eq + 1]) : -1;
    int lo = eq + 2 < line.size() ? HexValue(line[eq + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i = eq + 3;
    } else {
      out += '=';
      stray_equals = true;
      i = eq + 1;
    }
  }
}

}  // namespace

TransferEncoding ParseTransferEncoding(std::string_view value) {
  // "base64 (sent by X)" has been seen; the comment does not change the encoding.
  std::string_view v = value;
  if (auto paren = v.find('('); paren != std::string_view::npos) v = v.substr(0, paren);
  std::string name = base::AsciiLower(base::Trim(v));
  // Quoted values and a stray ';' are common enough in the wild to accept.
  while (!name.empty() && (name.back() == ';' || name.back() == '"')) name.pop_back();
  while (!name.empty() && name.front() == '"') name.erase(0, 1);
  if (name.empty() || name == "7bit") return TransferEncoding::k7bit;
  if (name == "8bit") return TransferEncoding::k8bit;
  if (name == "binary") return TransferEncoding::kBinary;
  if (name == "quoted-printable") return TransferEncoding::kQuotedPrintable;
  if (name == "base64") return TransferEncoding::kBase64;
  return TransferEncoding::kUnknown;
}

std::string_view ToString(TransferEncoding encoding) {
  switch (encoding) {
    case TransferEncoding::k7bit:
      return "7bit";
    case TransferEncoding::k8bit:
      return "8bit";
    case TransferEncoding::kBinary:
      return "binary";
    case TransferEncoding::kQuotedPrintable:
      return "quoted-printable";
    case TransferEncoding::kBase64:
      return "base64";
    case TransferEncoding::kUnknown:
      break;
  }
  return "unknown";
}

bool IsIdentity(TransferEncoding encoding) {
  return encoding != TransferEncoding::kQuotedPrintable && encoding != TransferEncoding::kBase64;
}

DecodedBytes DecodeQuotedPrintable(std::string_view encoded) {
  DecodedBytes out;
  out.bytes.reserve(encoded.size());
  bool stray_equals = false;
  std::size_t pos = 0;
  while (pos < encoded.size()) {
    std::size_t nl = encoded.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? encoded.size() : nl;
    std::size_t next = nl == std::string_view::npos ? encoded.size() : nl + 1;
    std::size_t content_end = end > pos && encoded[end - 1] == '\r' ? end - 1 : end;
    std::string_view line_end = encoded.substr(content_end, next - content_end);
    std::string_view line = encoded.substr(pos, content_end - pos);
    // Rule 3: whitespace at the end of an encoded line may have been added in transport.
    while (!line.empty() && IsWsp(line.back())) line.remove_suffix(1);
    if (!line.empty() && line.back() == '=') {
      line.remove_suffix(1);  // a soft line break (rule 5)
      DecodeQpLine(line, out.bytes, stray_equals);
    } else {
      DecodeQpLine(line, out.bytes, stray_equals);
      out.bytes.append(line_end);
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (stray_equals)
    out.defects.push_back("quoted-printable: '=' not followed by two hex digits kept as it is");
  return out;
}

DecodedBytes DecodeBase64(std::string_view encoded) {
  DecodedBytes out;
  out.bytes.reserve(encoded.size() / 4 * 3 + 3);
  std::uint32_t group = 0;
  int count = 0;
  bool junk = false;
  bool data_after_padding = false;
  bool padded = false;
  bool dropped = false;
  auto flush_partial = [&] {
    if (count == 2) {
      out.bytes += static_cast<char>(group >> 4);
    } else if (count == 3) {
      out.bytes += static_cast<char>(group >> 10);
      out.bytes += static_cast<char>((group >> 2) & 0xFF);
    } else if (count == 1) {
      dropped = true;  // six bits cannot make a byte
    }
    group = 0;
    count = 0;
  };
  for (char c : encoded) {
    int v = Base64Value(c);
    if (v >= 0) {
      if (padded) data_after_padding = true;
      padded = false;
      group = (group << 6) | static_cast<std::uint32_t>(v);
      if (++count == 4) {
        out.bytes += static_cast<char>(group >> 16);
        out.bytes += static_cast<char>((group >> 8) & 0xFF);
        out.bytes += static_cast<char>(group & 0xFF);
        group = 0;
        count = 0;
      }
    } else if (c == '=') {
      if (count > 0) flush_partial();
      padded = true;
    } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
      junk = true;
    }
  }
  bool unpadded = count == 2 || count == 3;
  flush_partial();
  if (junk) out.defects.push_back("base64: characters outside the alphabet ignored");
  if (unpadded) out.defects.push_back("base64: final group without padding");
  if (dropped) out.defects.push_back("base64: a lone final character dropped");
  if (data_after_padding) out.defects.push_back("base64: data after padding");
  return out;
}

DecodedBytes DecodeTransferEncoding(std::string_view body, TransferEncoding encoding) {
  switch (encoding) {
    case TransferEncoding::kQuotedPrintable:
      return DecodeQuotedPrintable(body);
    case TransferEncoding::kBase64:
      return DecodeBase64(body);
    default:
      return DecodedBytes{std::string(body), {}};
  }
}

}  // namespace b2bmail::mime
