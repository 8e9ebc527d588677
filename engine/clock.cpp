// The only place casereview reads the wall clock.
#include "casereview/clock.hpp"

#include <date/date.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace casereview {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

Instant ScaledClock::Now() const {
  std::chrono::duration<double> real = std::chrono::system_clock::now() - anchor_;
  return start_ + std::chrono::seconds{static_cast<std::int64_t>(std::floor(real.count() * rate_))};
}

std::chrono::system_clock::time_point ScaledClock::WallTimeAt(Instant t) const {
  // A microsecond late rather than early: at the moment returned, Now() shows t.
  std::chrono::duration<double> real{static_cast<double>((t - start_).count()) / rate_};
  return anchor_ + std::chrono::ceil<std::chrono::microseconds>(real) + std::chrono::microseconds{1};
}

Result<ScaledClock> ScaledClock::Parse(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a test clock (" + why +
                                   "; write START[*RATE][@ANCHOR], e.g. 2026-01-05T09:00:00Z*3600@1767603600)");
  };
  std::string_view start_text = text, rate_text, anchor_text;
  if (auto at = start_text.find('@'); at != std::string_view::npos) {
    anchor_text = start_text.substr(at + 1);
    start_text = start_text.substr(0, at);
  }
  if (auto star = start_text.find('*'); star != std::string_view::npos) {
    rate_text = start_text.substr(star + 1);
    start_text = start_text.substr(0, star);
  }
  auto start = ParseInstant(start_text);
  if (!start.ok()) return bad("START " + start.status().message());
  double rate = 1;
  if (!rate_text.empty() || text.find('*') != std::string_view::npos) {
    std::string r(rate_text);
    char* end = nullptr;
    rate = std::strtod(r.c_str(), &end);
    if (r.empty() || end != r.c_str() + r.size() || !std::isfinite(rate) || rate <= 0 || rate > 1e9)
      return bad("RATE must be a number of simulated seconds per real second, above 0");
  }
  auto anchor = std::chrono::system_clock::now();
  if (!anchor_text.empty() || text.find('@') != std::string_view::npos) {
    std::string a(anchor_text);
    char* end = nullptr;
    double unix_seconds = std::strtod(a.c_str(), &end);
    if (!a.empty() && end == a.c_str() + a.size() && std::isfinite(unix_seconds) && unix_seconds >= 0 &&
        unix_seconds < 1e11) {
      anchor = std::chrono::system_clock::time_point{
          std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(unix_seconds))};
    } else if (auto instant = ParseInstant(anchor_text); instant.ok()) {
      anchor = *instant;
    } else {
      return bad("ANCHOR must be Unix seconds or an instant");
    }
  }
  return ScaledClock(*start, rate, anchor);
}

ProcessClock::ProcessClock(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return;
  auto scaled = ScaledClock::Parse(value);
  if (scaled.ok()) {
    scaled_ = *scaled;
  } else {
    status_ = Status::InvalidArgument(std::string("$") + variable + ": " + scaled.status().message());
  }
}

Instant ProcessClock::Now() const { return scaled_ ? scaled_->Now() : system_.Now(); }

std::chrono::system_clock::time_point ProcessClock::WallTimeAt(Instant t) const {
  return scaled_ ? scaled_->WallTimeAt(t) : system_.WallTimeAt(t);
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

namespace {

// The form every stored date has, "DDDD-DD-DD" (digits), read without a stream: dates are
// checked for every event replayed (docs/performance.md, figure 2). For text of this form
// date::parse reads the same year, month and day, so the answer is the same.
std::optional<Date> PlainIsoDate(std::string_view t) {
  auto digit = [&](std::size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!digit(i)) return std::nullopt;
  if (t[4] != '-' || t[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  return Date{std::chrono::year{number(0, 4)}, std::chrono::month{unsigned(number(5, 2))},
              std::chrono::day{unsigned(number(8, 2))}};
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  if (text.size() == 10) {
    if (std::optional<Date> plain = PlainIsoDate(text)) {
      if (plain->ok()) return *plain;
      return Status::InvalidArgument("'" + std::string(text) + "' is not a date written YYYY-MM-DD");
    }
  }
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
