// The business calendar: the shipped bank holidays, the rules for other years, working-day
// counting (docs/deadlines.md's conventions), calendar months and Europe/London time.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "calendar.hpp"

using namespace casereview;
using namespace std::chrono_literals;

namespace Catch {
template <>
struct StringMaker<casereview::Date> {
  static std::string convert(const casereview::Date& d) { return casereview::FormatDate(d); }
};
}  // namespace Catch

namespace {

Date On(const std::string& text) {
  Result<Date> d = ParseDate(text);
  REQUIRE(d.ok());
  return *d;
}

std::string At(Instant t) { return FormatInstant(t); }

std::vector<std::string> DatesOf(const std::vector<BankHoliday>& holidays) {
  std::vector<std::string> out;
  for (const BankHoliday& h : holidays) out.push_back(FormatDate(h.date));
  return out;
}

std::string NotesOn(const BusinessCalendar& calendar, Date d) {
  for (const BankHoliday& h : calendar.HolidaysIn(int(d.year())))
    if (h.date == d) return h.notes;
  return "(not a bank holiday)";
}

BusinessCalendar WithOptions(const CalendarOptions& options) {
  BusinessCalendar calendar = BusinessCalendar::EnglandAndWales();
  calendar.SetOptions(options);
  return calendar;
}

void RequireHolidays(const BusinessCalendar& calendar, int year, const std::vector<std::string>& expected) {
  CHECK(DatesOf(calendar.HolidaysIn(year)) == expected);
  for (const std::string& d : expected) {
    CHECK(calendar.IsBankHoliday(On(d)));
    CHECK_FALSE(calendar.IsWorkingDay(On(d)));
  }
}

std::string MessageFor(std::string_view json, std::string_view division = kEnglandAndWales) {
  Result<BusinessCalendar> calendar = BusinessCalendar::FromBankHolidaysJson(json, division);
  REQUIRE_FALSE(calendar.ok());
  CHECK(calendar.status().code() == Status::Code::kInvalidArgument);
  return calendar.status().message();
}

}  // namespace

SCENARIO("The shipped calendar has every bank holiday of the moved and one-off years", "[calendar][bank-holiday]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  REQUIRE(calendar.division() == "england-and-wales");
  THEN("2012: Spring bank holiday moved to 4 June, Diamond Jubilee on 5 June") {
    RequireHolidays(calendar, 2012, {"2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07", "2012-06-04",
                                     "2012-06-05", "2012-08-27", "2012-12-25", "2012-12-26"});
    CHECK(calendar.IsWorkingDay(On("2012-05-28")));
  }
  THEN("2020: Early May bank holiday moved to Friday 8 May for VE day") {
    RequireHolidays(calendar, 2020, {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
                                     "2020-08-31", "2020-12-25", "2020-12-28"});
    CHECK(calendar.IsWorkingDay(On("2020-05-04")));
  }
  THEN("2022: Spring bank holiday on Thursday 2 June, Platinum Jubilee, the State Funeral") {
    RequireHolidays(calendar, 2022, {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
                                     "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"});
    CHECK(calendar.IsWorkingDay(On("2022-05-30")));
    CHECK(calendar.WorkingDaysBetween(On("2022-01-01"), On("2023-01-01")) == 250);
  }
  THEN("2011 and 2023 have the royal wedding and the coronation") {
    CHECK(calendar.IsBankHoliday(On("2011-04-29")));
    CHECK(calendar.IsBankHoliday(On("2023-05-08")));
  }
}

