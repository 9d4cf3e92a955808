#include "recipient_writer.h"

#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/csv_reader.h"

namespace b2bmail::cli {
namespace {

constexpr const char* kColumns[] = {"email",
                                    "account_id",
                                    "first_name",
                                    "last_name",
                                    "title",
                                    "role",
                                    "seniority",
                                    "department",
                                    "language",
                                    "country",
                                    "timezone",
                                    "consent",
                                    "account_name",
                                    "account_domains",
                                    "account_industry",
                                    "account_employees",
                                    "account_country",
                                    "account_timezone",
                                    "account_stage",
                                    "account_tier",
                                    "account_buying_step",
                                    "account_purchase_type",
                                    "contact_attrs",
                                    "account_attrs"};
constexpr std::size_t kColumnCount = std::size(kColumns);

template <typename E>
std::string EnumText(const std::optional<E>& v) {
  return v ? std::string(model::Name(*v)) : "";
}

std::string AttributesJson(const model::Attributes& attrs) {
  std::string out = "{";
  for (const auto& [k, v] : attrs)
    out += (out.size() > 1 ? "," : "") + base::JsonQuote(k) + ":" + base::JsonQuote(v);
  return out + "}";
}

// Every column as text; `known[i]` false where the value is unknown (JSON null).
void Fields(const store::Recipient& r, std::string (&f)[kColumnCount],
            bool (&known)[kColumnCount]) {
  const auto& c = r.contact;
  for (auto& k : known) k = true;
  f[0] = c.email;
  f[1] = c.account_id;
  f[2] = c.first_name;
  f[3] = c.last_name;
  f[4] = c.title;
  f[5] = EnumText(c.role);
  f[6] = EnumText(c.seniority);
  f[7] = c.department;
  f[8] = c.language;
  f[9] = c.country;
  f[10] = c.timezone;
  f[11] = std::string(model::Name(c.consent));
  f[22] = AttributesJson(c.attrs);
  known[1] = !c.account_id.empty();
  known[5] = c.role.has_value();
  known[6] = c.seniority.has_value();
  if (!r.account) {
    for (std::size_t i = 12; i < 22; ++i) known[i] = false;
    known[23] = false;
    return;
  }
  const auto& a = *r.account;
  f[12] = a.name;
  f[13] = base::Join(a.domains, " ");
  f[14] = a.industry;
  f[15] = a.employees ? std::to_string(*a.employees) : "";
  f[16] = a.country;
  f[17] = a.timezone;
  f[18] = EnumText(a.stage);
  f[19] = EnumText(a.tier);
  f[20] = EnumText(a.buying_step);
  f[21] = EnumText(a.purchase_type);
  f[23] = AttributesJson(a.attrs);
  known[15] = a.employees.has_value();
  known[18] = a.stage.has_value();
  known[19] = a.tier.has_value();
  known[20] = a.buying_step.has_value();
  known[21] = a.purchase_type.has_value();
}

}  // namespace

RecipientWriter::RecipientWriter(std::ostream& out, ExportFormat format)
    : out_(out), format_(format) {
  if (format_ != ExportFormat::kCsv) return;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (i) buffer_ += ',';
    buffer_ += kColumns[i];
  }
  buffer_ += "\n";
}

RecipientWriter::~RecipientWriter() { Flush(); }

void RecipientWriter::Flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_.flush();
  buffer_.clear();
}

void RecipientWriter::Write(const store::Recipient& r) {
  std::string f[kColumnCount];
  bool known[kColumnCount];
  Fields(r, f, known);
  if (format_ == ExportFormat::kCsv) {
    for (std::size_t i = 0; i < kColumnCount; ++i) {
      if (i) buffer_ += ',';
      ingest::AppendCsvField(buffer_, f[i]);
    }
    buffer_ += "\n";
  } else {
    buffer_ += '{';
    for (std::size_t i = 0; i < kColumnCount; ++i) {
      if (i) buffer_ += ',';
      bool object = i >= 22;  // the attribute columns are JSON objects already
      std::string name = object ? (i == 22 ? "contact_attrs" : "account_attrs") : kColumns[i];
      buffer_ += base::JsonQuote(name) + ":";
      if (!known[i])
        buffer_ += "null";
      else if (object)
        buffer_ += f[i];
      else if (i == 15)
        buffer_ += f[i];  // employees: a number
      else
        buffer_ += base::JsonQuote(f[i]);
    }
    buffer_ += "}\n";
  }
  if (buffer_.size() > (1 << 16)) Flush();
}

}  // namespace b2bmail::cli
