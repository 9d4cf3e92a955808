#include "b2bmail/bounce/message_date.h"

#include <array>
#include <cctype>
#include <chrono>
#include <string>

#include "b2bmail/base/strings.h"

namespace b2bmail::bounce {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  void SkipSpace() {
    while (i_ < s_.size() && (std::isspace(static_cast<unsigned char>(s_[i_])) || s_[i_] == ','))
      ++i_;
  }
  std::optional<int> Number(int max_digits) {
    SkipSpace();
    int value = 0, digits = 0;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])) &&
           digits < max_digits) {
      value = value * 10 + (s_[i_++] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }
  std::string Word() {
    SkipSpace();
    std::string w;
    while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) w += s_[i_++];
    return base::AsciiLower(w);
  }
  bool Take(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  char Peek() {
    SkipSpace();
    return i_ < s_.size() ? s_[i_] : '\0';
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

}  // namespace

std::optional<base::TimePoint> ParseMessageDate(std::string_view text) {
  Scanner in(text);
  if (std::isalpha(static_cast<unsigned char>(in.Peek()))) in.Word();  // day of week
  auto day = in.Number(2);
  std::string month_name = in.Word();
  auto year = in.Number(4);
  auto hour = in.Number(2);
  if (!day || !year || !hour || !in.Take(':')) return std::nullopt;
  auto minute = in.Number(2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (in.Take(':')) second = in.Number(2).value_or(0);
  int month = 0;
  for (std::size_t m = 0; m < kMonths.size(); ++m)
    if (month_name.substr(0, 3) == kMonths[m]) month = static_cast<int>(m) + 1;
  if (!month) return std::nullopt;
  int y = *year;
  if (y < 50)
    y += 2000;  // RFC 5322 §4.3: 00-49 are 2000-2049
  else if (y < 1000)
    y += 1900;  // 50-999 count from 1900
  // Zone: +hhmm / -hhmm, or an obsolete name; unknown names count as UTC (-0000).
  int offset_minutes = 0;
  char sign = in.Peek();
  if (sign == '+' || sign == '-') {
    in.Take(sign);
    auto zone = in.Number(4);
    if (zone) offset_minutes = (*zone / 100) * 60 + *zone % 100;
    if (sign == '-') offset_minutes = -offset_minutes;
  } else {
    std::string name = in.Word();
    if (name == "edt")
      offset_minutes = -4 * 60;
    else if (name == "est" || name == "cdt")
      offset_minutes = -5 * 60;
    else if (name == "cst" || name == "mdt")
      offset_minutes = -6 * 60;
    else if (name == "mst" || name == "pdt")
      offset_minutes = -7 * 60;
    else if (name == "pst")
      offset_minutes = -8 * 60;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(month),
                                  std::chrono::day(*day)};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || second > 60) return std::nullopt;
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(*hour) +
           std::chrono::minutes(*minute - offset_minutes) + std::chrono::seconds(second);
  return base::TimePoint(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()));
}

}  // namespace b2bmail::bounce
