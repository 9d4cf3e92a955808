// Generator for bench/segment: writes a deterministic B2B data set (fixed seed, own
// splitmix64 generator, no std:: distributions) as b2bmail import files.
//
//   bench_segment_generate OUTDIR [ACCOUNTS=100000] [CONTACTS=1000000] [EVENTS=5000000]
//
// Files: accounts.csv, contacts.csv, events.csv (docs/import.md), plus
// soft_suppressions.sql (a few soft suppressions with an expiry around NOW: the import
// has no way to create them, the script applies it with sqlite3).
//
// The data describes the two years before NOW = 2026-11-01T00:00:00Z:
//  - accounts: 12 industries (manufacturing 15%), 16 countries (DACH 45%), log-normal
//    employees 5..100000 (median 150, 3% unknown), stage/tier/buying step/purchase type
//    spread as in a real CRM (tier mostly for customers), 12% of accounts behind a mail
//    security gateway that opens and clicks every delivered message (bot events);
//  - contacts: 1..30 per account (10 on average, more at larger accounts), 0.5% without
//    an account (domains of no account), roles over the 6 roles, seniority by role,
//    consent 58% legitimate_interest / 37% opt_in / 5% none, 2% unsubscribed;
//  - events: 104 weekly campaign slots, more frequent lately; per delivered message a
//    contact opens/clicks by its engagement class (hot 20%, warm 35%, cold 45%);
//    sent, delivered, bounced (soft; hard once for bad addresses -> suppression),
//    opened (some bot), clicked (some bot), converted (lead..deal), unsubscribed and
//    complained (-> suppression). Sends stop after a hard bounce, unsubscribe or
//    complaint. EVENTS is a target: the per-send probabilities are scaled to hit it
//    approximately (the count written is printed).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "b2bmail/base/random.h"
#include "csv_out.h"

namespace {

// --- deterministic randomness ------------------------------------------------------------

// Draws from base::SplitMix64, with the shapes the generator needs.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : mix_(seed) {}
  std::uint64_t Next() { return mix_.Next(); }
  // [0, n)
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  // [0, 1), 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }
  // Standard normal, approximately: Irwin-Hall sum of 12 uniforms (pure arithmetic, so
  // the same on every IEEE machine).
  double Normal() {
    double s = 0;
    for (int i = 0; i < 12; ++i) s += Unit();
    return s - 6.0;
  }

 private:
  b2bmail::base::SplitMix64 mix_;
};

template <typename T>
struct Weighted {
  T value;
  int weight;
};

template <typename T, std::size_t N>
const T& PickWeighted(Rng& r, const std::array<Weighted<T>, N>& items) {
  int total = 0;
  for (const auto& i : items) total += i.weight;
  int x = static_cast<int>(r.Below(static_cast<std::uint64_t>(total)));
  for (const auto& i : items) {
    if (x < i.weight) return i.value;
    x -= i.weight;
  }
  return items.back().value;
}

template <typename A>
auto Pick(Rng& r, const A& a) -> decltype(a[0]) {
  return a[r.Below(a.size())];
}

// --- vocabulary ------------------------------------------------------------------------------

using SV = std::string_view;

constexpr std::int64_t kDay = 86400;
// 2026-11-01T00:00:00Z
constexpr std::int64_t kNow = 1793491200;

struct NamePool {
  std::array<SV, 10> first;
  std::array<SV, 10> last;
};
constexpr NamePool kGerman{{"Anna", "Thomas", "Katrin", "Jörg", "Sabine", "Matthias", "Petra",
                            "Tobias", "Bärbel", "Lukas"},
                           {"Müller", "Schmidt", "Weber", "Fischer", "Koch", "Vogel", "Krüger",
                            "Hoffmann", "Böhm", "Reinhardt"}};
constexpr NamePool kEnglish{
    {"James", "Sarah", "Daniel", "Emily", "Michael", "Laura", "David", "Rachel", "Peter", "Emma"},
    {"Smith", "Whitfield", "O'Brien", "Taylor", "Brown", "Wilson", "Evans", "Clarke", "Walker",
     "Hughes"}};
constexpr NamePool kFrench{{"Julien", "Élodie", "Nicolas", "Camille", "Pierre", "Sophie", "Antoine",
                            "Chloé", "Luc", "Manon"},
                           {"Marchand", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
                            "Bonnet", "Dupont", "Lambert", "Fontaine"}};
