#include "b2bmail/ingest/field_validators.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"

namespace b2bmail::ingest {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsDigit(c); }
bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

template <typename T>
Checked<T> Problem(std::string text) {
  Checked<T> out;
  out.problem = std::move(text);
  return out;
}

// The officially assigned ISO 3166-1 alpha-2 codes (249, as of ISO 3166-1:2020 and
// the ISO online browsing platform; identical to tzdata's iso3166.tab). Kept in the
// code so the check does not depend on what the system has installed.
constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC "
    "EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK "
    "HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB "
    "LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU "
    "RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN "
    "TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

// --- the IANA time zone names ----------------------------------------------------------

// Names of one tz database directory, keyed by their lower-case spelling. Built from
// tzdata.zi (its `Z name` and `L target name` lines), which lists exactly the zones and
// links; when absent, names are looked up as files starting with the TZif magic.
class TimeZoneCatalog {
 public:
  explicit TimeZoneCatalog(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::ifstream zi(dir_ / "tzdata.zi");
    if (zi) {
      std::string line;
      while (std::getline(zi, line)) {
        if (line.size() < 3 || line[1] != ' ' || (line[0] != 'Z' && line[0] != 'L')) continue;
        auto parts = base::Split(line, ' ');
        std::string_view name = line[0] == 'Z' ? parts[1] : (parts.size() > 2 ? parts[2] : "");
        if (!name.empty()) names_.emplace(base::AsciiLower(name), std::string(name));
      }
      from_index_ = !names_.empty();
    }
    std::error_code ec;
    if (!from_index_ && !std::filesystem::is_directory(dir_, ec))
      throw Error(ErrorKind::kConfig, "no IANA time zone database in " + dir_.string() +
                                          " (install the tzdata package or set TZDIR)");
  }

  // REQUIRES: `name` has the shape checked by CheckTimezoneIn (no path tricks).
  std::optional<std::string> Find(std::string_view name) const {
    if (from_index_) {
      auto it = names_.find(base::AsciiLower(name));
      if (it == names_.end()) return std::nullopt;
      return it->second;
    }
    std::ifstream f(dir_ / std::string(name), std::ios::binary);
    char magic[4] = {};
    if (!f || !f.read(magic, 4) || std::string_view(magic, 4) != "TZif") return std::nullopt;
    return std::string(name);
  }

 private:
  std::filesystem::path dir_;
  bool from_index_ = false;
  std::unordered_map<std::string, std::string> names_;
};

const TimeZoneCatalog& CatalogFor(const std::string& dir) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<TimeZoneCatalog>> catalogs;
  std::lock_guard lock(mutex);
  auto& slot = catalogs[dir];
  if (!slot) slot = std::make_unique<TimeZoneCatalog>(dir);
  return *slot;
}

// --- BCP 47 ----------------------------------------------------------------------------

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

}  // namespace

std::string QuoteForMessage(std::string_view value) {
  constexpr std::size_t kMaxShown = 80;
  std::string out = "'";
  std::size_t n = value.size();
  bool cut = false;
  if (n > kMaxShown) {
    n = kMaxShown;
    // Do not cut a UTF-8 sequence in half.
    while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
    cut = true;
  }
  for (char ch : value.substr(0, n)) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (IsControl(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  if (cut) out += "...";
  return out + "'";
}

Checked<std::string> CheckDomain(std::string_view text) {
  std::string_view d = text;
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);  // fully qualified form
  if (d.empty()) return Problem<std::string>("is not a domain name");
  for (char c : d) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return Problem<std::string>(
          "is not an ASCII domain name (write internationalised domains in punycode, xn--...)");
    if (!IsAsciiAlnum(c) && c != '-' && c != '.')
      return Problem<std::string>("is not a domain name (" + QuoteForMessage(std::string(1, c)) +
                                  " is not allowed)");
  }
  if (d.size() > 253) return Problem<std::string>("is longer than 253 characters");
  auto labels = base::Split(d, '.');
  if (labels.size() < 2) return Problem<std::string>("is not a domain name (it has no '.')");
  for (auto label : labels) {
    if (label.empty()) return Problem<std::string>("is not a domain name (it has an empty label)");
    if (label.size() > 63)
      return Problem<std::string>("is not a domain name (a label is longer than 63 characters)");
    if (label.front() == '-' || label.back() == '-')
      return Problem<std::string>("is not a domain name (a label starts or ends with '-')");
  }
  if (AllOf(labels.back(), IsDigit))
    return Problem<std::string>("is not a domain name (the top-level label is numeric)");
  return {base::AsciiLower(d), {}};
}

