// The only place casereview reads the wall clock.
#include "casereview/clock.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
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

namespace {

// Dates and times are written for every deadline, timer and notice of every command, and
// date::format goes through an ostringstream and its locale each time (8 % of the durable
// path's CPU). Years 1000-9999 are written here, digit for digit what date::format writes;
// any other year goes to date::format as before.
bool FourDigitYear(int year) { return year >= 1000 && year <= 9999; }

}  // namespace

std::string FormatInstant(Instant t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  if (!FourDigitYear(int(ymd.year()))) return date::format("%Y-%m-%dT%H:%M:%SZ", t);
  const std::chrono::hh_mm_ss time{t - day};
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                              unsigned(ymd.month()), unsigned(ymd.day()), int(time.hours().count()),
                              int(time.minutes().count()), int(time.seconds().count()));
  return std::string(buf, static_cast<std::size_t>(n));
}

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
  if (d.ok() && FourDigitYear(int(d.year()))) {
    char buf[16];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
    return std::string(buf, static_cast<std::size_t>(n));
  }
  return date::format("%F", date::year_month_day{date::year{int(d.year())},
                                                 date::month{unsigned(d.month())},
                                                 date::day{unsigned(d.day())}});
}

namespace {

// "YYYY-MM-DD" in digits: read here; anything else goes through date::parse as before.
std::optional<Date> DigitsDate(std::string_view t) {
  static constexpr std::string_view kShape = "dddd-dd-dd";
  if (t.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool digit = t[i] >= '0' && t[i] <= '9';
    if (kShape[i] == 'd' ? !digit : t[i] != kShape[i]) return std::nullopt;
  }
  auto number = [&](std::size_t from, std::size_t len) {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  return Date{std::chrono::year{number(0, 4)}, std::chrono::month{unsigned(number(5, 2))},
              std::chrono::day{unsigned(number(8, 2))}};
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  if (auto d = DigitsDate(text)) {
    if (d->ok()) return *d;
    return Status::InvalidArgument("'" + std::string(text) + "' is not a date written YYYY-MM-DD");
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

// ---- Europe/London ---------------------------------------------------------------------------

namespace {

// Throws std::runtime_error if the tz database has no Europe/London (checked by
// LondonTimeZoneAvailable); the lookup is done once.
const date::time_zone* London() {
  static const date::time_zone* const zone = date::locate_zone("Europe/London");
  return zone;
}

}  // namespace

Status LondonTimeZoneAvailable() {
  try {
    if (London() != nullptr) return Status::Ok();
    return Status::NotFound("the Europe/London time zone is not available (install the tzdata package)");
  } catch (const std::exception& e) {
    return Status::NotFound(std::string("the Europe/London time zone is not available (install the "
                                        "tzdata package): ") + e.what());
  }
}

Instant LondonLocalTime(Date d, std::chrono::seconds time_of_day) {
  const date::local_seconds local{std::chrono::sys_days{d}.time_since_epoch() + time_of_day};
  return London()->to_sys(local, date::choose::earliest);
}

Instant EndOfDayLondon(Date d) {
  return LondonLocalTime(d, std::chrono::hours{23} + std::chrono::minutes{59} + std::chrono::seconds{59});
}

Date LondonDate(Instant t) {
  const date::local_seconds local = London()->to_local(t);
  return Date{std::chrono::sys_days{std::chrono::floor<std::chrono::days>(local.time_since_epoch())}};
}

}  // namespace casereview