SCENARIO("A bank holiday at a weekend is taken on a substitute weekday", "[calendar][bank-holiday]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  struct Case { const char* date; const char* notes; };
  const Case cases[] = {
      {"2010-12-27", "Substitute day"}, {"2010-12-28", "Substitute day"},  // Christmas on a Saturday
      {"2011-01-03", "Substitute day"},                                     // New Year's Day on a Saturday
      {"2011-12-26", ""},               {"2011-12-27", "Substitute day"},  // Christmas on a Sunday
      {"2015-12-28", "Substitute day"},                                     // Boxing Day on a Saturday
      {"2016-12-26", ""},               {"2016-12-27", "Substitute day"},
      {"2017-01-02", "Substitute day"},                                     // New Year's Day on a Sunday
      {"2021-12-27", "Substitute day"}, {"2021-12-28", "Substitute day"},
      {"2022-01-03", "Substitute day"},
      {"2022-12-26", ""},               {"2022-12-27", "Substitute day"},
  };
  for (const Case& c : cases) {
    INFO(c.date);
    CHECK(calendar.IsBankHoliday(On(c.date)));
    CHECK(NotesOn(calendar, On(c.date)) == c.notes);
  }
  THEN("the weekend day itself is not also counted as a holiday, and the day after is a working day") {
    CHECK_FALSE(calendar.IsBankHoliday(On("2010-12-25")));
    CHECK(calendar.IsWorkingDay(On("2010-12-29")));
    CHECK(calendar.IsWorkingDay(On("2022-12-28")));
  }
}

SCENARIO("Working days count from day 0 across Easter and Christmas", "[calendar][working-days]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  GIVEN("Easter 2026: Good Friday 3 April, Easter Monday 6 April") {
    CHECK(calendar.AddWorkingDays(On("2026-04-02"), 1) == On("2026-04-07"));
    CHECK(calendar.AddWorkingDays(On("2026-04-01"), 5) == On("2026-04-10"));
    CHECK(calendar.AddWorkingDays(On("2026-04-02"), 5) == On("2026-04-13"));  // wt2018 notification
  }
  GIVEN("Christmas 2026: Christmas Friday 25, Boxing Day Monday 28, New Year's Day Friday 1 January") {
    CHECK(calendar.AddWorkingDays(On("2026-12-23"), 3) == On("2026-12-30"));
    CHECK(calendar.AddWorkingDays(On("2026-12-23"), 5) == On("2027-01-04"));
    CHECK(calendar.AddWorkingDays(On("2026-12-14"), 15) == On("2027-01-07"));  // wt2018 rapid review
    CHECK(calendar.WorkingDaysBetween(On("2026-12-23"), On("2026-12-30")) == 3);
    WHEN("the board also excludes Christmas Eve") {
      const BusinessCalendar strict = WithOptions({.exclude_christmas_eve = true});
      THEN("24 December is not a working day, though not a bank holiday") {
        CHECK_FALSE(strict.IsWorkingDay(On("2026-12-24")));
        CHECK_FALSE(strict.IsBankHoliday(On("2026-12-24")));
        CHECK(calendar.IsWorkingDay(On("2026-12-24")));
        CHECK(strict.AddWorkingDays(On("2026-12-23"), 3) == On("2026-12-31"));
      }
    }
  }
  GIVEN("Christmas 2030 into 2031, past the end of the shipped file") {
    CHECK(calendar.AddWorkingDays(On("2030-12-23"), 3) == On("2030-12-30"));
    CHECK(calendar.AddWorkingDays(On("2030-12-23"), 5) == On("2031-01-02"));
  }
}

