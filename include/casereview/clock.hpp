// Time, injected. Nothing in casereview reads the wall clock except SystemClock, so a
// test can run four months of deadlines in milliseconds and the CLI can preview a date.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "casereview/status.hpp"

namespace casereview {

// An instant, UTC, to the second.
using Instant = std::chrono::sys_seconds;
// A calendar date with no time of day (a meeting date, a due date).
using Date = std::chrono::year_month_day;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
  // The real (wall-clock) moment at which this clock will show `t`: what a sleeper that
  // waits in real time waits until. The system clock's own time by default.
  virtual std::chrono::system_clock::time_point WallTimeAt(Instant t) const { return t; }
};

// The real time. Thread-safe.
class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

// A clock that only moves when told. Not thread-safe: tests and previews only.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  void Set(Instant t) { now_ = t; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  Instant now_;
};

// Simulated time for tests of the whole program (docs/cli.md, "A test clock"): it shows
// `start` at the real moment `anchor` and then runs `rate` simulated seconds per real second.
// Processes given the same three agree on "now", however late each starts. Thread-safe.
class ScaledClock final : public Clock {
 public:
  // REQUIRES: rate > 0.
  ScaledClock(Instant start, double rate, std::chrono::system_clock::time_point anchor)
      : start_(start), rate_(rate), anchor_(anchor) {}
  Instant Now() const override;
  std::chrono::system_clock::time_point WallTimeAt(Instant t) const override;

  // "START[*RATE][@ANCHOR]": START an instant (2026-01-05T09:00:00Z), RATE simulated
  // seconds per real second (default 1), ANCHOR the real moment START is shown, as Unix
  // seconds (fractions allowed) or an instant (default: now, so only this process agrees).
  static Result<ScaledClock> Parse(std::string_view text);

 private:
  Instant start_;
  double rate_;
  std::chrono::system_clock::time_point anchor_;
};

// What a program runs on: the system clock, or the ScaledClock that the environment
// variable `variable` describes when it is set and not empty. A malformed value leaves the
// system clock in use and status() naming the variable and the problem: check it before
// trusting the time.
class ProcessClock final : public Clock {
 public:
  explicit ProcessClock(const char* variable = "CASEREVIEW_CLOCK");
  Instant Now() const override;
  std::chrono::system_clock::time_point WallTimeAt(Instant t) const override;
  const Status& status() const { return status_; }
  bool simulated() const { return scaled_.has_value(); }

 private:
  Status status_;
  std::optional<ScaledClock> scaled_;
  SystemClock system_;
};

// ISO 8601, UTC: "2026-01-05T09:30:00Z". Parsing also accepts a bare date (midnight UTC)
// and a date-time without the zone (taken as UTC).
std::string FormatInstant(Instant t);
Result<Instant> ParseInstant(std::string_view text);

// "2026-01-05". Parsing rejects impossible dates (2026-02-30).
std::string FormatDate(Date d);
Result<Date> ParseDate(std::string_view text);
Date DateOf(Instant t);

// Europe/London, from the system's tz database (the tzdata package). REQUIRES:
// LondonTimeZoneAvailable().ok(); the app checks once at start-up.
Status LondonTimeZoneAvailable();
// 23:59:59 London time on `d`: 23:59:59Z in winter (GMT), 22:59:59Z in summer (BST).
Instant EndOfDayLondon(Date d);
// The London calendar date at instant `t`.
Date LondonDate(Instant t);
// `time_of_day` after London midnight on `d`. A time skipped in spring maps to the moment the
// clocks went forward; a time repeated in autumn maps to its first (BST) occurrence.
Instant LondonLocalTime(Date d, std::chrono::seconds time_of_day);

}  // namespace casereview
