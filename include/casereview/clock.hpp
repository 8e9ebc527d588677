// Time, injected. Nothing in casereview reads the wall clock except SystemClock, so a
// test can run four months of deadlines in milliseconds and the CLI can preview a date.
#pragma once

#include <chrono>
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

// ISO 8601, UTC: "2026-01-05T09:30:00Z". Parsing also accepts a bare date (midnight UTC)
// and a date-time without the zone (taken as UTC).
std::string FormatInstant(Instant t);
Result<Instant> ParseInstant(std::string_view text);

// "2026-01-05". Parsing rejects impossible dates (2026-02-30).
std::string FormatDate(Date d);
Result<Date> ParseDate(std::string_view text);
Date DateOf(Instant t);

}  // namespace casereview
