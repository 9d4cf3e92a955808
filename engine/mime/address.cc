// RFC 5890/5891 (IDNA2008) via libidn2 with UTS #46 processing; RFC 6531 (SMTPUTF8).
#include "b2bmail/mime/address.h"

#include <idn2.h>

#include <cstdlib>

#include "b2bmail/base/error.h"

namespace b2bmail::mime {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

std::string ToAsciiDomain(std::string_view domain) {
  if (IsAscii(domain)) return std::string(domain);
  std::string input(domain);
  char* output = nullptr;
  // Non-transitional: "ß" stays "ß" (xn--...), as browsers and registries now do;
  // NFC first, so composed and decomposed input give the same label.
  int rc = idn2_to_ascii_8z(input.c_str(), &output, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    throw Error(
        ErrorKind::kUsage,
        "'" + input + "' is not a valid internationalised domain name: " + idn2_strerror(rc));
  }
  std::string out(output);
  idn2_free(output);
  return out;
}

std::string_view DomainOf(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(at + 1);
}

std::string ToWireAddress(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos)
    throw Error(ErrorKind::kUsage, "'" + std::string(address) + "' is not an address (no '@')");
  std::string_view domain = address.substr(at + 1);
  if (IsAscii(domain)) return std::string(address);  // the common case, one copy
  return std::string(address.substr(0, at + 1)) + ToAsciiDomain(domain);
}

bool NeedsSmtpUtf8(std::string_view address) {
  auto at = address.rfind('@');
  return !IsAscii(address.substr(0, at == std::string_view::npos ? address.size() : at));
}

}  // namespace b2bmail::mime