constexpr NamePool kItalian{{"Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Andrea",
                             "Sara", "Paolo", "Elena"},
                            {"Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
                             "Bruno", "Gallo", "Conti"}};
constexpr NamePool kSpanish{
    {"Lucía", "Javier", "María", "Carlos", "Carmen", "Pablo", "Elena", "Diego", "Ana", "Sergio"},
    {"García", "Herrera", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz",
     "Moreno"}};
constexpr NamePool kPolish{{"Marek", "Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Paweł",
                            "Magdalena", "Jan", "Ewa"},
                           {"Nowak", "Kowalczyk", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski",
                            "Zieliński", "Szymański", "Woźniak", "Dąbrowski"}};
constexpr NamePool kDutch{
    {"Anneke", "Jeroen", "Sanne", "Pieter", "Femke", "Bram", "Lotte", "Joost", "Ineke", "Ruben"},
    {"Visser", "de Jong", "Jansen", "Bakker", "Smit", "Meijer", "de Vries", "Mulder", "Bos",
     "Peters"}};
constexpr NamePool kNordic{
    {"Henrik", "Ingrid", "Lars", "Karin", "Erik", "Astrid", "Johan", "Sofia", "Mikael", "Freja"},
    {"Jensen", "Andersson", "Nielsen", "Johansson", "Hansen", "Lindqvist", "Larsen", "Berg", "Holm",
     "Nyström"}};
constexpr NamePool kPortuguese{{"Mariana", "João", "Ana", "Pedro", "Beatriz", "Rafael", "Camila",
                                "Lucas", "Juliana", "Gabriel"},
                               {"Couto", "Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira",
                                "Costa", "Ferreira", "Almeida"}};
constexpr NamePool kJapanese{
    {"Kenji", "Yuki", "Hiroshi", "Aiko", "Takashi", "Naomi", "Satoshi", "Emi", "Daisuke", "Mai"},
    {"Mori", "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
     "Kobayashi"}};
constexpr NamePool kVietnamese{
    {"Minh", "Lan", "Hùng", "Hương", "Tuấn", "Linh", "Dũng", "Thảo", "Long", "Ngọc"},
    {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}};

struct Country {
  SV code, timezone, tld, language;
  const NamePool* names;
  SV legal;  // company suffix
};
// German-centred sender: DACH is 45% of the accounts.
constexpr std::array<Weighted<Country>, 16> kCountries = {{
    {{"DE", "Europe/Berlin", "de", "de", &kGerman, "GmbH"}, 30},
    {{"AT", "Europe/Vienna", "at", "de-AT", &kGerman, "GmbH"}, 7},
    {{"CH", "Europe/Zurich", "ch", "de-CH", &kGerman, "AG"}, 8},
    {{"FR", "Europe/Paris", "fr", "fr", &kFrench, "SAS"}, 8},
    {{"GB", "Europe/London", "co.uk", "en-GB", &kEnglish, "Ltd"}, 7},
    {{"US", "America/Chicago", "com", "en-US", &kEnglish, "Inc."}, 9},
    {{"NL", "Europe/Amsterdam", "nl", "nl", &kDutch, "B.V."}, 5},
    {{"IT", "Europe/Rome", "it", "it", &kItalian, "S.p.A."}, 5},
    {{"ES", "Europe/Madrid", "es", "es", &kSpanish, "S.L."}, 4},
    {{"PL", "Europe/Warsaw", "pl", "pl", &kPolish, "Sp. z o.o."}, 4},
    {{"BE", "Europe/Brussels", "be", "fr-BE", &kFrench, "SA"}, 3},
    {{"SE", "Europe/Stockholm", "se", "sv", &kNordic, "AB"}, 3},
    {{"DK", "Europe/Copenhagen", "dk", "da", &kNordic, "A/S"}, 2},
    {{"BR", "America/Sao_Paulo", "com.br", "pt-BR", &kPortuguese, "Ltda."}, 2},
    {{"JP", "Asia/Tokyo", "co.jp", "ja", &kJapanese, "K.K."}, 2},
    {{"VN", "Asia/Ho_Chi_Minh", "com.vn", "vi", &kVietnamese, "JSC"}, 1},
}};