Checked<std::vector<std::string>> CheckDomainList(std::string_view text) {
  Checked<std::vector<std::string>> out;
  for (auto piece : base::Split(text, ';')) {
    piece = base::Trim(piece);
    if (piece.empty()) continue;
    auto d = CheckDomain(piece);
    if (!d.ok())
      return Problem<std::vector<std::string>>("has " + QuoteForMessage(piece) + ", which " +
                                               d.problem);
    bool seen = false;
    for (const auto& prior : out.value) seen = seen || prior == d.value;
    if (!seen) out.value.push_back(std::move(d.value));
  }
  return out;
}

Checked<std::string> CheckEmail(std::string_view text) {
  if (text.empty()) return Problem<std::string>("is empty");
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ') return Problem<std::string>("contains a space");
    if (IsControl(c)) return Problem<std::string>("contains a control character");
  }
  auto at = text.find('@');
  if (at == std::string_view::npos) return Problem<std::string>("has no '@'");
  if (text.find('@', at + 1) != std::string_view::npos)
    return Problem<std::string>("contains more than one '@'");
  std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
  if (local.empty()) return Problem<std::string>("has nothing before the '@'");
  if (local.size() > 64)
    return Problem<std::string>("has a local part longer than 64 octets (RFC 5321)");
  if (text.size() > 254) return Problem<std::string>("is longer than 254 octets (RFC 5321)");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return Problem<std::string>("has a misplaced '.' before the '@'");
  for (char c : local) {
    // RFC 5322 atext plus '.', and any UTF-8 (RFC 6531); quoted local parts are not
    // accepted: real B2B addresses never need them and they hide typos.
    if (static_cast<unsigned char>(c) >= 0x80 || IsAsciiAlnum(c)) continue;
    if (std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos) continue;
    return Problem<std::string>("contains " + QuoteForMessage(std::string(1, c)) +
                                " before the '@'");
  }
  if (domain.empty()) return Problem<std::string>("has nothing after the '@'");
  if (domain.back() == '.') return Problem<std::string>("ends with '.'");
  auto d = CheckDomain(domain);
  if (!d.ok()) return Problem<std::string>("has a domain that " + d.problem);
  std::string out;
  out.reserve(text.size());
  out.append(local).push_back('@');
  out += d.value;
  return {std::move(out), {}};
}

Checked<std::string> CheckCountry(std::string_view text) {
  std::string code(text);
  for (char& c : code) c = Upper(c);
  if (code.size() == 2 && IsAsciiAlpha(code[0]) && IsAsciiAlpha(code[1])) {
    for (std::size_t i = 0; i < kCountryCodes.size(); i += 3)
      if (kCountryCodes.substr(i, 2) == code) return {std::move(code), {}};
  }
  std::string problem = "is not an assigned ISO 3166-1 alpha-2 country code";
  if (code == "UK") problem += " (the United Kingdom is GB)";
  if (code == "EL") problem += " (Greece is GR)";
  if (code.size() == 3) problem += " (use the two-letter code, e.g. DE)";
  return Problem<std::string>(problem);
}

