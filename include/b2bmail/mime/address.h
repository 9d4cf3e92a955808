#pragma once
// Addresses on the wire: internationalised domain names as IDNA2008 A-labels (RFC 5891,
// with UTS #46 non-transitional mapping, through libidn2), and the test for UTF-8 local
// parts, which only SMTPUTF8 (RFC 6531) can carry.

#include <string>
#include <string_view>

namespace b2bmail::mime {

// The domain in ASCII: unchanged when it already is; otherwise its A-label form
// ("bücher.example" -> "xn--bcher-kva.example"). Throws Error{kUsage} naming the
// domain when it is not a valid IDNA domain name.
std::string ToAsciiDomain(std::string_view domain);

// `local@domain` with the domain through ToAsciiDomain; the local part as it is.
// Throws Error{kUsage} when there is no '@' or the domain is invalid.
std::string ToWireAddress(std::string_view address);

// True when the local part holds non-ASCII octets (the message then needs SMTPUTF8).
bool NeedsSmtpUtf8(std::string_view address);

// The part after the last '@' (the whole text without one).
std::string_view DomainOf(std::string_view address);

}  // namespace b2bmail::mime