SCENARIO("An event received on a non-working day counts from the next working day", "[calendar][working-days]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  GIVEN("the default day-0 rule") {
    THEN("an anchor on Saturday 7 March 2026 rolls to Monday 9 March, which is day 0") {
      CHECK(calendar.AddWorkingDays(On("2026-03-07"), 0) == On("2026-03-09"));
      CHECK(calendar.AddWorkingDays(On("2026-03-07"), 5) == On("2026-03-16"));
      CHECK(calendar.AddWorkingDays(On("2026-03-09"), 5) == On("2026-03-16"));
      CHECK(calendar.AddWorkingDays(On("2026-04-03"), 1) == On("2026-04-08"));  // Good Friday
      CHECK(calendar.WorkingDaysBetween(On("2026-03-07"), On("2026-03-09")) == 0);
    }
  }
  GIVEN("a board whose procedure makes the anchor day 0 even at a weekend") {
    const BusinessCalendar calendar2 = WithOptions({.day_zero = DayZero::kAnchorDay});
    CHECK(calendar2.AddWorkingDays(On("2026-03-07"), 0) == On("2026-03-07"));
    CHECK(calendar2.AddWorkingDays(On("2026-03-07"), 5) == On("2026-03-13"));
    CHECK(calendar2.AddWorkingDays(On("2026-04-03"), 1) == On("2026-04-07"));
    CHECK(calendar2.WorkingDaysBetween(On("2026-03-07"), On("2026-03-13")) == 5);
  }
}

SCENARIO("At least N working days before a date counts back from it without rolling", "[calendar][working-days]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  GIVEN("publication planned for Monday 16 March 2026: the final report 7 working days before") {
    CHECK(calendar.AddWorkingDays(On("2026-03-16"), -7) == On("2026-03-05"));
    CHECK(calendar.AddWorkingDays(On("2026-03-05"), 7) == On("2026-03-16"));
    CHECK(calendar.WorkingDaysBetween(On("2026-03-16"), On("2026-03-05")) == -7);
  }
  GIVEN("publication on Saturday 14 March 2026: still the 7th working day strictly before") {
    CHECK(calendar.AddWorkingDays(On("2026-03-14"), -7) == On("2026-03-05"));
  }
  GIVEN("publication just after Easter or New Year") {
    CHECK(calendar.AddWorkingDays(On("2026-04-07"), -1) == On("2026-04-02"));
    CHECK(calendar.AddWorkingDays(On("2027-01-04"), -3) == On("2026-12-29"));
  }
}

SCENARIO("WorkingDaysBetween is the inverse of AddWorkingDays", "[calendar][working-days]") {
  const BusinessCalendar& by_default = BusinessCalendar::EnglandAndWales();
  const BusinessCalendar from_anchor = WithOptions({.day_zero = DayZero::kAnchorDay});
  for (Date a = On("2026-12-01"); a < On("2027-01-20"); a = AddDays(a, 1)) {
    for (int n = -12; n <= 12; ++n) {
      INFO(FormatDate(a) << " + " << n);
      CHECK(by_default.WorkingDaysBetween(a, by_default.AddWorkingDays(a, n)) == n);
      if (n >= 0) CHECK(from_anchor.WorkingDaysBetween(a, from_anchor.AddWorkingDays(a, n)) == n);
      const Date b = AddDays(a, n);
      CHECK(by_default.WorkingDaysBetween(a, b) == -by_default.WorkingDaysBetween(b, a));
    }
  }
}

SCENARIO("Calendar months clamp to the last day of a shorter month", "[calendar][months]") {
  CHECK(AddMonths(On("2026-10-31"), 4) == On("2027-02-28"));
  CHECK(AddMonths(On("2027-10-31"), 4) == On("2028-02-29"));
  CHECK(AddMonths(On("2024-01-31"), 1) == On("2024-02-29"));
  CHECK(AddMonths(On("2000-01-31"), 1) == On("2000-02-29"));  // divisible by 400: leap
  CHECK(AddMonths(On("2100-01-31"), 1) == On("2100-02-28"));  // divisible by 100: not leap
  CHECK(AddMonths(On("2026-08-31"), 6) == On("2027-02-28"));
  CHECK(AddMonths(On("2026-03-31"), -1) == On("2026-02-28"));
  CHECK(AddMonths(On("2026-12-15"), 1) == On("2027-01-15"));
  CHECK(AddMonths(On("2026-02-28"), 1) == On("2026-03-28"));
  THEN("a due date at a weekend or on a bank holiday is not moved") {
    CHECK(AddMonths(On("2026-01-28"), 1) == On("2026-02-28"));  // a Saturday
    CHECK(AddDays(On("2026-03-27"), 14) == On("2026-04-10"));   // Good Friday
  }
}

