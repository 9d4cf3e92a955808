#include "contact_row_parser.h"

#include <unordered_map>

#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/field_validators.h"

namespace b2bmail::ingest {
namespace {

constexpr std::uint8_t kSetsConsent = 1;
constexpr std::uint8_t kSetsAccount = 2;

}  // namespace

ContactRowParser::ContactRowParser(const ColumnMap& columns,
                                   const store::AccountDirectory& directory)
    : columns_(columns), directory_(directory) {
  present_.first_name = columns.has(kContactFirstName);
  present_.last_name = columns.has(kContactLastName);
  present_.title = columns.has(kContactTitle);
  present_.account_id = columns.has(kContactAccountId);
  present_.role = columns.has(kContactRole);
  present_.seniority = columns.has(kContactSeniority);
  present_.department = columns.has(kContactDepartment);
  present_.language = columns.has(kContactLanguage);
  present_.country = columns.has(kContactCountry);
  present_.timezone = columns.has(kContactTimezone);
  present_.consent = columns.has(kContactConsent);
  present_.unsubscribed = columns.has(kContactUnsubscribed);
}

const std::string* ContactRowParser::AccountForDomain(std::string_view domain) {
  // sales.example.com is matched by an account owning example.com, but never by a
  // bare top-level domain.
  while (domain.find('.') != std::string_view::npos) {
    domain_key_.assign(domain);
    auto it = directory_.account_by_domain.find(domain_key_);
    if (it != directory_.account_by_domain.end()) return &it->second;
    domain.remove_prefix(domain.find('.') + 1);
  }
  return nullptr;
}

const RowProblems& ContactRowParser::Parse(std::span<const std::string> fields, std::size_t slot) {
  if (rows_.size() <= slot) {
    rows_.resize(slot + 1);
    keys_.resize(slot + 1);
  }
  model::Contact& c = rows_[slot];
  problems_.Clear();
  const ColumnMap& m = columns_;

  std::string_view email = m.Cell(fields, kContactEmail);
  c.email.clear();
  if (email.empty()) {
    problems_.Add("email", "", "is required");
  } else {
    auto v = CheckEmail(email);
    if (v.ok())
      c.email = std::move(v.value);
    else
      problems_.Add("email", email, v.problem);
  }
  c.first_name.assign(m.Cell(fields, kContactFirstName));
  c.last_name.assign(m.Cell(fields, kContactLastName));
  c.title.assign(m.Cell(fields, kContactTitle));
  c.department.assign(m.Cell(fields, kContactDepartment));

  std::uint8_t key = 0;
  std::string_view account = m.Cell(fields, kContactAccountId);
  c.account_id.assign(account);
  if (!account.empty()) {
    key |= kSetsAccount;
    if (!directory_.ids.contains(c.account_id))
      problems_.Add("account_id", account, "names no account (import the accounts first)");
  } else {
    if (m.has(kContactAccountId)) key |= kSetsAccount;  // an empty cell means "no account"
    if (!c.email.empty()) {
      if (const std::string* owner = AccountForDomain(c.email.substr(c.email.find('@') + 1))) {
        c.account_id = *owner;
        key |= kSetsAccount;
      }
    }
  }

  ParseEnum(m, fields, kContactRole, c.role, problems_);
  ParseEnum(m, fields, kContactSeniority, c.seniority, problems_);

  c.language.clear();
  if (std::string_view t = m.Cell(fields, kContactLanguage); !t.empty()) {
    auto v = CheckLanguage(t);
    if (v.ok())
      c.language = std::move(v.value);
    else
      problems_.Add("language", t, v.problem);
  }
  c.country.clear();
  if (std::string_view t = m.Cell(fields, kContactCountry); !t.empty()) {
    auto v = CheckCountry(t);
    if (v.ok())
      c.country = std::move(v.value);
    else
      problems_.Add("country", t, v.problem);
  }
  c.timezone.clear();
  if (std::string_view t = m.Cell(fields, kContactTimezone); !t.empty()) {
    auto v = CheckTimezone(t);
    if (v.ok())
      c.timezone = std::move(v.value);
    else
      problems_.Add("timezone", t, v.problem);
  }
  c.consent = model::Consent::kNone;
  if (std::string_view t = m.Cell(fields, kContactConsent); !t.empty()) {
    key |= kSetsConsent;
    auto v = CheckEnum<model::Consent>(t);
    if (v.ok())
      c.consent = v.value;
    else
      problems_.Add("consent", t, v.problem);
  }
  c.unsubscribed = false;
  if (std::string_view t = m.Cell(fields, kContactUnsubscribed); !t.empty()) {
    auto v = CheckBool(t);
    if (v.ok())
      c.unsubscribed = v.value;
    else
      problems_.Add("unsubscribed", t, v.problem);
  }

  c.attrs.resize(m.custom().size());
  for (std::size_t i = 0; i < m.custom().size(); ++i) {
    c.attrs[i].first = m.custom()[i].name;
    c.attrs[i].second.assign(base::Trim(fields[m.custom()[i].index]));
  }
  keys_[slot] = key;
  return problems_;
}

store::ContactColumns ContactRowParser::ColumnsFor(std::uint8_t key) const {
  store::ContactColumns cols = present_;
  cols.consent = (key & kSetsConsent) != 0;
  cols.account_id = (key & kSetsAccount) != 0;
  return cols;
}

std::vector<store::RowResult> ContactRowParser::Store(store::Database& db, std::size_t count) {
  // The store takes one set of columns per call, but two columns depend on the row: an
  // empty consent keeps a stored contact's consent, and a domain match fills account_id
  // even when the file has no such column. Rows are therefore written in groups of equal
  // columns. Grouping reorders rows, which only matters when one e-mail appears in two
  // groups of the batch; then consecutive runs are written instead, keeping file order.
  std::span<const model::Contact> all(rows_.data(), count);
  bool uniform = true;
  for (std::size_t i = 1; i < count && uniform; ++i) uniform = keys_[i] == keys_[0];
  if (count == 0 || uniform) return db.UpsertContacts(all, ColumnsFor(count ? keys_[0] : 0));

  bool group = true;
  {
    std::unordered_map<std::string, std::uint8_t> key_of;
    for (std::size_t i = 0; i < count && group; ++i) {
      auto [it, added] = key_of.emplace(base::AsciiLower(rows_[i].email), keys_[i]);
      group = added || it->second == keys_[i];
    }
  }
  std::vector<store::RowResult> results(count);
  auto write = [&](const std::vector<std::size_t>& slots, std::uint8_t key) {
    std::vector<model::Contact> batch;
    batch.reserve(slots.size());
    for (std::size_t s : slots) batch.push_back(rows_[s]);
    auto r = db.UpsertContacts(batch, ColumnsFor(key));
    for (std::size_t k = 0; k < slots.size(); ++k) results[slots[k]] = std::move(r[k]);
  };
  if (group) {
    for (std::uint8_t key = 0; key < 4; ++key) {
      std::vector<std::size_t> slots;
      for (std::size_t i = 0; i < count; ++i)
        if (keys_[i] == key) slots.push_back(i);
      if (!slots.empty()) write(slots, key);
    }
  } else {
    std::size_t start = 0;
    for (std::size_t i = 1; i <= count; ++i) {
      if (i < count && keys_[i] == keys_[start]) continue;
      std::vector<std::size_t> slots;
      for (std::size_t k = start; k < i; ++k) slots.push_back(k);
      write(slots, keys_[start]);
      start = i;
    }
  }
  return results;
}

}  // namespace b2bmail::ingest
