// RFC 2045 §5.1 and RFC 2046 §4.1.2 (the charset parameter), RFC 2978 (charset names),
// RFC 3629 (UTF-8); conversion by glibc iconv(3).
#include "b2bmail/mime/charset_conversion.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <optional>

#include "b2bmail/base/strings.h"

namespace b2bmail::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at s[i], or 0 when there is none.
std::size_t Utf8SequenceAt(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

// The iconv name for a MIME charset we accept, empty for UTF-8 (no conversion needed),
// or nullopt for a charset outside the allowlist.
std::optional<std::string> IconvName(const std::string& name) {
  struct Alias {
    std::string_view mime;
    const char* iconv;
  };
  // Supersets are chosen where mail clients write the smaller name for the larger
  // repertoire (the WHATWG Encoding Standard makes the same choices).
  static constexpr Alias kAliases[] = {
      {"utf-8", ""},
      {"utf8", ""},
      {"us-ascii", ""},
      {"ascii", ""},
      {"ansi_x3.4-1968", ""},
      {"iso-8859-1", "WINDOWS-1252"},
      {"iso8859-1", "WINDOWS-1252"},
      {"iso_8859-1", "WINDOWS-1252"},
      {"latin1", "WINDOWS-1252"},
      {"l1", "WINDOWS-1252"},
      {"cp819", "WINDOWS-1252"},
      {"shift_jis", "CP932"},
      {"shift-jis", "CP932"},
      {"sjis", "CP932"},
      {"x-sjis", "CP932"},
      {"ms_kanji", "CP932"},
      {"csshiftjis", "CP932"},
      {"windows-31j", "CP932"},
      {"cp932", "CP932"},
      {"euc-jp", "EUC-JP"},
      {"x-euc-jp", "EUC-JP"},
      {"iso-2022-jp", "ISO-2022-JP-2"},
      {"csiso2022jp", "ISO-2022-JP-2"},
      {"iso-2022-jp-2", "ISO-2022-JP-2"},
      {"gb2312", "GB18030"},
      {"gbk", "GB18030"},
      {"gb18030", "GB18030"},
      {"euc-cn", "GB18030"},
      {"x-gbk", "GB18030"},
      {"cp936", "GB18030"},
      {"windows-936", "GB18030"},
      {"csgb2312", "GB18030"},
      {"big5", "BIG5-HKSCS"},
      {"big5-hkscs", "BIG5-HKSCS"},
      {"x-big5", "BIG5-HKSCS"},
      {"cn-big5", "BIG5-HKSCS"},
      {"csbig5", "BIG5-HKSCS"},
      {"cp950", "BIG5-HKSCS"},
      {"euc-kr", "CP949"},
      {"ks_c_5601-1987", "CP949"},
      {"ks_c_5601", "CP949"},
      {"ksc5601", "CP949"},
      {"cp949", "CP949"},
      {"windows-949", "CP949"},
      {"cseuckr", "CP949"},
      {"iso-2022-kr", "ISO-2022-KR"},
      {"koi8-r", "KOI8-R"},
      {"koi8-u", "KOI8-U"},
      {"cskoi8r", "KOI8-R"},
      {"utf-16", "UTF-16"},
      {"utf-16le", "UTF-16LE"},
      {"utf-16be", "UTF-16BE"},
      {"utf-32", "UTF-32"},
      {"utf-32le", "UTF-32LE"},
      {"utf-32be", "UTF-32BE"},
      {"utf-7", "UTF-7"},
      {"unicode-1-1-utf-7", "UTF-7"},
      {"tis-620", "TIS-620"},
      {"windows-874", "CP874"},
      {"cp874", "CP874"},
      {"ibm866", "IBM866"},
      {"cp866", "IBM866"},
      {"macintosh", "MACINTOSH"},
      {"x-mac-roman", "MACINTOSH"},
  };
  for (const auto& a : kAliases)
    if (a.mime == name) return std::string(a.iconv);
  // Families with numbered members, passed to iconv under their canonical names.
  auto number_after = [&](std::string_view prefix) -> int {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return -1;
    int n = 0;
    for (std::size_t i = prefix.size(); i < name.size(); ++i) {
      if (name[i] < '0' || name[i] > '9' || i - prefix.size() > 3) return -1;
      n = n * 10 + (name[i] - '0');
    }
    return n;
  };
  for (std::string_view prefix : {"iso-8859-", "iso8859-", "iso_8859-"}) {
    int n = number_after(prefix);
    if (n >= 2 && n <= 16 && n != 12) return "ISO-8859-" + std::to_string(n);
  }
  for (std::string_view prefix : {"windows-", "cp", "x-cp"}) {
    int n = number_after(prefix);
    if (n >= 1250 && n <= 1258) return "WINDOWS-" + std::to_string(n);
  }
  return std::nullopt;
}

std::string NormalizeName(std::string_view charset) {
  std::string name = base::AsciiLower(base::Trim(charset));
  // Quotes survive when a charset comes from a sloppily written parameter.
  while (!name.empty() && (name.front() == '"' || name.front() == '\'')) name.erase(0, 1);
  while (!name.empty() && (name.back() == '"' || name.back() == '\'')) name.pop_back();
  return name;
}

class IconvHandle {
 public:
  explicit IconvHandle(const char* from) : cd_(iconv_open("UTF-8", from)) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

ConvertedText ConvertWithIconv(std::string_view bytes, IconvHandle& cd) {
  ConvertedText out;
  out.text.reserve(bytes.size() + bytes.size() / 2);
  char buffer[8192];
  // iconv(3) takes a non-const input pointer but does not write through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    std::size_t r = iconv(cd.get(), &in, &in_left, &o, &o_left);
    int error = errno;
    out.text.append(buffer, static_cast<std::size_t>(o - buffer));
    if (r != static_cast<std::size_t>(-1)) break;
    if (error == E2BIG) continue;
    // EILSEQ (an invalid sequence) or EINVAL (one cut off at the end): one replacement
    // per skipped byte keeps progress linear and the position of damage visible.
    out.text += kReplacement;
    ++out.replaced_bytes;
    ++in;
    --in_left;
    if (error != EILSEQ && error != EINVAL) break;
  }
  // Flush a stateful decoder (ISO-2022-*, UTF-7) back to its initial state.
  char* o = buffer;
  std::size_t o_left = sizeof buffer;
  iconv(cd.get(), nullptr, nullptr, &o, &o_left);
  out.text.append(buffer, static_cast<std::size_t>(o - buffer));
  // Some converters pass bytes they consider valid but that are not well-formed UTF-8
  // (e.g. lone UTF-16 surrogates); the contract is well-formed output.
  if (!base::IsValidUtf8(out.text)) {
    auto clean = SanitizeUtf8(out.text);
    clean.replaced_bytes += out.replaced_bytes;
    return clean;
  }
  return out;
}

}  // namespace

