#include "attempt_log.h"

#include <filesystem>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"

namespace b2bmail::cli {

AttemptLog::AttemptLog(const std::string& path) {
  if (path.empty()) return;
  std::filesystem::path p(path);
  std::error_code ignored;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ignored);
  file_ = std::fopen(path.c_str(), "ae");
  if (!file_) throw Error(ErrorKind::kIo, "cannot open the attempt log " + path);
}

AttemptLog::~AttemptLog() {
  if (file_) std::fclose(file_);
}

void AttemptLog::Write(const smtp::AttemptLogEntry& entry) {
  if (!file_) return;
  std::string line = FormatAttempt(entry);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), file_);
}

void AttemptLog::Flush() {
  if (file_) std::fflush(file_);
}

std::string FormatAttempt(const smtp::AttemptLogEntry& e) {
  const auto& o = e.outcome;
  const char* status = o.status == smtp::DeliveryStatus::kDelivered ? "delivered"
                       : e.retry_at                                 ? "deferred"
                                                                    : "failed";
  std::string line =
      "{\"at\":" + base::JsonQuote(base::FormatIso8601(e.at)) + ",\"id\":" + std::to_string(e.id) +
      ",\"campaign\":" + base::JsonQuote(e.campaign) +
      ",\"recipient\":" + base::JsonQuote(e.recipient) +
      ",\"domain\":" + base::JsonQuote(e.domain) + ",\"provider\":" + base::JsonQuote(e.provider) +
      ",\"server\":" + base::JsonQuote(e.server) + ",\"attempt\":" + std::to_string(e.attempt) +
      ",\"status\":\"" + status +
      "\",\"category\":" + base::JsonQuote(smtp::FailureCategoryName(o.category)) +
      ",\"code\":" + std::to_string(o.reply_code) + ",\"enhanced\":" + base::JsonQuote(o.enhanced) +
      ",\"reply\":" + base::JsonQuote(o.text) +
      ",\"retry_at\":" + (e.retry_at ? base::JsonQuote(base::FormatIso8601(*e.retry_at)) : "null") +
      ",\"ms\":" + std::to_string(e.duration.count()) + "}";
  return line;
}

}  // namespace b2bmail::cli
