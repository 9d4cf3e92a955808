#include "b2bmail/ingest/importer.h"

#include <algorithm>
#include <utility>

#include "account_row_parser.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/csv_reader.h"
#include "b2bmail/ingest/reject_writer.h"
#include "column_map.h"
#include "contact_row_parser.h"
#include "event_row_parser.h"

namespace b2bmail::ingest {
namespace {

// One data row of the current batch, valid or not, kept until the batch is stored so
// that rejects (from validation or from the store) are written in file order with the
// row's original fields.
struct PendingRow {
  std::int64_t line = 0;
  std::vector<std::string> fields;  // swapped with the reader's record: no copies
  bool raw = false;                 // malformed: `raw_text` instead of fields
  std::string raw_text;
  std::string reason;  // set when rejected before the store
  std::size_t slot = 0;
  bool to_store = false;
};

std::string LinePrefix(std::int64_t line) { return "line " + std::to_string(line) + ": "; }

// Reads data records, validates them with `parser`, stores them in batches and reports.
template <typename Parser>
class BatchImporter {
 public:
  BatchImporter(store::Database& db, Parser& parser, const ColumnMap& columns,
                const std::vector<std::string>& header, const ImportOptions& options,
                CsvReader& reader, RejectWriter& rejects, ImportReport& report)
      : header_(header),
        db_(db),
        parser_(parser),
        columns_(columns),
        options_(options),
        reader_(reader),
        rejects_(rejects),
        report_(report),
        batch_rows_(std::max<std::size_t>(options.batch_rows, 1)) {}

  void Run() {
    CsvRecord record;
    while (reader_.Next(record)) {
      Add(record);
      if (pending_count_ == batch_rows_) Flush();
    }
    Flush();
  }

 private:
  void Add(CsvRecord& record) {
    if (pending_.size() <= pending_count_) pending_.emplace_back();
    PendingRow& p = pending_[pending_count_];
    p.line = record.line;
    p.raw = false;
    p.to_store = false;
    p.reason.clear();
    const std::size_t width = columns_.width();

    if (!record.error.empty() || record.size != width) {
      p.raw = true;
      p.raw_text.assign(record.raw);
      p.reason = LinePrefix(record.line);
      if (!record.error.empty()) {
        std::size_t col = record.error_column;
        p.reason += "malformed CSV in column " + std::to_string(col);
        if (col >= 1 && col <= width) {
          // The header's name for the column helps find it in a wide file.
          p.reason += " (" + std::string(base::Trim(header_[col - 1])) + ")";
        }
        p.reason += ": " + record.error;
      } else {
        p.reason += std::to_string(record.size) + (record.size == 1 ? " field" : " fields") +
                    " but the header has " + std::to_string(width);
      }
      p.reason += "; the raw line is in the first column";
      ++report_.rows;
      ++pending_count_;
      return;
    }

    bool all_empty = true;
    for (std::size_t i = 0; i < width && all_empty; ++i)
      all_empty = base::Trim(record.fields[i]).empty();
    if (all_empty) return;  // `,,,,` rows from spreadsheets: treated like blank lines

    std::swap(p.fields, record.fields);
    ++report_.rows;
    ++pending_count_;
    const RowProblems& problems =
        parser_.Parse(std::span<const std::string>(p.fields.data(), width), stored_count_);
    if (!problems.empty()) {
      p.reason = LinePrefix(p.line) + problems.text();
      return;
    }
    p.slot = stored_count_++;
    p.to_store = true;
  }