Checked<std::string> CheckTimezoneIn(std::string_view text, const std::string& zoneinfo_dir) {
  const auto bad = [] {
    return Problem<std::string>("is not an IANA time zone name (e.g. Europe/Berlin)");
  };
  // Shape first: the name never reaches the file system unless it is a plain relative
  // name of the characters tz names use, so `../`, `/etc/passwd` or `a//b` cannot be
  // used to probe files.
  if (text.empty() || text.size() > 64 || text.front() == '/' || text.back() == '/') return bad();
  for (char c : text)
    if (!IsAsciiAlnum(c) && c != '/' && c != '_' && c != '-' && c != '+') return bad();
  for (auto part : base::Split(text, '/'))
    if (part.empty()) return bad();
  auto found = CatalogFor(zoneinfo_dir).Find(text);
  if (!found) return bad();
  return {std::move(*found), {}};
}

Checked<std::string> CheckTimezone(std::string_view text) {
  static const std::string dir = [] {
    const char* env = std::getenv("TZDIR");
    return std::string(env && *env ? env : "/usr/share/zoneinfo");
  }();
  return CheckTimezoneIn(text, dir);
}

Checked<std::string> CheckLanguage(std::string_view text) {
  const auto bad = [](std::string why) {
    return Problem<std::string>("is not a BCP 47 language tag (" + why + ")");
  };
  if (text.find('_') != std::string_view::npos)
    return bad("subtags are separated by '-', e.g. de-DE");
  auto subtags = base::Split(text, '-');
  for (auto s : subtags)
    if (s.empty() || s.size() > 8 || !AllOf(s, IsAsciiAlnum))
      return bad("subtags are 1 to 8 letters or digits, e.g. en-GB");

  std::string out;
  std::size_t i = 0;
  auto append = [&](std::string_view s, int style) {  // 0 lower, 1 title, 2 upper
    if (!out.empty()) out.push_back('-');
    for (std::size_t k = 0; k < s.size(); ++k)
      out.push_back(style == 2 || (style == 1 && k == 0) ? Upper(s[k]) : Lower(s[k]));
  };
  auto is_x = [](std::string_view s) { return s.size() == 1 && (s[0] == 'x' || s[0] == 'X'); };
  if (!is_x(subtags[0])) {
    std::string_view lang = subtags[0];
    if (lang.size() < 2 || !AllOf(lang, IsAsciiAlpha))
      return bad("it must start with a 2-3 letter language code, e.g. de");
    append(lang, 0);
    ++i;
    // extlang: up to three 3-letter subtags, only after a 2-3 letter language.
    for (int n = 0; n < 3 && lang.size() <= 3 && i < subtags.size() && subtags[i].size() == 3 &&
                    AllOf(subtags[i], IsAsciiAlpha);
         ++n)
      append(subtags[i++], 0);
    if (i < subtags.size() && subtags[i].size() == 4 && AllOf(subtags[i], IsAsciiAlpha))
      append(subtags[i++], 1);  // script
    if (i < subtags.size() && ((subtags[i].size() == 2 && AllOf(subtags[i], IsAsciiAlpha)) ||
                               (subtags[i].size() == 3 && AllOf(subtags[i], IsDigit))))
      append(subtags[i++], 2);  // region
    while (i < subtags.size() &&
           ((subtags[i].size() >= 5) || (subtags[i].size() == 4 && IsDigit(subtags[i][0]))))
      append(subtags[i++], 0);  // variants
    std::string singletons;
    while (i < subtags.size() && subtags[i].size() == 1 && !is_x(subtags[i])) {
      char single = Lower(subtags[i][0]);
      if (singletons.find(single) != std::string::npos)
        return bad("extension '" + std::string(1, single) + "' appears twice");
      singletons.push_back(single);
      append(subtags[i++], 0);
      std::size_t start = i;
      while (i < subtags.size() && subtags[i].size() >= 2) append(subtags[i++], 0);
      if (i == start) return bad("an extension needs at least one subtag after its letter");
    }
  }
  if (i < subtags.size() && is_x(subtags[i])) {
    append(subtags[i++], 0);
    if (i == subtags.size()) return bad("'x' must be followed by private-use subtags");
    while (i < subtags.size()) append(subtags[i++], 0);
  }
  if (i < subtags.size()) return bad("subtag '" + std::string(subtags[i]) + "' is out of place");
  return {std::move(out), {}};
}

