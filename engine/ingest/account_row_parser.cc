#include "account_row_parser.h"

#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/field_validators.h"

namespace b2bmail::ingest {

AccountRowParser::AccountRowParser(const ColumnMap& columns) : columns_(columns) {
  present_.name = columns.has(kAccountName);
  present_.domains = columns.has(kAccountDomains);
  present_.industry = columns.has(kAccountIndustry);
  present_.employees = columns.has(kAccountEmployees);
  present_.country = columns.has(kAccountCountry);
  present_.timezone = columns.has(kAccountTimezone);
  present_.stage = columns.has(kAccountStage);
  present_.tier = columns.has(kAccountTier);
  present_.buying_step = columns.has(kAccountBuyingStep);
  present_.purchase_type = columns.has(kAccountPurchaseType);
}

const RowProblems& AccountRowParser::Parse(std::span<const std::string> fields, std::size_t slot) {
  if (rows_.size() <= slot) rows_.resize(slot + 1);
  model::Account& a = rows_[slot];
  problems_.Clear();
  const ColumnMap& c = columns_;

  std::string_view id = c.Cell(fields, kAccountId);
  a.id.assign(id);
  if (id.empty()) problems_.Add("id", "", "is required");
  for (char ch : id) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
      problems_.Add("id", id, "contains a control character");
      break;
    }
  }
  a.name.assign(c.Cell(fields, kAccountName));
  a.industry.assign(c.Cell(fields, kAccountIndustry));

  a.domains.clear();
  if (std::string_view d = c.Cell(fields, kAccountDomains); !d.empty()) {
    auto v = CheckDomainList(d);
    if (v.ok())
      a.domains = std::move(v.value);
    else
      problems_.Add("domains", d, v.problem);
  }
  a.employees.reset();
  if (std::string_view e = c.Cell(fields, kAccountEmployees); !e.empty()) {
    auto v = CheckNonNegativeInteger(e);
    if (v.ok())
      a.employees = v.value;
    else
      problems_.Add("employees", e, v.problem);
  }
  a.country.clear();
  if (std::string_view t = c.Cell(fields, kAccountCountry); !t.empty()) {
    auto v = CheckCountry(t);
    if (v.ok())
      a.country = std::move(v.value);
    else
      problems_.Add("country", t, v.problem);
  }
  a.timezone.clear();
  if (std::string_view t = c.Cell(fields, kAccountTimezone); !t.empty()) {
    auto v = CheckTimezone(t);
    if (v.ok())
      a.timezone = std::move(v.value);
    else
      problems_.Add("timezone", t, v.problem);
  }
  ParseEnum(c, fields, kAccountStage, a.stage, problems_);
  ParseEnum(c, fields, kAccountTier, a.tier, problems_);
  ParseEnum(c, fields, kAccountBuyingStep, a.buying_step, problems_);
  ParseEnum(c, fields, kAccountPurchaseType, a.purchase_type, problems_);

  a.attrs.resize(c.custom().size());
  for (std::size_t i = 0; i < c.custom().size(); ++i) {
    a.attrs[i].first = c.custom()[i].name;
    a.attrs[i].second.assign(base::Trim(fields[c.custom()[i].index]));
  }
  return problems_;
}

std::vector<store::RowResult> AccountRowParser::Store(store::Database& db, std::size_t count) {
  return db.UpsertAccounts(std::span<const model::Account>(rows_.data(), count), present_);
}

}  // namespace b2bmail::ingest
