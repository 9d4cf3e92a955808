// Generator for bench/import: writes a deterministic B2B data set (fixed seed) of
// accounts and contacts as b2bmail import files, plus the same rows laid out for
// sqlite3's `.import` (the store's table columns in table order, ids and JSON attrs
// precomputed, account domains as their own file).
//
//   bench_import_generate OUTDIR [ACCOUNTS=100000] [CONTACTS=1000000]
//
// Files: accounts.csv, contacts.csv (for `b2bmail import`), accounts_sqlite.csv,
// account_domains_sqlite.csv, contacts_sqlite.csv (for `.import`, header row first).

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/random.h"
#include "csv_out.h"

namespace {

constexpr std::array<std::string_view, 16> kFirst = {
    "Anna",   "Jörg",  "Zoë",   "Matthias", "Petra",  "Tobias", "Katrin", "Lukas",
    "Élodie", "Marco", "Sofia", "Piotr",    "Henrik", "Aylin",  "James",  "Ngọc"};
constexpr std::array<std::string_view, 16> kLast = {
    "Weber",  "Öztürk", "Kowalczyk", "Koch",   "Vogel", "Reinhardt", "Dubois", "Rossi",
    "García", "Nowak",  "Jensen",    "Yılmaz", "Smith", "Nguyễn",    "Müller", "Fischer"};
constexpr std::array<std::string_view, 12> kTitles = {"Geschäftsführer",
                                                      "Head of Purchasing",
                                                      "Strategische Einkäuferin",
                                                      "Projektleiter \"Smart Factory\"",
                                                      "Director, Operations",
                                                      "Plant Manager",
                                                      "Maintenance Engineer",
                                                      "CFO",
                                                      "IT-Leiter",
                                                      "Buyer, Indirect Materials",
                                                      "VP Supply Chain",
                                                      "Quality Manager"};
constexpr std::array<std::string_view, 8> kDepartments = {"purchasing", "engineering", "finance",
                                                          "production", "it",          "management",
                                                          "quality",    "logistics"};
constexpr std::array<std::string_view, 6> kRoles = {"decision_maker", "buyer", "prescriber",
                                                    "influencer",     "user",  "gatekeeper"};
constexpr std::array<std::string_view, 6> kSeniorities = {"c_level", "vp",     "director",
                                                          "manager", "senior", "entry"};
constexpr std::array<std::string_view, 3> kConsents = {"legitimate_interest", "opt_in", "none"};
constexpr std::array<std::string_view, 8> kIndustries = {
    "manufacturing", "logistics", "chemicals", "automotive",
    "energy",        "retail",    "software",  "construction"};
constexpr std::array<std::string_view, 5> kStages = {"awareness", "consideration", "decision",
                                                     "retention", "advocacy"};
constexpr std::array<std::string_view, 5> kTiers = {"one_off", "repeat", "advocate", "champion",
                                                    "strategic_champion"};
constexpr std::array<std::string_view, 5> kSteps = {"need", "specification", "supplier_search",
                                                    "negotiation", "decision"};
constexpr std::array<std::string_view, 3> kPurchase = {"new_buy", "modified_rebuy",
                                                       "straight_rebuy"};
constexpr std::array<std::string_view, 4> kRegions = {"north", "south", "east", "west"};

struct Country {
  std::string_view code, timezone, tld, language;
};
constexpr std::array<Country, 10> kCountries = {{
    {"DE", "Europe/Berlin", "de", "de-DE"},
    {"AT", "Europe/Vienna", "at", "de-AT"},
    {"CH", "Europe/Zurich", "ch", "de-CH"},
    {"FR", "Europe/Paris", "fr", "fr"},
    {"PL", "Europe/Warsaw", "pl", "pl"},
    {"GB", "Europe/London", "co.uk", "en-GB"},
    {"US", "America/Chicago", "com", "en-US"},
    {"IT", "Europe/Rome", "it", "it"},
    {"ES", "Europe/Madrid", "es", "es"},
    {"VN", "Asia/Ho_Chi_Minh", "com.vn", "vi"},
}};

constexpr std::array<std::string_view, 12> kNameParts = {
    "bergmann", "hanse", "sonnfeld", "weissach", "nordlicht", "rhein",
    "alpen",    "kraft", "delta",    "orion",    "vector",    "lumen"};
constexpr std::array<std::string_view, 6> kNameKinds = {"antriebe", "logistik", "chemie",
                                                        "technik",  "systems",  "werke"};

using Out = b2bmail::bench::CsvOut;

template <typename A>
std::string_view Pick(b2bmail::base::Random& r, const A& a) {
  return a[r.Next() % a.size()];
}

std::string Ascii(std::string_view s) {
  // Mail local parts from names: transliterate the few non-ASCII letters used above.
  static const std::array<std::pair<std::string_view, std::string_view>, 13> kMap = {{{"ö", "oe"},
                                                                                      {"ü", "ue"},
                                                                                      {"ë", "e"},
                                                                                      {"É", "E"},
                                                                                      {"é", "e"},
                                                                                      {"í", "i"},
                                                                                      {"ọ", "o"},
                                                                                      {"ı", "i"},
                                                                                      {"ễ", "e"},
                                                                                      {"ä", "ae"},
                                                                                      {"Ö", "Oe"},
                                                                                      {"ß", "ss"},
                                                                                      {"ğ", "g"}}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool done = false;
    for (auto [from, to] : kMap) {
      if (s.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        done = true;
        break;
      }
    }
    if (!done) {
      char c = s[i++];
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Json(std::string_view key, std::string_view value) {
  return "{\"" + std::string(key) + "\":\"" + std::string(value) + "\"}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUTDIR [ACCOUNTS] [CONTACTS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const long accounts = argc > 2 ? std::atol(argv[2]) : 100000;
  const long contacts = argc > 3 ? std::atol(argv[3]) : 1000000;
  b2bmail::base::SeededRandom r(20261120);

  struct AccountInfo {
    std::string id, domain;
    const Country* country;
  };
  std::vector<AccountInfo> infos;
  infos.reserve(static_cast<std::size_t>(accounts));
  {
    Out csv(dir + "/accounts.csv"), sq(dir + "/accounts_sqlite.csv"),
        dom(dir + "/account_domains_sqlite.csv");
    csv.Field("id").Field("name").Field("domains").Field("industry").Field("employees");
    csv.Field("country").Field("timezone").Field("stage").Field("tier").Field("buying_step");
    csv.Field("purchase_type").Field("region").End();
    sq.Field("id").Field("name").Field("industry").Field("employees").Field("country");
    sq.Field("timezone").Field("stage").Field("tier").Field("buying_step");
    sq.Field("purchase_type").Field("attrs").End();
    dom.Field("domain").Field("account_id").End();
    for (long i = 0; i < accounts; ++i) {
      const Country& country = kCountries[r.Next() % kCountries.size()];
      std::string part(Pick(r, kNameParts)), kind(Pick(r, kNameKinds));
      char id[32];
      std::snprintf(id, sizeof id, "acc-%06ld", i + 1);
      std::string domain =
          part + "-" + kind + "-" + std::to_string(i + 1) + "." + std::string(country.tld);
      std::vector<std::string> domains{domain};
      if (r.Next() % 5 == 0) domains.push_back(part + kind + std::to_string(i + 1) + ".com");
      std::string domains_cell = domains[0] + (domains.size() > 1 ? ";" + domains[1] : "");
      std::string name = part + " " + kind + " " + std::to_string(i + 1) + " GmbH";
      name[0] = static_cast<char>(name[0] - 'a' + 'A');
      if (r.Next() % 10 == 0) name += " & Co. KG, Werk Süd";
      std::string employees = r.Next() % 20 == 0 ? "" : std::to_string(5 + r.Next() % 20000);
      auto maybe = [&](auto& list) {
        return r.Next() % 4 == 0 ? std::string_view() : Pick(r, list);
      };
      std::string_view industry = Pick(r, kIndustries), stage = maybe(kStages),
                       tier = maybe(kTiers), step = maybe(kSteps), purchase = maybe(kPurchase),
                       region = Pick(r, kRegions);
      csv.Field(id).Field(name).Field(domains_cell).Field(industry).Field(employees);
      csv.Field(country.code).Field(country.timezone).Field(stage).Field(tier).Field(step);
      csv.Field(purchase).Field(region).End();
      sq.Field(id).Field(name).Field(industry).Field(employees).Field(country.code);
      sq.Field(country.timezone).Field(stage).Field(tier).Field(step).Field(purchase);
      sq.Field(Json("region", region)).End();
      for (const auto& d : domains) dom.Field(d).Field(id).End();
      infos.push_back({id, domain, &country});
    }
  }
  {
    Out csv(dir + "/contacts.csv"), sq(dir + "/contacts_sqlite.csv");
    csv.Field("email").Field("first_name").Field("last_name").Field("title");
    csv.Field("account_id").Field("role").Field("seniority").Field("department");
    csv.Field("language").Field("country").Field("timezone").Field("consent");
    csv.Field("unsubscribed").Field("lead_score").End();
    sq.Field("id").Field("email").Field("first_name").Field("last_name").Field("title");
    sq.Field("account_id").Field("role").Field("seniority").Field("department");
    sq.Field("language").Field("country").Field("timezone").Field("consent");
    sq.Field("unsubscribed").Field("attrs").End();
    for (long i = 0; i < contacts; ++i) {
      const AccountInfo& a = infos[static_cast<std::size_t>(i % accounts)];
      std::string_view first = Pick(r, kFirst), last = Pick(r, kLast);
      std::string email =
          Ascii(first) + "." + Ascii(last) + "." + std::to_string(i / accounts) + "@" + a.domain;
      // One row in ten leaves account_id empty: the importer fills it from the domain.
      bool blank_account = r.Next() % 10 == 0;
      std::string_view role = r.Next() % 8 == 0 ? "" : Pick(r, kRoles);
      std::string_view seniority = r.Next() % 8 == 0 ? "" : Pick(r, kSeniorities);
      std::uint64_t c = r.Next() % 100;
      std::string_view consent = c < 70 ? kConsents[0] : c < 90 ? kConsents[1] : kConsents[2];
      bool unsub = r.Next() % 50 == 0;
      std::string score = std::to_string(r.Next() % 100);
      std::string_view title = Pick(r, kTitles), dept = Pick(r, kDepartments);
      csv.Field(email).Field(first).Field(last).Field(title);
      csv.Field(blank_account ? std::string_view() : std::string_view(a.id));
      csv.Field(role).Field(seniority).Field(dept).Field(a.country->language);
      csv.Field(a.country->code).Field(a.country->timezone).Field(consent);
      csv.Field(unsub ? "true" : "false").Field(score).End();
      sq.Field(std::to_string(i + 1)).Field(email).Field(first).Field(last).Field(title);
      sq.Field(a.id).Field(role).Field(seniority).Field(dept).Field(a.country->language);
      sq.Field(a.country->code).Field(a.country->timezone).Field(consent);
      sq.Field(unsub ? "1" : "0").Field(Json("lead_score", score)).End();
    }
  }
  return 0;
}
