#pragma once
// Validation and normalisation of the typed fields of import files. Each check takes
// the (already trimmed) text of one cell and returns either the normalised value or a
// problem: a phrase that reads after "<column> '<value>' ", e.g. "is not one of need,
// specification" or "has no '@'". The importer adds the line, column and value.
//
// All functions are pure and thread-safe, except that CheckTimezone loads the IANA
// time zone names once per process (thread-safe static initialisation).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/model/enums.h"

namespace b2bmail::ingest {

// A normalised value, or the reason the text was refused (then `value` is unspecified).
template <typename T>
struct Checked {
  T value{};
  std::string problem;  // empty: valid
  bool ok() const { return problem.empty(); }
};

// An e-mail address as a contact key: exactly one '@', a non-empty local part (a
// dot-atom of RFC 5322 section 3.2.3, UTF-8 allowed per RFC 6531), a domain that passes
// CheckDomain, no spaces or control characters, and the length limits of RFC 5321
// section 4.5.3.1 (local part 64, domain 255, address 254 octets). Returns the address
// with its domain lower-cased; the local part is kept as written.
Checked<std::string> CheckEmail(std::string_view text);

// A host name as in DNS (RFC 1035 section 2.3.1, RFC 1123 section 2.1): two or more
// labels of letters, digits and inner hyphens, 1-63 octets each, 253 in all, a top-level
// label that is not all digits. ASCII only (internationalised names in punycode, xn--).
// One trailing dot is dropped. Returns it lower-cased.
Checked<std::string> CheckDomain(std::string_view text);

// A `;`-separated list of domains (spaces around items and empty items ignored,
// duplicates removed, order kept), each checked by CheckDomain.
Checked<std::vector<std::string>> CheckDomainList(std::string_view text);

// An assigned ISO 3166-1 alpha-2 code, case-insensitive. Returns it upper-cased.
Checked<std::string> CheckCountry(std::string_view text);

// An IANA time zone name (`Europe/Berlin`, `UTC`), case-insensitive, checked against the
// tz database of the system ($TZDIR, else /usr/share/zoneinfo; its tzdata.zi, else its
// files). Returns the database's spelling. Text shaped like a path (`..`, a leading `/`,
// `//`, characters outside [A-Za-z0-9/_+-]) is refused without touching the file system.
// Throws Error{kConfig} when no tz database is installed (install Debian's tzdata).
Checked<std::string> CheckTimezone(std::string_view text);

// Like CheckTimezone, against the tz database in `zoneinfo_dir` (for tests).
Checked<std::string> CheckTimezoneIn(std::string_view text, const std::string& zoneinfo_dir);

// A BCP 47 language tag by shape (RFC 5646 section 2.1: language, extlang, script,
// region, variants, extensions, private use; subtags in order, separated by '-').
// Does not consult the IANA registry. Returns it in the conventional case (`en-Latn-GB`).
Checked<std::string> CheckLanguage(std::string_view text);

// Decimal digits only, fitting in 63 bits.
Checked<std::int64_t> CheckNonNegativeInteger(std::string_view text);

// A non-negative decimal amount with '.' as the separator (`1500`, `27950.00`).
Checked<double> CheckAmount(std::string_view text);

// true/false, 1/0, yes/no, case-insensitive; empty is false.
Checked<bool> CheckBool(std::string_view text);

// An absolute http or https URL with a host and no spaces or control characters.
Checked<std::string> CheckUrl(std::string_view text);

// The detail of an event of type `type`: bounced needs hard or soft, optionally followed
// by ':' and a category word (hard:bad-mailbox, model::BounceDetail); converted needs
// lead, mql, sql, opportunity or deal; clicked takes an empty detail or a URL (CheckUrl);
// every other type takes none. Returns it normalised (lower-cased names).
Checked<std::string> CheckEventDetail(model::EventType type, std::string_view text);

// A closed vocabulary of enums.h, case-insensitive.
template <typename E>
Checked<E> CheckEnum(std::string_view text) {
  Checked<E> out;
  if (auto v = model::Parse<E>(text))
    out.value = *v;
  else
    out.problem = "is not one of " + model::NameList<E>();
  return out;
}

// `value` as shown inside a reason: quoted, control characters escaped, long text cut.
std::string QuoteForMessage(std::string_view value);

}  // namespace b2bmail::ingest
