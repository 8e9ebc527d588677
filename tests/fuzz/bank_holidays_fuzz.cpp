// Bank-holiday files (gov.uk's bank-holidays.json; `casereview calendar update`): the
// calendar's parser (engine/calendar.*) and Engine::UpdateBankHolidays over a store with
// open reviews. Refused: a Status, the calendar unchanged (Merge is all or nothing) and
// nothing written to the store. Accepted: holidays are real dates, sorted, in their year,
// and the reviews keep their logs and stages (only deadlines and timers move).
#include <algorithm>

#include "calendar.hpp"
#include "fuzz_support.hpp"

using namespace casereview;
using namespace std::chrono;

namespace {

constexpr int kFirstShippedYear = 2010, kLastShippedYear = 2030;

void CheckCalendar(const BusinessCalendar& c) {
  for (int y = kFirstShippedYear; y <= kLastShippedYear + 1; ++y) {
    std::vector<BankHoliday> days = c.HolidaysIn(y);
    for (std::size_t i = 0; i < days.size(); ++i) {
      FUZZ_CHECK(days[i].date.ok() && int(days[i].date.year()) == y, "a holiday is a real date in its year");
      FUZZ_CHECK(i == 0 || !(days[i].date < days[i - 1].date), "a year's holidays are sorted");
    }
  }
  // Deadlines counted across the first few holidays of 2026, wherever the file put them.
  std::vector<BankHoliday> days = c.HolidaysIn(2026);
  days.resize(std::min<std::size_t>(days.size(), 3));
  for (const BankHoliday& h : days)
    for (int n : {-6, -1, 0, 1, 6}) {
      const Date anchor = AddDays(h.date, -2);
      const Date due = c.AddWorkingDays(anchor, n);
      FUZZ_CHECK(due.ok() && c.IsWorkingDay(due), "a working-day deadline falls on a working day");
      if (n >= 0) FUZZ_CHECK(c.WorkingDaysBetween(anchor, due) == n, "counting back gives the days added");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);

  Result<BusinessCalendar> loaded = BusinessCalendar::FromBankHolidaysJson(text);
  if (loaded.ok()) CheckCalendar(*loaded);
  else fuzz::CheckRefusal(loaded.status());

  BusinessCalendar merged = BusinessCalendar::EnglandAndWales();
  Status m = merged.Merge(text);
  if (m.ok()) {
    CheckCalendar(merged);
  } else {
    fuzz::CheckRefusal(m);
    for (int y = kFirstShippedYear; y <= kLastShippedYear + 1; ++y)
      FUZZ_CHECK(merged.HolidaysIn(y) == BusinessCalendar::EnglandAndWales().HolidaysIn(y),
                 "a refused merge leaves the calendar unchanged");
  }

  auto store = NewMemoryStore();
  ManualClock clock{Instant{}};
  Engine engine(*store, clock);
  fuzz::OpenDemoReviews(engine, clock);
  const fuzz::StoreContents before = fuzz::Snapshot(*store);
  Result<std::int64_t> updated = engine.UpdateBankHolidays(text);
  const fuzz::StoreContents after = fuzz::Snapshot(*store);
  if (!updated.ok()) {
    fuzz::CheckRefusal(updated.status());
    // At the start: a message may quote the file's own text, which can say anything (the
    // fuzzer found a file holding this very phrase).
    FUZZ_CHECK(updated.status().message().rfind("bank holidays file: bank holidays file", 0) != 0,
               "the refusal says what it refuses once");
    FUZZ_CHECK(after == before, "a refused bank-holiday update writes nothing");
    return 0;
  }
  FUZZ_CHECK(*updated == std::int64_t(before.reviews.size()), "every review is re-projected");
  FUZZ_CHECK(after.bank_holidays == std::string(text), "the update is kept as given");
  FUZZ_CHECK(after.events == before.events, "an update never touches a review's log");
  for (std::size_t i = 0; i < after.reviews.size(); ++i)
    FUZZ_CHECK(after.reviews[i].stage == before.reviews[i].stage, "an update never moves a review's stage");
  return 0;
}
