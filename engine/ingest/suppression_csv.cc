#include "b2bmail/ingest/suppression_csv.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/ingest/csv_reader.h"
#include "b2bmail/ingest/field_validators.h"
#include "b2bmail/ingest/reject_writer.h"
#include "import_file.h"

namespace b2bmail::ingest {
namespace {

enum Column { kEmail, kReason, kCreated, kExpires, kColumnCount };

// Header names per column, normalised (NormaliseName); the first present one is used.
const std::array<std::vector<std::string_view>, kColumnCount> kNames = {{
    {"email", "emailaddress", "mail", "address", "recipient"},
    {"reason", "suppressionreason", "type", "bouncetype", "status", "note", "comment"},
    {"createdat", "created", "date", "dateadded", "added", "suppressedat", "timestamp"},
    {"expiresat", "expires", "expiry", "expiration", "expirationdate", "until"},
}};
constexpr std::array<std::string_view, kColumnCount> kLabels = {"email", "reason", "created_at",
                                                                "expires_at"};

// Lower case without spaces, '_' and '-': "E-Mail Address" -> "emailaddress".
std::string NormaliseName(std::string_view name) {
  std::string out;
  for (char c : base::Trim(name))
    if (c != ' ' && c != '_' && c != '-') out += c;
  return base::AsciiLower(out);
}

// Where each column is in the file; -1 when absent.
struct Layout {
  std::array<int, kColumnCount> index{-1, -1, -1, -1};
  bool header = true;  // the first record is a header, not data
};

Layout ResolveLayout(const CsvRecord& first, const std::string& path, base::Diagnostics& diags) {
  Layout layout;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < first.size; ++i) names.push_back(NormaliseName(first[i]));
  for (int column = 0; column < kColumnCount; ++column)
    for (auto wanted : kNames[column]) {
      auto it = std::find(names.begin(), names.end(), wanted);
      if (it == names.end()) continue;
      layout.index[column] = static_cast<int>(it - names.begin());
      break;
    }
  if (layout.index[kEmail] >= 0) return layout;
  layout.index[kEmail] = 0;
  if (first.size > 0 && CheckEmail(base::Trim(first[0])).ok()) {
    // A bare list of addresses: no header, nothing else to read.
    layout.header = false;
    layout.index = {0, -1, -1, -1};
    return layout;
  }
  diags.Warning(path, {static_cast<int>(first.line), 1}, "no-email-column",
                "the header names no email column; reading addresses from the first column (" +
                    QuoteForMessage(first.size ? first[0] : "") + ")");
  return layout;
}

// ISO 8601 as base::ParseIso8601 reads it, or unix seconds.
std::optional<base::TimePoint> ParseTime(std::string_view text) {
  if (auto t = base::ParseIso8601(text)) return t;
  if (text.size() < 9 || text.size() > 11) return std::nullopt;
  std::int64_t seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return base::TimePoint{std::chrono::seconds{seconds}};
}

}  // namespace

ImportReport ImportSuppressions(store::Database& db, const std::string& path,
                                const SuppressionImportOptions& options) {
  ImportReport report;
  const std::string rejects_path =
      options.rejects_path.empty() ? path + ".rejects.csv" : options.rejects_path;
  CsvReader reader(path);
  CsvRecord record;
  auto& diags = report.diagnostics;
  Layout layout;
  if (ReadFirstRecord(reader, record, path, "at least one address", diags))
    layout = ResolveLayout(record, path, diags);
  const std::size_t width = record.size;
  std::vector<std::string> header(record.fields.begin(), record.fields.begin() + width);
  if (!layout.header) {
    // The rejects file still gets a header, naming the address column so that a fixed
    // file imports again.
    for (std::size_t i = 0; i < width; ++i)
      header[i] = i == 0 ? "email" : "column_" + std::to_string(i + 1);
  }
  reader.set_expected_fields(width);
  RejectWriter rejects(rejects_path, header);
  if (diags.HasErrors()) {
    rejects.Finish();  // a stale rejects file describes another run
    return report;
  }

  std::vector<store::Suppression> rows;
  bool pending = !layout.header;  // `record` holds the first data row
  while (pending || reader.Next(record)) {
    pending = false;
    if (!record.error.empty() || record.size != width) {
      ++report.rows;
      rejects.WriteRaw(record.raw, record.line, MalformedRowReason(record, header));
      continue;
    }
    auto cell = [&](Column c) {
      return layout.index[c] < 0 ? std::string_view() : base::Trim(record[layout.index[c]]);
    };
    bool all_empty = true;
    for (std::size_t i = 0; i < width && all_empty; ++i) all_empty = base::Trim(record[i]).empty();
    if (all_empty) continue;  // `,,,` rows from spreadsheets
    ++report.rows;

    std::vector<std::string> problems;
    store::Suppression s;
    s.source = store::SuppressionSource::kImport;
    auto email = CheckEmail(cell(kEmail));
    if (email.ok())
      s.email = email.value;
    else
      problems.push_back("email " + QuoteForMessage(cell(kEmail)) + " " + email.problem);
    s.reason = cell(kReason).empty() ? "imported" : std::string(cell(kReason));
    s.created_at = options.now;
    for (Column c : {kCreated, kExpires}) {
      if (cell(c).empty()) continue;
      auto t = ParseTime(cell(c));
      if (!t) {
        problems.push_back(std::string(kLabels[c]) + " " + QuoteForMessage(cell(c)) +
                           " is not a time (ISO 8601 like 2026-11-23T09:00:00Z, a date, or "
                           "unix seconds)");
      } else if (c == kCreated) {
        s.created_at = *t;
      } else {
        s.expires_at = *t;
      }
    }
    if (!problems.empty()) {
      rejects.WriteFields(
          std::span<const std::string>(record.fields.data(), width), record.line,
          "line " + std::to_string(record.line) + ": " + base::Join(problems, "; "));
      continue;
    }
    rows.push_back(std::move(s));
  }
  report.rejected = rejects.rows();
  rejects.Finish();
  if (report.rejected > 0) report.rejects_path = rejects_path;
  for (const auto& r : db.AddSuppressions(rows)) {
    switch (r.status) {
      case store::RowResult::Status::kInserted:
        ++report.inserted;
        break;
      case store::RowResult::Status::kUpdated:
        ++report.updated;
        break;
      default:
        ++report.unchanged;
        break;
    }
  }
  return report;
}

void WriteSuppressionCsv(std::ostream& out, std::span<const store::Suppression> rows) {
  std::string line = "email,reason,created_at,expires_at\n";
  for (const auto& s : rows) {
    AppendCsvField(line, s.email);
    line += ',';
    AppendCsvField(line, s.reason);
    line += ',' + base::FormatIso8601(s.created_at) + ',';
    if (s.expires_at) line += base::FormatIso8601(*s.expires_at);
    line += '\n';
    out << line;
    line.clear();
  }
  if (!line.empty()) out << line;
}

}  // namespace b2bmail::ingest