SCENARIO("Due dates end at 23:59:59 London time and hour clocks are elapsed time", "[calendar][london]") {
  REQUIRE(LondonTimeZoneAvailable().ok());
  GIVEN("the clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026") {
    CHECK(At(EndOfDayLondon(On("2026-03-28"))) == "2026-03-28T23:59:59Z");
    CHECK(At(EndOfDayLondon(On("2026-03-29"))) == "2026-03-29T22:59:59Z");
    CHECK(At(EndOfDayLondon(On("2026-10-24"))) == "2026-10-24T22:59:59Z");
    CHECK(At(EndOfDayLondon(On("2026-10-25"))) == "2026-10-25T23:59:59Z");
  }
  THEN("24 hours from noon on 28 March 2026 is 13:00 BST on 29 March: 24 real hours") {
    const Instant start = LondonLocalTime(On("2026-03-28"), 12h);
    CHECK(At(start) == "2026-03-28T12:00:00Z");
    CHECK(At(AddElapsedHours(start, 24)) == "2026-03-29T12:00:00Z");
    CHECK(AddElapsedHours(start, 24) == LondonLocalTime(On("2026-03-29"), 13h));
    CHECK(AddElapsedHours(LondonLocalTime(On("2026-10-24"), 12h), 24) == LondonLocalTime(On("2026-10-25"), 11h));
  }
  THEN("a time skipped in spring maps to the moment the clocks went forward") {
    CHECK(At(LondonLocalTime(On("2026-03-29"), 1h + 30min)) == "2026-03-29T01:00:00Z");
  }
  THEN("the London date changes at London midnight, all year") {
    CHECK(LondonDate(*ParseInstant("2026-07-01T23:30:00Z")) == On("2026-07-02"));
    CHECK(LondonDate(*ParseInstant("2026-01-01T23:30:00Z")) == On("2026-01-01"));
    for (Date d = On("2026-01-01"); d < On("2027-01-01"); d = AddDays(d, 1)) {
      CHECK(LondonDate(EndOfDayLondon(d)) == d);
      CHECK(LondonDate(EndOfDayLondon(d) + 1s) == AddDays(d, 1));
    }
  }
}

SCENARIO("The rules agree with the shipped file except the one-off and moved holidays", "[calendar][rules]") {
  // year -> (dates only in the file, dates only by rule)
  const std::map<int, std::pair<std::set<std::string>, std::set<std::string>>> known = {
      {2011, {{"2011-04-29"}, {}}},
      {2012, {{"2012-06-04", "2012-06-05"}, {"2012-05-28"}}},
      {2020, {{"2020-05-08"}, {"2020-05-04"}}},
      {2022, {{"2022-06-02", "2022-06-03", "2022-09-19"}, {"2022-05-30"}}},
      {2023, {{"2023-05-08"}, {}}},
  };
  for (std::string_view division : {kEnglandAndWales, kScotland, kNorthernIreland}) {
    Result<BusinessCalendar> shipped = BusinessCalendar::FromBankHolidaysJson(BuiltInBankHolidaysJson(), division);
    REQUIRE(shipped.ok());
    for (int year = 2010; year <= 2030; ++year) {
      INFO(division << " " << year);
      REQUIRE(shipped->CoversYear(year));
      const std::vector<BankHoliday> file = shipped->HolidaysIn(year);
      const std::vector<BankHoliday> rules = BusinessCalendar::RuleHolidays(year, division);
      if (known.count(year) == 0) {
        CHECK(file == rules);
        continue;
      }
      const std::vector<std::string> f = DatesOf(file), r = DatesOf(rules);
      std::set<std::string> only_file(f.begin(), f.end()), only_rules(r.begin(), r.end());
      for (const std::string& d : r) only_file.erase(d);
      for (const std::string& d : f) only_rules.erase(d);
      CHECK(only_file == known.at(year).first);
      CHECK(only_rules == known.at(year).second);
    }
  }
}

