#include "b2bmail/ingest/importer.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "account_row_parser.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/ingest/csv_reader.h"
#include "b2bmail/ingest/reject_writer.h"
#include "column_map.h"
#include "contact_row_parser.h"
#include "event_row_parser.h"
#include "import_file.h"

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

// One batch of data rows, valid or not, with the parser that validated them. Two
// batches alternate: while the importing thread stores one, a reader thread parses
// and validates the next (CSV parsing and validation cost about as much as SQLite's
// inserts, so the two cores overlap them).
template <typename Parser>
struct Batch {
  explicit Batch(Parser p) : parser(std::move(p)) {}
  Parser parser;
  std::vector<PendingRow> pending;
  std::size_t pending_count = 0;
  std::size_t stored_count = 0;
  std::int64_t rows = 0;
  std::uint64_t bytes_done = 0;
};

// Reads data records, validates them, stores them in batches (in file order) and reports.
template <typename Parser>
class BatchImporter {
 public:
  BatchImporter(store::Database& db, const Parser& parser, const ColumnMap& columns,
                const std::vector<std::string>& header, const ImportOptions& options,
                CsvReader& reader, RejectWriter& rejects, ImportReport& report)
      : header_(header),
        db_(db),
        columns_(columns),
        options_(options),
        reader_(reader),
        rejects_(rejects),
        report_(report),
        batch_rows_(std::max<std::size_t>(options.batch_rows, 1)),
        batches_{Batch<Parser>(parser), Batch<Parser>(parser)} {}

  void Run() {
    std::thread producer([this] { Produce(); });
    try {
      for (std::size_t turn = 0;; ++turn) {
        Batch<Parser>& b = batches_[turn % 2];
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, [&] { return filled_ > turn || done_; });
          if (filled_ <= turn) break;  // the reader finished (or failed) before this batch
        }
        Flush(b);
        {
          std::lock_guard lock(mutex_);
          ++stored_;
        }
        changed_.notify_all();
      }
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
      }
      changed_.notify_all();
      producer.join();
      throw;
    }
    producer.join();
    if (reader_error_) std::rethrow_exception(reader_error_);
  }

 private:
  // The reader thread: fills batches alternately, never more than one ahead of the store.
  void Produce() {
    try {
      CsvRecord record;
      bool more = true;
      for (std::size_t turn = 0; more; ++turn) {
        {
          std::unique_lock lock(mutex_);
          // Batch turn % 2 is free once the batch two turns back has been stored.
          changed_.wait(lock, [&] { return cancelled_ || turn < stored_ + 2; });
          if (cancelled_) return;
        }
        Batch<Parser>& b = batches_[turn % 2];
        b.pending_count = b.stored_count = 0;
        b.rows = 0;
        while (b.pending_count < batch_rows_ && (more = reader_.Next(record))) Add(b, record);
        b.bytes_done = reader_.bytes_done();
        if (b.pending_count == 0) break;
        {
          std::lock_guard lock(mutex_);
          ++filled_;
        }
        changed_.notify_all();
      }
    } catch (...) {
      reader_error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }

  void Add(Batch<Parser>& b, CsvRecord& record) {
    if (b.pending.size() <= b.pending_count) b.pending.emplace_back();
    PendingRow& p = b.pending[b.pending_count];
    p.line = record.line;
    p.raw = false;
    p.to_store = false;
    p.reason.clear();
    const std::size_t width = columns_.width();

    if (!record.error.empty() || record.size != width) {
      p.raw = true;
      p.raw_text.assign(record.raw);
      p.reason = MalformedRowReason(record, header_);
      ++b.rows;
      ++b.pending_count;
      return;
    }

    bool all_empty = true;
    for (std::size_t i = 0; i < width && all_empty; ++i)
      all_empty = base::Trim(record.fields[i]).empty();
    if (all_empty) return;  // `,,,,` rows from spreadsheets: treated like blank lines

    std::swap(p.fields, record.fields);
    ++b.rows;
    ++b.pending_count;
    const RowProblems& problems =
        b.parser.Parse(std::span<const std::string>(p.fields.data(), width), b.stored_count);
    if (!problems.empty()) {
      p.reason = LinePrefix(p.line) + problems.text();
      return;
    }
    p.slot = b.stored_count++;
    p.to_store = true;
  }

  void Flush(Batch<Parser>& b) {
    report_.rows += b.rows;
    std::vector<store::RowResult> results;
    if (b.stored_count > 0) results = b.parser.Store(db_, b.stored_count);
    const std::size_t width = columns_.width();
    for (std::size_t i = 0; i < b.pending_count; ++i) {
      PendingRow& p = b.pending[i];
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
    if (options_.progress) options_.progress(b.bytes_done, reader_.size());
  }

  const std::vector<std::string>& header_;
  store::Database& db_;
  const ColumnMap& columns_;
  const ImportOptions& options_;
  CsvReader& reader_;  // used only by the reader thread once Run() starts
  RejectWriter& rejects_;
  ImportReport& report_;
  const std::size_t batch_rows_;
  Batch<Parser> batches_[2];

  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t filled_ = 0;  // batches handed to the store so far
  std::size_t stored_ = 0;  // batches stored so far
  bool done_ = false;       // the reader thread has finished
  bool cancelled_ = false;  // the store failed; the reader thread must stop
  std::exception_ptr reader_error_;
};

template <typename Parser>
void RunBatches(store::Database& db, const Parser& parser, const ColumnMap& columns,
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
  ColumnMap columns;
  if (ReadFirstRecord(reader, header, path, "a header row naming its columns", diags))
    columns = ResolveHeader(kind, header, path, diags);

  std::vector<std::string> header_fields(header.fields.begin(),
                                         header.fields.begin() + header.size);
  reader.set_expected_fields(header.size);
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
  // Segment queries choose their indexes by these statistics.
  if (report.inserted + report.updated > 0) db.RefreshStatistics();
  if (options.progress) options.progress(reader.size(), reader.size());
  return report;
}

}  // namespace b2bmail::ingest