constexpr std::array<Weighted<SV>, 12> kIndustries = {{{"manufacturing", 15},
                                                       {"logistics", 10},
                                                       {"software", 10},
                                                       {"retail", 9},
                                                       {"automotive", 8},
                                                       {"construction", 8},
                                                       {"healthcare", 8},
                                                       {"chemicals", 7},
                                                       {"finance", 7},
                                                       {"energy", 6},
                                                       {"food processing", 6},
                                                       {"wholesale distribution", 6}}};
constexpr std::array<Weighted<SV>, 6> kStages = {{{"awareness", 33},
                                                  {"consideration", 25},
                                                  {"decision", 12},
                                                  {"retention", 20},
                                                  {"advocacy", 7},
                                                  {"", 3}}};
constexpr std::array<Weighted<SV>, 5> kTiers = {{{"one_off", 30},
                                                 {"repeat", 35},
                                                 {"advocate", 15},
                                                 {"champion", 12},
                                                 {"strategic_champion", 8}}};
constexpr std::array<Weighted<SV>, 5> kSteps = {{{"need", 30},
                                                 {"specification", 25},
                                                 {"supplier_search", 20},
                                                 {"negotiation", 15},
                                                 {"decision", 10}}};
constexpr std::array<Weighted<SV>, 4> kPurchase = {
    {{"new_buy", 40}, {"modified_rebuy", 25}, {"straight_rebuy", 20}, {"", 15}}};
constexpr std::array<SV, 12> kNameParts = {"bergmann",  "hanse", "sonnfeld", "weissach",
                                           "nordlicht", "rhein", "alpen",    "kraft",
                                           "delta",     "orion", "vector",   "lumen"};
constexpr std::array<SV, 8> kNameKinds = {"antriebe", "logistik", "chemie", "technik",
                                          "systems",  "werke",    "group",  "solutions"};
constexpr std::array<SV, 6> kOwners = {"Katrin Vogel",    "Tobias Reinhardt", "Julien Marchand",
                                       "Sarah Whitfield", "Marek Nowicki",    "Lucía Herrera"};

enum Role { kDecisionMaker, kBuyer, kPrescriber, kInfluencer, kUser, kGatekeeper, kNoRole };
constexpr std::array<SV, 6> kRoleNames = {"decision_maker", "buyer", "prescriber",
                                          "influencer",     "user",  "gatekeeper"};
constexpr std::array<Weighted<int>, 7> kRoles = {{{kDecisionMaker, 12},
                                                  {kBuyer, 16},
                                                  {kPrescriber, 18},
                                                  {kInfluencer, 18},
                                                  {kUser, 26},
                                                  {kGatekeeper, 6},
                                                  {kNoRole, 4}}};
// Seniority by role: c_level, vp, director, manager, senior, entry, unknown.
constexpr std::array<SV, 7> kSeniorityNames = {"c_level", "vp",    "director", "manager",
                                               "senior",  "entry", ""};
constexpr std::array<std::array<Weighted<int>, 7>, 7> kSeniorityByRole = {{
    {{{0, 35}, {1, 28}, {2, 28}, {3, 5}, {4, 0}, {5, 0}, {6, 4}}},    // decision_maker
    {{{0, 0}, {1, 2}, {2, 14}, {3, 38}, {4, 32}, {5, 10}, {6, 4}}},   // buyer
    {{{0, 0}, {1, 2}, {2, 10}, {3, 33}, {4, 38}, {5, 13}, {6, 4}}},   // prescriber
    {{{0, 2}, {1, 5}, {2, 14}, {3, 28}, {4, 33}, {5, 14}, {6, 4}}},   // influencer
    {{{0, 0}, {1, 0}, {2, 1}, {3, 9}, {4, 38}, {5, 48}, {6, 4}}},     // user
    {{{0, 0}, {1, 0}, {2, 0}, {3, 5}, {4, 30}, {5, 61}, {6, 4}}},     // gatekeeper
    {{{0, 3}, {1, 5}, {2, 10}, {3, 25}, {4, 27}, {5, 15}, {6, 15}}},  // unknown role
}};
constexpr std::array<std::array<SV, 3>, 7> kTitlesByRole = {{
    {"Geschäftsführer", "Managing Director", "VP, Operations"},
    {"Head of Purchasing", "Strategische Einkäuferin", "Buyer, Indirect Materials"},
    {"Projektleiter \"Smart Factory\"", "Maintenance Engineer", "Quality Manager"},
    {"Plant Manager", "CFO", "IT-Leiter"},
    {"Production Planner", "Disponentin", "Lab Technician"},
    {"Assistant to the Board", "Office Manager", "Team Assistant"},
    {"Consultant", "Specialist", ""},
}};
constexpr std::array<SV, 7> kDepartmentByRole = {
    "management", "purchasing", "engineering", "finance", "production", "office", ""};
