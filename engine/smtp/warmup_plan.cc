#include "b2bmail/smtp/warmup_plan.h"

#include <algorithm>
#include <charconv>

namespace b2bmail::smtp {
namespace {

using std::chrono::days;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Walks the text byte by byte, knowing the line and the column (in code points) of the
// byte it stands on.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool AtEnd() const { return index_ >= text_.size(); }
  char Peek() const { return text_[index_]; }
  std::size_t index() const { return index_; }
  base::SourcePosition position() const { return position_; }
  void Advance() {
    char c = text_[index_++];
    if (c == '\n') {
      ++position_.line;
      position_.column = 1;
    } else if (AtEnd() || !IsContinuationByte(text_[index_])) {
      ++position_.column;  // the bytes of one code point share a column
    }
  }

 private:
  std::string_view text_;
  std::size_t index_ = 0;
  base::SourcePosition position_{1, 1};
};

}  // namespace

std::vector<int> DefaultWarmupRamp() {
  return {50,    100,   250,   500,   1000,  2500,  5000,  7500,
          10000, 15000, 20000, 30000, 40000, 55000, 70000, 100000};
}

WarmupPlan::WarmupPlan(WarmupOptions options) : options_(std::move(options)) {
  for (int& cap : options_.daily_caps) cap = std::max(cap, 0);
}

std::int64_t WarmupPlan::DayIndex(base::TimePoint now) const {
  return (std::chrono::floor<days>(now) - std::chrono::floor<days>(options_.start)).count();
}

std::optional<int> WarmupPlan::CapFor(base::TimePoint now) const {
  const auto& caps = options_.daily_caps;
  std::int64_t day = std::max<std::int64_t>(DayIndex(now), 0);
  if (day >= static_cast<std::int64_t>(caps.size())) return std::nullopt;
  return caps[static_cast<std::size_t>(day)];
}

std::int64_t WarmupPlan::Remaining(base::TimePoint now, std::int64_t sent_today) const {
  std::optional<int> cap = CapFor(now);
  if (!cap) return kUnlimited;
  return std::max<std::int64_t>(*cap - std::max<std::int64_t>(sent_today, 0), 0);
}

base::TimePoint WarmupPlan::NextDayStart(base::TimePoint now) const {
  return std::chrono::floor<days>(now) + days(1);
}

WarmupRampParse ParseWarmupRamp(std::string_view text, const std::string& file) {
  WarmupRampParse result;
  auto& diagnostics = result.diagnostics;
  if (std::all_of(text.begin(), text.end(), IsSpace)) {
    diagnostics.Error(file, {1, 1}, "empty-ramp", "the warm-up ramp lists no daily caps");
    return result;
  }

  Cursor cursor(text);
  std::vector<int> caps;
  for (int entry_number = 1;; ++entry_number) {
    while (!cursor.AtEnd() && IsSpace(cursor.Peek())) cursor.Advance();
    base::SourcePosition at = cursor.position();
    std::size_t begin = cursor.index();
    while (!cursor.AtEnd() && cursor.Peek() != ',') cursor.Advance();
    std::string_view entry = TrimRight(text.substr(begin, cursor.index() - begin));
    std::string which = "daily cap " + std::to_string(entry_number);

    bool negative = !entry.empty() && entry.front() == '-';
    std::string_view digits = negative ? entry.substr(1) : entry;
    bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    int value = 0;
    if (entry.empty()) {
      diagnostics.Error(file, at, "empty-entry",
                        which + " is empty (two commas in a row or a comma at the end)");
    } else if (!all_digits) {
      diagnostics.Error(file, at, "not-a-number",
                        which + " is \"" + std::string(entry) + "\", not a whole number");
    } else if (negative) {
      diagnostics.Error(file, at, "negative-cap", which + " is negative: " + std::string(entry));
    } else if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec !=
               std::errc()) {
      diagnostics.Error(file, at, "cap-too-large",
                        which + " (" + std::string(entry) + ") is larger than " +
                            std::to_string(std::numeric_limits<int>::max()));
    } else {
      if (!caps.empty() && value < caps.back()) {
        diagnostics.Warning(file, at, "ramp-decreases",
                            which + " (" + std::to_string(value) + ") is lower than the day " +
                                "before (" + std::to_string(caps.back()) + ")");
      }
      caps.push_back(value);
    }
    if (cursor.AtEnd()) break;
    cursor.Advance();  // the comma
  }
  if (!diagnostics.HasErrors()) result.daily_caps = std::move(caps);
  return result;
}

}  // namespace b2bmail::smtp