Checked<std::int64_t> CheckNonNegativeInteger(std::string_view text) {
  std::int64_t v = 0;
  if (text.empty() || !AllOf(text, IsDigit))
    return Problem<std::int64_t>("is not a whole number >= 0 (digits only, e.g. 1200)");
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return Problem<std::int64_t>("is too large");
  return {v, {}};
}

Checked<double> CheckAmount(std::string_view text) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  bool shape = !whole.empty() && AllOf(whole, IsDigit) && AllOf(frac, IsDigit) &&
               (dot == std::string_view::npos || !frac.empty());
  if (!shape) {
    std::string problem =
        "is not an amount >= 0 (digits with an optional '.' fraction, e.g. 1500.00)";
    if (text.find(',') != std::string_view::npos) problem += "; use '.' as the decimal separator";
    return Problem<double>(problem);
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
    return Problem<double>("is too large");
  return {v, {}};
}

Checked<bool> CheckBool(std::string_view text) {
  if (text.empty()) return {false, {}};
  for (auto t : {"true", "1", "yes"})
    if (base::EqualsIgnoreCase(text, t)) return {true, {}};
  for (auto f : {"false", "0", "no"})
    if (base::EqualsIgnoreCase(text, f)) return {false, {}};
  return Problem<bool>("is not one of true, false, 1, 0, yes, no");
}

Checked<std::string> CheckUrl(std::string_view text) {
  std::size_t scheme_end = 0;
  if (text.size() > 7 && base::EqualsIgnoreCase(text.substr(0, 7), "http://"))
    scheme_end = 7;
  else if (text.size() > 8 && base::EqualsIgnoreCase(text.substr(0, 8), "https://"))
    scheme_end = 8;
  else
    return Problem<std::string>("is not an http or https URL");
  for (char c : text) {
    if (c == ' ') return Problem<std::string>("is not a URL (it contains a space)");
    if (IsControl(static_cast<unsigned char>(c)))
      return Problem<std::string>("is not a URL (it contains a control character)");
  }
  std::string_view rest = text.substr(scheme_end);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == ':' || host.front() == '@')
    return Problem<std::string>("is not a URL (it has no host)");
  return {std::string(text), {}};
}

Checked<std::string> CheckEventDetail(model::EventType type, std::string_view text) {
  auto one_of = [&](std::string_view value,
                    std::initializer_list<std::string_view> names) -> Checked<std::string> {
    for (auto n : names)
      if (base::EqualsIgnoreCase(value, n)) return {std::string(n), {}};
    std::string list;
    for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
    return Problem<std::string>(
        (value.empty() ? "is required for " : "is not one of " + list + " for ") +
        std::string(model::Name(type)) + " events" +
        (value.empty() ? " (one of " + list + ")" : ""));
  };
  switch (type) {
    case model::EventType::kBounced: {
      // "hard" or "soft", optionally with the failure category b2bmail records
      // ("hard:bad-mailbox", model::BounceDetail), so that its own events import again.
      auto colon = text.find(':');
      auto kind = one_of(text.substr(0, colon), {"hard", "soft"});
      if (!kind.ok() || colon == std::string_view::npos) return kind;
      std::string_view category = text.substr(colon + 1);
      bool word = !category.empty() && std::all_of(category.begin(), category.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
      });
      if (!word)
        return Problem<std::string>(
            "has a category that is not a word of letters, digits and '-' (hard:bad-mailbox)");
      return {kind.value + ":" + base::AsciiLower(category), {}};
    }
    case model::EventType::kConverted:
      return one_of(text, {"lead", "mql", "sql", "opportunity", "deal"});
    case model::EventType::kClicked:
      if (text.empty()) return {};
      return CheckUrl(text);
    default:
      if (text.empty()) return {};
      return Problem<std::string>("is not allowed for " + std::string(model::Name(type)) +
                                  " events (only bounced, converted and clicked carry a detail)");
  }
}

}  // namespace b2bmail::ingest