SCENARIO("Years outside the shipped file come from the rules", "[calendar][rules]") {
  const BusinessCalendar& calendar = BusinessCalendar::EnglandAndWales();
  CHECK_FALSE(calendar.CoversYear(2009));
  CHECK_FALSE(calendar.CoversYear(2031));
  for (const char* d : {"2009-04-10", "2009-04-13", "2009-12-25", "2009-12-28", "2031-04-11", "2031-12-25",
                        "2032-12-27", "2032-12-28", "2100-03-26", "2100-03-29"})
    CHECK(calendar.IsBankHoliday(On(d)));
  CHECK(BusinessCalendar::RuleHolidays(2031).size() == 8);
  CHECK(BusinessCalendar::RuleHolidays(2031, "wales").empty());
}

SCENARIO("A board's options: UK-wide holidays, another division", "[calendar][options]") {
  const BusinessCalendar uk_wide = WithOptions({.uk_wide = true});
  const BusinessCalendar& england = BusinessCalendar::EnglandAndWales();
  for (const char* d : {"2026-03-17", "2026-07-13", "2026-08-03", "2026-11-30", "2035-07-12"}) {
    INFO(d);
    CHECK(england.IsWorkingDay(On(d)));
    CHECK(uk_wide.IsBankHoliday(On(d)));
    CHECK_FALSE(uk_wide.IsWorkingDay(On(d)));
  }
  Result<BusinessCalendar> scotland = BusinessCalendar::FromBankHolidaysJson(BuiltInBankHolidaysJson(), kScotland);
  REQUIRE(scotland.ok());
  CHECK(scotland->IsWorkingDay(On("2026-04-06")));  // no Easter Monday in Scotland
  CHECK_FALSE(scotland->IsWorkingDay(On("2026-01-02")));
  CHECK(scotland->IsWorkingDay(On("2026-08-31")));
}

SCENARIO("An updated bank holidays file loads over the shipped one, year by year", "[calendar][merge]") {
  BusinessCalendar calendar = BusinessCalendar::EnglandAndWales();
  nlohmann::json events = nlohmann::json::array();
  for (const BankHoliday& h : BusinessCalendar::RuleHolidays(2031))
    events.push_back({{"title", h.title}, {"date", FormatDate(h.date)}, {"notes", h.notes}, {"bunting", true}});
  events.push_back({{"title", "Extra bank holiday"}, {"date", "2031-06-06"}, {"notes", ""}, {"bunting", true}});
  events.push_back({{"title", "Early May bank holiday"}, {"date", "2026-05-08"}, {"notes", ""}});
  for (const BankHoliday& h : BusinessCalendar::EnglandAndWales().HolidaysIn(2026))
    if (h.title != "Early May bank holiday")
      events.push_back({{"title", h.title}, {"date", FormatDate(h.date)}, {"notes", h.notes}});
  const nlohmann::json update = {{"england-and-wales", {{"division", "england-and-wales"}, {"events", events}}}};

  REQUIRE(calendar.Merge(update.dump()).ok());
  THEN("the years in the update replace the held ones, and the others are kept") {
    CHECK(calendar.CoversYear(2031));
    CHECK(calendar.IsBankHoliday(On("2031-06-06")));
    CHECK(calendar.IsBankHoliday(On("2031-12-25")));
    CHECK(calendar.IsBankHoliday(On("2026-05-08")));
    CHECK(calendar.IsWorkingDay(On("2026-05-04")));
    CHECK(calendar.HolidaysIn(2022) == BusinessCalendar::EnglandAndWales().HolidaysIn(2022));
    CHECK(BusinessCalendar::EnglandAndWales().IsWorkingDay(On("2031-06-06")));
  }
  THEN("a bad update changes nothing") {
    const Status s = calendar.Merge(R"({"england-and-wales": {"events": [
        {"title": "Extra", "date": "2032-06-07"}, {"title": "Bad", "date": "2032-02-30"}]}})");
    CHECK_THAT(s.message(), Catch::Contains("event 2 (Bad)"));
    CHECK_FALSE(calendar.CoversYear(2032));
    CHECK(calendar.IsWorkingDay(On("2032-06-07")));
  }
}