  void Flush() {
    if (pending_count_ == 0) return;
    std::vector<store::RowResult> results;
    if (stored_count_ > 0) results = parser_.Store(db_, stored_count_);
    const std::size_t width = columns_.width();
    for (std::size_t i = 0; i < pending_count_; ++i) {
      PendingRow& p = pending_[i];
      if (p.to_store) {
        store::RowResult& r = results[p.slot];
        switch (r.status) {
          case store::RowResult::Status::kInserted:
            ++report_.inserted;
            continue;
          case store::RowResult::Status::kUpdated:
            ++report_.updated;
            continue;
          case store::RowResult::Status::kUnchanged:
            ++report_.unchanged;
            continue;
          case store::RowResult::Status::kRejected:
            p.reason = LinePrefix(p.line) + r.reason;
            break;
        }
      }
      ++report_.rejected;
      if (p.raw)
        rejects_.WriteRaw(p.raw_text, p.line, p.reason);
      else
        rejects_.WriteFields(std::span<const std::string>(p.fields.data(), width), p.line,
                             p.reason);
    }
    pending_count_ = 0;
    stored_count_ = 0;
    if (options_.progress) options_.progress(reader_.bytes_done(), reader_.size());
  }

  const std::vector<std::string>& header_;
  store::Database& db_;
  Parser& parser_;
  const ColumnMap& columns_;
  const ImportOptions& options_;
  CsvReader& reader_;
  RejectWriter& rejects_;
  ImportReport& report_;
  const std::size_t batch_rows_;
  std::vector<PendingRow> pending_;
  std::size_t pending_count_ = 0;
  std::size_t stored_count_ = 0;
};

template <typename Parser>
void RunBatches(store::Database& db, Parser& parser, const ColumnMap& columns,
                const ImportOptions& options, CsvReader& reader, RejectWriter& rejects,
                const std::vector<std::string>& header, ImportReport& report) {
  BatchImporter<Parser>(db, parser, columns, header, options, reader, rejects, report).Run();
}

}  // namespace

std::string_view ToString(ImportKind kind) {
  switch (kind) {
    case ImportKind::kAccounts:
      return "accounts";
    case ImportKind::kContacts:
      return "contacts";
    case ImportKind::kEvents:
      return "events";
  }
  return "accounts";
}

ImportReport ImportFile(store::Database& db, ImportKind kind, const std::string& path,
                        const ImportOptions& options) {
  ImportReport report;
  const std::string rejects_path =
      options.rejects_path.empty() ? path + ".rejects.csv" : options.rejects_path;
  CsvReader reader(path);

  CsvRecord header;
  auto& diags = report.diagnostics;
  if (!reader.Next(header)) {
    diags.Error(path, {1, 0}, "empty-file",
                "the file is empty; it needs a header row naming its columns");
  } else if (reader.utf16()) {
    diags.Error(path, {1, 0}, "not-utf8",
                "the file is UTF-16; save it as CSV UTF-8 (comma delimited)");
  } else if (!header.error.empty()) {
    diags.Error(path, {static_cast<int>(header.line), static_cast<int>(header.error_column)},
                "malformed-header", "the header row is not valid CSV: " + header.error);
  }
  ColumnMap columns;
  if (!diags.HasErrors()) columns = ResolveHeader(kind, header, path, diags);

  std::vector<std::string> header_fields(header.fields.begin(),
                                         header.fields.begin() + header.size);
  RejectWriter rejects(rejects_path, header_fields);
  if (diags.HasErrors()) {
    rejects.Finish();  // a stale rejects file describes another run
    return report;
  }

  switch (kind) {
    case ImportKind::kAccounts: {
      AccountRowParser parser(columns);
      RunBatches(db, parser, columns, options, reader, rejects, header_fields, report);
      break;
    }
    case ImportKind::kContacts: {
      // Once per import: account ids and domains for checking and filling account_id.
      store::AccountDirectory directory = db.LoadAccountDirectory();
      ContactRowParser parser(columns, directory);
      RunBatches(db, parser, columns, options, reader, rejects, header_fields, report);
      break;
    }
    case ImportKind::kEvents: {
      EventRowParser parser(columns);
      RunBatches(db, parser, columns, options, reader, rejects, header_fields, report);
      break;
    }
  }
  rejects.Finish();
  if (rejects.rows() > 0) report.rejects_path = rejects_path;
  if (options.progress) options.progress(reader.size(), reader.size());
  return report;
}

}  // namespace b2bmail::ingest