constexpr std::array<Weighted<SV>, 3> kConsents = {
    {{"legitimate_interest", 58}, {"opt_in", 37}, {"none", 5}}};
constexpr std::array<SV, 6> kCampaignKinds = {"newsletter",   "webinar",    "case-study",
                                              "product-news", "trade-fair", "nurture"};
constexpr std::array<SV, 5> kLinks = {
    "https://lumetra.example/webinar", "https://lumetra.example/case-studies",
    "https://lumetra.example/products/drive-x", "https://lumetra.example/pricing",
    "https://lumetra.example/contact"};
constexpr std::array<Weighted<SV>, 5> kConversions = {
    {{"lead", 50}, {"mql", 25}, {"sql", 12}, {"opportunity", 8}, {"deal", 5}}};

// --- helpers ---------------------------------------------------------------------------------

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string Iso(std::int64_t t) {
  std::int64_t days = t / kDay, s = t % kDay;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

std::string Ascii(SV s) {
  // Mail local parts from names: transliterate the non-ASCII letters used above, drop
  // apostrophes and spaces.
  static constexpr std::array<std::pair<SV, SV>, 40> kMap = {{
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"ß", "ss"}, {"Ä", "ae"}, {"Ö", "oe"}, {"Ü", "ue"},
      {"é", "e"},  {"É", "e"},  {"è", "e"},  {"ê", "e"},  {"á", "a"},  {"à", "a"},  {"ã", "a"},
      {"í", "i"},  {"ó", "o"},  {"ú", "u"},  {"ç", "c"},  {"ł", "l"},  {"ń", "n"},  {"ś", "s"},
      {"ź", "z"},  {"ż", "z"},  {"ą", "a"},  {"ę", "e"},  {"Ł", "l"},  {"Đ", "d"},  {"đ", "d"},
      {"ạ", "a"},  {"ả", "a"},  {"ấ", "a"},  {"ầ", "a"},  {"ễ", "e"},  {"ọ", "o"},  {"ỗ", "o"},
      {"ũ", "u"},  {"ù", "u"},  {"ư", "u"},  {"ơ", "o"},  {"ă", "a"},
  }};
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
    if (done) continue;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {  // any other non-ASCII letter: skip its bytes
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    ++i;
    if (c == '\'' || c == ' ') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

using Out = b2bmail::bench::CsvOut;

struct AccountInfo {
  std::string id, domain;
  const Country* country;
  int contacts;
  bool scanner;  // a mail security gateway opens and clicks every delivery
  int pattern;   // e-mail address pattern
  std::int64_t employees;
};

// Weekly campaign slots: slot 0 is the most recent (sent on the Tuesday 5 days before
// NOW, 08:00 UTC), slot 103 about two years back.
constexpr int kSlots = 104;
std::int64_t SlotTime(int w) { return kNow - (w + 1) * 7 * kDay + 2 * kDay + 8 * 3600; }
// Relative sending frequency by slot: mailing got more frequent lately.
double SlotWeight(int w) { return w < 13 ? 6.0 : w < 52 ? 2.0 : 1.0; }
std::string SlotCampaign(int w) {
  std::int64_t t = SlotTime(w);
  int y;
  unsigned m, d;
  CivilFromDays(t / kDay, y, m, d);
  char buf[64];
  std::snprintf(
      buf, sizeof buf, "%s-%04d-%02u-%02u",
      std::string(kCampaignKinds[static_cast<std::size_t>(w) % kCampaignKinds.size()]).c_str(), y,
      m, d);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUTDIR [ACCOUNTS] [CONTACTS] [EVENTS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const long accounts = argc > 2 ? std::atol(argv[2]) : 100000;
  const long contacts = argc > 3 ? std::atol(argv[3]) : 1000000;
  const long events_target = argc > 4 ? std::atol(argv[4]) : 5000000;
  if (accounts < 1 || contacts < accounts) {
    std::fprintf(stderr, "need ACCOUNTS >= 1 and CONTACTS >= ACCOUNTS\n");
    return 2;
  }
  Rng r(20261101);

  // --- accounts ---
  std::vector<AccountInfo> infos;
  infos.reserve(static_cast<std::size_t>(accounts));
  {
    Out csv(dir + "/accounts.csv");
    csv.Field("id").Field("name").Field("domains").Field("industry").Field("employees");
    csv.Field("country").Field("timezone").Field("stage").Field("tier").Field("buying_step");
    csv.Field("purchase_type").Field("relationship_owner").End();
    for (long i = 0; i < accounts; ++i) {
      const Country& country = PickWeighted(r, kCountries);
      SV part = Pick(r, kNameParts), kind = Pick(r, kNameKinds);
      char id[32];
      std::snprintf(id, sizeof id, "acc-%06ld", i + 1);
      std::string domain = std::string(part) + "-" + std::string(kind) + "-" +
                           std::to_string(i + 1) + "." + std::string(country.tld);
      std::string domains_cell = domain;
      if (r.Chance(0.15))
        domains_cell +=
            ";" + std::string(part) + std::string(kind) + std::to_string(i + 1) + ".com";
      std::string name = std::string(part) + " " + std::string(kind) + " " + std::to_string(i + 1) +
                         " " + std::string(country.legal);
      name[0] = static_cast<char>(name[0] - 'a' + 'A');
      if (r.Chance(0.05)) name += ", Werk Süd";
      // Log-normal employees: median 150, sigma 1.5, 5..100000; 3% unknown.
      std::int64_t employees =
          static_cast<std::int64_t>(std::llround(std::exp(std::log(150.0) + 1.5 * r.Normal())));
      employees = std::clamp<std::int64_t>(employees, 5, 100000);
      bool employees_known = !r.Chance(0.03);
      SV industry = PickWeighted(r, kIndustries);
      SV stage = PickWeighted(r, kStages);
      bool customer = stage == "retention" || stage == "advocacy";
      SV tier = customer ? (r.Chance(0.9) ? PickWeighted(r, kTiers) : SV())
                         : (r.Chance(0.08) ? PickWeighted(r, kTiers) : SV());
      SV step = !customer ? (r.Chance(0.85) ? PickWeighted(r, kSteps) : SV())
                          : (r.Chance(0.25) ? PickWeighted(r, kSteps) : SV());
      SV purchase = PickWeighted(r, kPurchase);
      SV owner = Pick(r, kOwners);
      csv.Field(id).Field(name).Field(domains_cell).Field(industry);
      csv.Field(employees_known ? SV(std::to_string(employees)) : SV());
      csv.Field(country.code).Field(country.timezone).Field(stage).Field(tier).Field(step);
      csv.Field(purchase).Field(owner).End();
      // Contacts per account: more at larger accounts, 1..30, about 10 on average.
      double mean =
          std::exp(std::log(8.0) + 0.22 * std::log(static_cast<double>(employees) / 150.0) +
                   0.55 * r.Normal());
      int n = static_cast<int>(std::clamp<std::int64_t>(std::llround(mean), 1, 30));
      infos.push_back(
          {id, domain, &country, n, r.Chance(0.12), static_cast<int>(r.Below(4)), employees});
    }
  }
  // Exactly `contacts` contacts: 0.5% without an account, the rest spread by the draws
  // above, adjusted one at a time to the exact total.
  const long free_contacts = contacts / 200;
  {
    long total = 0;
    for (const auto& a : infos) total += a.contacts;
    const long want = contacts - free_contacts;
    while (total < want) {
      auto& a = infos[r.Below(infos.size())];
      if (a.contacts < 30) ++a.contacts, ++total;
    }
    while (total > want) {
      auto& a = infos[r.Below(infos.size())];
      if (a.contacts > 1) --a.contacts, --total;
    }
  }

  // --- contacts and their events ---
  // Per-send probability of a contact being mailed in slot w: scaled so that the
  // expected number of events is about events_target (about 2.655 events per send).
  double weight_sum = 0;
  for (int w = 0; w < kSlots; ++w) weight_sum += SlotWeight(w);
  const double sends_per_contact =
      static_cast<double>(events_target) / 2.655 / (static_cast<double>(contacts) * 0.95 * 1.0);
  std::array<std::string, kSlots> campaign;
  for (int w = 0; w < kSlots; ++w) campaign[static_cast<std::size_t>(w)] = SlotCampaign(w);

  Out ccsv(dir + "/contacts.csv"), ecsv(dir + "/events.csv");
  Out soft(dir + "/soft_suppressions.sql");
  soft.Raw("-- Soft suppressions with an expiry around NOW (no import path creates them).\n");
  soft.Raw("BEGIN;\n");
  ccsv.Field("email").Field("first_name").Field("last_name").Field("title");
  ccsv.Field("account_id").Field("role").Field("seniority").Field("department");
  ccsv.Field("language").Field("country").Field("timezone").Field("consent");
  ccsv.Field("unsubscribed").Field("lead_score").End();
  ecsv.Field("email").Field("type").Field("at").Field("campaign").Field("bot").Field("detail");
  ecsv.Field("value").End();
  long soft_count = 0;

  auto emit = [&](const std::string& email, SV type, std::int64_t at, const std::string& camp,
                  bool bot, SV detail, SV value) {
    ecsv.Field(email).Field(type).Field(SV(Iso(at))).Field(camp).Field(bot ? "1" : "0");
    ecsv.Field(detail).Field(value).End();
  };

  auto contact = [&](const AccountInfo* a, long serial, std::unordered_set<std::string>& taken) {
    const Country& country = a ? *a->country : PickWeighted(r, kCountries);
    SV first = Pick(r, country.names->first), last = Pick(r, country.names->last);
    std::string local;
    int pattern = a ? a->pattern : 0;
    std::string f = Ascii(first), l = Ascii(last);
    switch (pattern) {
      case 0:
        local = f + "." + l;
        break;
      case 1:
        local = f.substr(0, 1) + "." + l;
        break;
      case 2:
        local = f.substr(0, 1) + l;
        break;
      default:
        local = l + "." + f;
        break;
    }
    std::string domain = a ? a->domain : "freelance-" + std::to_string(serial) + ".example";
    std::string email = local + "@" + domain;
    for (int k = 2; !taken.insert(email).second; ++k)
      email = local + std::to_string(k) + "@" + domain;
    int role = PickWeighted(r, kRoles);
    int seniority = PickWeighted(r, kSeniorityByRole[static_cast<std::size_t>(role)]);
    SV title = Pick(r, kTitlesByRole[static_cast<std::size_t>(role)]);
    SV department = kDepartmentByRole[static_cast<std::size_t>(role)];
    SV language = country.language;
    if (language.substr(0, 2) != "en" && r.Chance(0.08)) language = "en";
    SV consent = PickWeighted(r, kConsents);
    bool unsubscribed = r.Chance(0.02);
    // Engagement class: hot 20%, warm 35%, cold 45%; senior people open less.
    double u = r.Unit();
    double open_p = u < 0.20 ? 0.62 : u < 0.55 ? 0.30 : 0.04;
    double click_p = u < 0.20 ? 0.35 : u < 0.55 ? 0.18 : 0.05;
    double send_factor = u < 0.20 ? 1.6 : u < 0.55 ? 1.0 : 0.76;  // mean 1.0
    if (seniority <= 1) open_p *= 0.8;
    int lead_score =
        static_cast<int>(std::min(99.0, open_p * 120 + static_cast<double>(r.Below(20))));
    ccsv.Field(email).Field(first).Field(last).Field(title);
    ccsv.Field(a ? SV(a->id) : SV());
    ccsv.Field(role == kNoRole ? SV() : kRoleNames[static_cast<std::size_t>(role)]);
    ccsv.Field(kSeniorityNames[static_cast<std::size_t>(seniority)]).Field(department);
    ccsv.Field(language).Field(country.code).Field(country.timezone).Field(consent);
    ccsv.Field(unsubscribed ? "true" : "false").Field(static_cast<std::int64_t>(lead_score)).End();

    // Events. Contacts without consent are never mailed; unsubscribed ones were mailed
    // until some slot.
    if (consent == "none") return;
    const bool bad_address = r.Chance(0.012);
    int stop_after = unsubscribed ? static_cast<int>(r.Below(kSlots)) : -1;  // slots > it only
    const bool scanner = a && a->scanner;
    std::int64_t offset =
        static_cast<std::int64_t>(r.Below(4 * 3600));  // this contact's send minute
    bool stopped = false;
    for (int w = kSlots - 1; w >= 0 && !stopped; --w) {
      if (w <= stop_after) break;
      double p = sends_per_contact * send_factor * SlotWeight(w) / weight_sum;
      if (!r.Chance(p)) continue;
      const std::string& camp = campaign[static_cast<std::size_t>(w)];
      std::int64_t t = SlotTime(w) + offset;
      emit(email, "sent", t, camp, false, "", "");
      if (bad_address) {
        emit(email, "bounced", t + 5 + static_cast<std::int64_t>(r.Below(60)), camp, false, "hard",
             "");
        break;
      }
      if (r.Chance(0.015)) {
        emit(email, "bounced", t + 60 + static_cast<std::int64_t>(r.Below(3600)), camp, false,
             "soft", "");
        continue;
      }
      std::int64_t td = t + 2 + static_cast<std::int64_t>(r.Below(300));
      emit(email, "delivered", td, camp, false, "", "");
      if (scanner) {
        emit(email, "opened", td + 1 + static_cast<std::int64_t>(r.Below(20)), camp, true, "", "");
        if (r.Chance(0.6))
          emit(email, "clicked", td + 21 + static_cast<std::int64_t>(r.Below(20)), camp, true,
               Pick(r, kLinks), "");
      }
      if (r.Chance(open_p)) {
        // Opened within minutes to three days, never after NOW.
        std::int64_t to = td + 120 + static_cast<std::int64_t>(r.Below(3 * kDay));
        to = std::min(to, kNow - 60);
        emit(email, "opened", to, camp, false, "", "");
        if (r.Chance(0.35)) {
          std::int64_t t2 =
              std::min(to + 3600 + static_cast<std::int64_t>(r.Below(2 * kDay)), kNow - 30);
          if (t2 > to) emit(email, "opened", t2, camp, false, "", "");
        }
        if (r.Chance(click_p)) {
          std::int64_t tc = std::min(to + 5 + static_cast<std::int64_t>(r.Below(600)), kNow - 20);
          if (tc > to) {
            emit(email, "clicked", tc, camp, false, Pick(r, kLinks), "");
            if (r.Chance(0.05)) {
              SV kind = PickWeighted(r, kConversions);
              std::int64_t tv =
                  std::min(tc + static_cast<std::int64_t>(r.Below(2 * kDay)), kNow - 10);
              std::string value = kind == "deal"          ? std::to_string(5000 + r.Below(95000))
                                  : kind == "opportunity" ? std::to_string(1000 + r.Below(20000))
                                                          : "";
              if (tv > tc) emit(email, "converted", tv, camp, false, kind, value);
            }
          }
        }
      }
      if (r.Chance(0.002)) {
        emit(email, "unsubscribed", td + 600 + static_cast<std::int64_t>(r.Below(kDay)), camp,
             false, "", "");
        stopped = true;
      } else if (r.Chance(0.0004)) {
        emit(email, "complained", td + 600 + static_cast<std::int64_t>(r.Below(kDay)), camp, false,
             "", "");
        stopped = true;
      }
    }
    // Soft suppressions (issue 8): 0.3% of contacts, expiring between 30 days before
    // and 30 days after NOW, so about half are still in force.
    if (r.Chance(0.003)) {
      std::int64_t expires = kNow - 30 * kDay + static_cast<std::int64_t>(r.Below(60 * kDay));
      soft.Raw(
          "INSERT OR IGNORE INTO suppressions (email, reason, created_at, expires_at) VALUES ('" +
          email + "', 'soft-bounce', " + std::to_string(expires - 14 * kDay) + ", " +
          std::to_string(expires) + ");\n");
      ++soft_count;
    }
  };

  long serial = 0;
  for (const auto& a : infos) {
    std::unordered_set<std::string> taken;
    for (int k = 0; k < a.contacts; ++k) contact(&a, serial++, taken);
  }
  {
    std::unordered_set<std::string> taken;
    for (long k = 0; k < free_contacts; ++k) contact(nullptr, serial++, taken);
  }
  soft.Raw("COMMIT;\n");
  std::printf(
      "generated %ld accounts, %ld contacts (%ld without account), %ld events, %ld soft "
      "suppressions\n",
      accounts, ccsv.rows() - 1, free_contacts, ecsv.rows() - 1, soft_count);
  return 0;
}