SCENARIO("Bad bank holiday files are refused with a message that names the problem", "[calendar][import]") {
  using Catch::Contains;
  CHECK_THAT(MessageFor(""), Contains("not valid JSON"));
  CHECK_THAT(MessageFor("not json"), Contains("not valid JSON"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [)"), Contains("not valid JSON"));
  CHECK_THAT(MessageFor("{\"england-and-wales\": {\"events\": [{\"title\": \"\xff\"}]}}"), Contains("not valid JSON"));
  CHECK_THAT(MessageFor("[]"), Contains("expected an object of divisions"));
  CHECK_THAT(MessageFor("{}"), Contains("expected an object of divisions"));
  CHECK_THAT(MessageFor(R"({"scotland": {"events": []}})"), Contains("no division 'england-and-wales' (it has: scotland)"));
  CHECK_THAT(MessageFor(BuiltInBankHolidaysJson(), "wales"), Contains("no division 'wales'"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": []})"), Contains("division 'england-and-wales' must be an object"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"division": "scotland", "events": []}})"),
             Contains("calls itself \"scotland\""));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": {}}})"), Contains("has no \"events\" list"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [42]}})"), Contains("england-and-wales event 1 must be an object"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [{"date": "2026-01-01"}]}})"), Contains("event 1 has no \"title\""));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [{"title": "Good Friday"}]}})"),
             Contains("event 1 (Good Friday) has no \"date\""));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [{"title": "Good Friday", "date": "2016-02-30"}]}})"),
             Contains("event 1 (Good Friday): '2016-02-30' is not a date written YYYY-MM-DD"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [{"title": "Good Friday", "date": 20160325}]}})"),
             Contains("\"date\" must be a string"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": [{"title": "X", "date": "2016-03-25"}, {"title": "Y", "date": "2016-03-28", "notes": 7}]}})"),
             Contains("event 2 (Y): \"notes\" must be a string"));
  CHECK_THAT(MessageFor(R"({"england-and-wales": {"events": []}, "scotland": "none"})"),
             Contains("division 'scotland' must be an object"));
}

// Found by fuzzing: "10:00:@0" reached date::parse, which turned the seconds into NaN and
// then converted it to an integer (undefined behaviour).
SCENARIO("An instant from outside is read in the documented shapes, anything else refused", "[calendar][clock]") {
  CHECK(FormatInstant(*ParseInstant("2026-01-05T09:30:00Z")) == "2026-01-05T09:30:00Z");
  CHECK(FormatInstant(*ParseInstant("2026-01-05T09:30:00")) == "2026-01-05T09:30:00Z");
  CHECK(FormatInstant(*ParseInstant("2026-01-05T09:30Z")) == "2026-01-05T09:30:00Z");
  CHECK(FormatInstant(*ParseInstant("2026-01-05T09:30")) == "2026-01-05T09:30:00Z");
  CHECK(FormatInstant(*ParseInstant("2026-01-05")) == "2026-01-05T00:00:00Z");
  for (const char* bad : {"2026-01-05T10:00:@0Z", "2026-01-05T10:00:Z", "2026-01-05T10:00:0.5Z", "2026-01-05Z",
                          "2026-1-5", "", "Z", "2026-01-05T10:00:00ZZ", "2026-01-05 10:00:00"}) {
    Result<Instant> t = ParseInstant(bad);
    REQUIRE_FALSE(t.ok());
    CHECK_THAT(t.status().message(), Catch::Contains("is not a date-time (use 2026-01-05T09:30:00Z or 2026-01-05)"));
  }
}
