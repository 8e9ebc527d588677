// The only place casereview reads the wall clock.
#include "casereview/clock.hpp"

#include <date/date.h>

#include <sstream>

namespace casereview {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string FormatInstant(Instant t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

namespace {

// date::parse reads %S as a long double and converts it to whole seconds unchecked, so
// "10:00:@0" was undefined behaviour (NaN to an integer; found by fuzzing). Only the shapes
// ParseInstant accepts reach it: YYYY-MM-DD, then THH:MM or THH:MM:SS, then an optional Z.
bool HasInstantShape(std::string_view t) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (t.size() > 10 && t.back() == 'Z') t.remove_suffix(1);
  if (t.size() != 10 && t.size() != 16 && t.size() != 19) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool digit = t[i] >= '0' && t[i] <= '9';
    if (kShape[i] == 'd' ? !digit : t[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

Result<Instant> ParseInstant(std::string_view text) {
  for (const char* fmt : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%MZ",
                          "%Y-%m-%dT%H:%M", "%Y-%m-%d"}) {
    if (!HasInstantShape(text)) break;
    std::istringstream in{std::string(text)};
    date::sys_seconds t;
    in >> date::parse(fmt, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return Instant{t};
  }
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not a date-time (use 2026-01-05T09:30:00Z or 2026-01-05)");
}

std::string FormatDate(Date d) {
  return date::format("%F", date::year_month_day{date::year{int(d.year())},
                                                 date::month{unsigned(d.month())},
                                                 date::day{unsigned(d.day())}});
}

Result<Date> ParseDate(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::year_month_day ymd{};
  in >> date::parse("%Y-%m-%d", ymd);
  if (text.size() != 10 || in.fail() || in.peek() != std::char_traits<char>::eof() || !ymd.ok())
    return Status::InvalidArgument("'" + std::string(text) + "' is not a date written YYYY-MM-DD");
  return Date{std::chrono::year{int(ymd.year())}, std::chrono::month{unsigned(ymd.month())},
              std::chrono::day{unsigned(ymd.day())}};
}

Date DateOf(Instant t) { return Date{std::chrono::floor<std::chrono::days>(t)}; }

}  // namespace casereview
