// The business calendar: which days are working days, how deadlines count, and what
// "the end of the due date" means in Europe/London. No I/O and no wall clock: bank holidays
// come from text the caller passes in (or the copy compiled in), time from the caller.
//
// Counting conventions (docs/deadlines.md), the same everywhere:
//  * A working day is not a Saturday, a Sunday or a bank holiday of the calendar's division
//    (England and Wales unless chosen otherwise). CalendarOptions can also make Christmas Eve
//    and the bank holidays of every UK division non-working.
//  * N working days after an anchor (N >= 0): the anchor is day 0 and the due date is the Nth
//    working day after it. An anchor on a non-working day first rolls to the next working day,
//    which is day 0 (DayZero::kNextWorkingDay, the default). So "5 working days" from Saturday
//    7 March 2026 is Monday 16 March; from Monday 9 March it is also Monday 16 March.
//  * N working days before an anchor (N < 0, "at least 7 working days before publication"):
//    the anchor is never rolled; the result is the Nth working day strictly before it, i.e. the
//    latest working day from which N working days forward do not pass the anchor.
//  * Calendar days and months give that calendar date even at a weekend (never moved); months
//    clamp to the month's last day (31 October + 4 months = 28 or 29 February).
//  * A clock in hours is elapsed time: 24 hours across the change to summer time is 24 real
//    hours, so 12:00 on Saturday 28 March 2026 + 24 h is 13:00 on Sunday 29 March (BST).
//  * A due *date* means the end of that day, 23:59:59 Europe/London (EndOfDayLondon).
//
// Bank holidays: years present in a loaded bank-holidays.json (the UK government's format) are
// taken from it; any other year comes from the rules (RuleHolidays), which know the recurring
// holidays and weekend substitutes but not one-offs (jubilees, royal events, state funerals)
// or moved days (the 2020 VE day move). The shipped file covers 2010-2030.
//
// Thread safety: const member functions and the free functions may be called concurrently.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

inline constexpr std::string_view kEnglandAndWales = "england-and-wales";
inline constexpr std::string_view kScotland = "scotland";
inline constexpr std::string_view kNorthernIreland = "northern-ireland";

// One bank holiday as published: the day it is taken (a substitute day when the holiday
// itself falls at a weekend), its title, and notes ("Substitute day", "Extra bank holiday" or "").
struct BankHoliday {
  Date date;
  std::string title;
  std::string notes;
  bool operator==(const BankHoliday&) const = default;
};

// When a clock in working days starts from an anchor on a non-working day.
enum class DayZero {
  kNextWorkingDay,  // default: the next working day is day 0 ("counts from the next working day")
  kAnchorDay,       // the anchor itself is day 0; day 1 is the first working day after it
};

// How a board's procedures define a working day. The defaults are docs/deadlines.md's.
struct CalendarOptions {
  bool exclude_christmas_eve = false;  // 24 December is not a working day
  // A bank holiday in any UK division (England and Wales, Scotland, Northern Ireland, and any
  // other division loaded from a file) is not a working day.
  bool uk_wide = false;
  DayZero day_zero = DayZero::kNextWorkingDay;
  bool operator==(const CalendarOptions&) const = default;
};

class BusinessCalendar {
 public:
  // Reads the UK government's bank-holidays.json: {"england-and-wales": {"division": ...,
  // "events": [{"title", "date": "YYYY-MM-DD", "notes", "bunting"}]}, "scotland": ...}.
  // Every division in the text is read (for uk_wide); `division` is the calendar's own.
  // Outside input: any fault is an InvalidArgument naming the division, event and field.
  static Result<BusinessCalendar> FromBankHolidaysJson(std::string_view json,
                                                       std::string_view division = kEnglandAndWales);

  // The shipped calendar (engine/data/bank-holidays.json, compiled in), default options.
  static const BusinessCalendar& EnglandAndWales();

  // The recurring holidays of `division` in `year` by rule, with weekend substitutes: New
  // Year's Day, Good Friday, Easter Monday (not Scotland), Early May (first Monday), Spring
  // (last Monday of May), Summer (last Monday of August; first in Scotland), Christmas Day,
  // Boxing Day, plus 2 January and St Andrew's Day (Scotland) or St Patrick's Day and the
  // Battle of the Boyne (Northern Ireland). A fixed holiday at a weekend is taken on the next
  // weekday not already a holiday. Empty for an unknown division or a year outside 1-9999.
  static std::vector<BankHoliday> RuleHolidays(int year, std::string_view division = kEnglandAndWales);

  // Loads an updated file over this calendar: for each division and year in `json`, that
  // year's holidays replace the ones held (so a holiday moved in the update moves here).
  // All or nothing: on error the calendar is unchanged.
  Status Merge(std::string_view json);

  void SetOptions(const CalendarOptions& options) { options_ = options; }
  const CalendarOptions& options() const { return options_; }
  const std::string& division() const { return division_; }

  // True if `year` of the calendar's division comes from a loaded file, not the rules.
  bool CoversYear(int year) const;
  // The division's bank holidays in `year`, by date (uk_wide does not apply).
  std::vector<BankHoliday> HolidaysIn(int year) const;

  // REQUIRES for every Date argument below: d.ok().
  // A bank holiday of the division, or of any UK division when options().uk_wide.
  bool IsBankHoliday(Date d) const;
  bool IsWorkingDay(Date d) const;
  // `d` if it is a working day, else the next working day.
  Date NextWorkingDay(Date d) const;
  // The due date n working days after `anchor` (n >= 0) or before it (n < 0); see above.
  Date AddWorkingDays(Date anchor, int n) const;
  // How many working days `b` is after `a`, counted the way AddWorkingDays counts: the working
  // days d with a <= d < b (kNextWorkingDay) or a < d <= b (kAnchorDay); negative when b is
  // before a (-WorkingDaysBetween(b, a)). WorkingDaysBetween(a, AddWorkingDays(a, n)) == n for
  // every n >= 0, and for n < 0 under kNextWorkingDay.
  int WorkingDaysBetween(Date a, Date b) const;

 private:
  using HolidaysByYear = std::map<int, std::vector<BankHoliday>>;
  using HolidaysByDivision = std::map<std::string, HolidaysByYear, std::less<>>;

  explicit BusinessCalendar(std::string division) : division_(std::move(division)) {}
  bool DivisionObserves(std::string_view division, Date d) const;

  std::string division_;
  CalendarOptions options_;
  HolidaysByDivision loaded_;  // division -> year -> holidays by date, as loaded from files
};

// Calendar arithmetic. REQUIRES: d.ok(). Results are never moved off a weekend.
Date AddDays(Date d, int days);
// The same day `months` later (or earlier), clamped to the last day of a shorter month.
Date AddMonths(Date d, int months);

// Europe/London time (LondonDate, EndOfDayLondon, ...) is in casereview/clock.hpp.
// A clock in hours: elapsed time, whatever the wall clock does in between.
inline Instant AddElapsedHours(Instant start, int hours) { return start + std::chrono::hours{hours}; }

// The text of engine/data/bank-holidays.json as shipped, compiled in by embed_file.cmake.
std::string_view BuiltInBankHolidaysJson();

}  // namespace casereview