ConvertedText SanitizeUtf8(std::string_view bytes) {
  ConvertedText out;
  out.text.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Copy the longest run of ASCII in one step; it is most of any mail text.
    std::size_t run = i;
    while (run < bytes.size() && static_cast<unsigned char>(bytes[run]) < 0x80) ++run;
    out.text.append(bytes.data() + i, run - i);
    i = run;
    if (i >= bytes.size()) break;
    std::size_t len = Utf8SequenceAt(bytes, i);
    if (len == 0) {
      out.text += kReplacement;
      ++out.replaced_bytes;
      ++i;
    } else {
      out.text.append(bytes.data() + i, len);
      i += len;
    }
  }
  return out;
}

ConvertedText ConvertToUtf8(std::string_view bytes, std::string_view charset) {
  std::string name = NormalizeName(charset);
  // RFC 2231 §5 allows a language after '*' ("utf-8*en"); it does not name the charset.
  if (auto star = name.find('*'); star != std::string::npos) name.resize(star);
  if (name.empty()) return SanitizeUtf8(bytes);
  std::optional<std::string> iconv_name = IconvName(name);
  if (!iconv_name) {
    ConvertedText out = SanitizeUtf8(bytes);
    out.known_charset = false;
    return out;
  }
  if (iconv_name->empty()) return SanitizeUtf8(bytes);
  IconvHandle cd(iconv_name->c_str());
  if (!cd.ok()) {
    ConvertedText out = SanitizeUtf8(bytes);
    out.known_charset = false;
    return out;
  }
  return ConvertWithIconv(bytes, cd);
}

}  // namespace b2bmail::mime
