// The business calendar: bank holiday rules, the bank-holidays.json reader, working-day
// counting, calendar months and Europe/London time. The conventions are in calendar.hpp.
#include "calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>
#include <span>

namespace casereview {
namespace {

namespace chr = std::chrono;
using Json = nlohmann::json;
using HolidaysByYear = std::map<int, std::vector<BankHoliday>>;
using HolidaysByDivision = std::map<std::string, HolidaysByYear, std::less<>>;

// ---- The rules -----------------------------------------------------------------------------

struct FixedHoliday {
  unsigned month;
  unsigned day;
  std::string_view title;
};

struct DivisionRules {
  std::string_view division;
  std::span<const FixedHoliday> fixed;  // in calendar order
  bool easter_monday;
  bool summer_first_monday;  // Scotland: first Monday of August; elsewhere the last
};

constexpr std::string_view kNewYearsDay = "New Year\u2019s Day";
constexpr FixedHoliday kEnglandAndWalesFixed[] = {
    {1, 1, kNewYearsDay}, {12, 25, "Christmas Day"}, {12, 26, "Boxing Day"}};
constexpr FixedHoliday kScotlandFixed[] = {{1, 1, kNewYearsDay},
                                           {1, 2, "2nd January"},
                                           {11, 30, "St Andrew\u2019s Day"},
                                           {12, 25, "Christmas Day"},
                                           {12, 26, "Boxing Day"}};
constexpr FixedHoliday kNorthernIrelandFixed[] = {{1, 1, kNewYearsDay},
                                                  {3, 17, "St Patrick\u2019s Day"},
                                                  {7, 12, "Battle of the Boyne (Orangemen\u2019s Day)"},
                                                  {12, 25, "Christmas Day"},
                                                  {12, 26, "Boxing Day"}};
constexpr DivisionRules kDivisionRules[] = {
    {kEnglandAndWales, kEnglandAndWalesFixed, true, false},
    {kScotland, kScotlandFixed, false, true},
    {kNorthernIreland, kNorthernIrelandFixed, true, false},
};

struct RuleHoliday {
  chr::sys_days date;
  std::string_view title;
  bool substitute;
};

bool IsWeekend(chr::sys_days d) {
  const chr::weekday wd{d};
  return wd == chr::Saturday || wd == chr::Sunday;
}

// Easter Sunday, Gregorian calendar (the "anonymous Gregorian" computus). REQUIRES: y >= 1.
chr::sys_days EasterSunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return chr::sys_days{chr::year{y} / month / day};
}

chr::sys_days FirstMonday(int y, unsigned month) {
  return chr::sys_days{chr::year{y} / chr::month{month} / chr::Monday[1]};
}

chr::sys_days LastMonday(int y, unsigned month) {
  return chr::sys_days{chr::year{y} / chr::month{month} / chr::Monday[chr::last]};
}

bool Taken(const std::vector<RuleHoliday>& holidays, chr::sys_days d) {
  return std::any_of(holidays.begin(), holidays.end(), [d](const RuleHoliday& h) { return h.date == d; });
}

// A fixed holiday at a weekend is taken on the next weekday that is not already a holiday.
// Those on weekdays are placed first, so Christmas on a Sunday gives Boxing Day on Monday 26
// and a substitute Christmas Day on Tuesday 27, as the published lists have it.
void AddFixedHolidays(int y, std::span<const FixedHoliday> fixed, std::vector<RuleHoliday>& out) {
  for (const FixedHoliday& f : fixed) {
    const chr::sys_days d{chr::year{y} / chr::month{f.month} / chr::day{f.day}};
    if (!IsWeekend(d)) out.push_back({d, f.title, false});
  }
  for (const FixedHoliday& f : fixed) {
    chr::sys_days d{chr::year{y} / chr::month{f.month} / chr::day{f.day}};
    if (!IsWeekend(d)) continue;
    while (IsWeekend(d) || Taken(out, d)) d += chr::days{1};
    out.push_back({d, f.title, true});
  }
}

const DivisionRules* RulesOf(std::string_view division) {
  for (const DivisionRules& rules : kDivisionRules)
    if (rules.division == division) return &rules;
  return nullptr;
}

std::vector<RuleHoliday> HolidaysByRule(int y, std::string_view division) {
  const DivisionRules* rules = RulesOf(division);
  if (rules == nullptr || y < 1 || y > 9999) return {};
  const chr::sys_days easter = EasterSunday(y);
  std::vector<RuleHoliday> out{{easter - chr::days{2}, "Good Friday", false}};
  if (rules->easter_monday) out.push_back({easter + chr::days{1}, "Easter Monday", false});
  out.push_back({FirstMonday(y, 5), "Early May bank holiday", false});
  out.push_back({LastMonday(y, 5), "Spring bank holiday", false});
  out.push_back({rules->summer_first_monday ? FirstMonday(y, 8) : LastMonday(y, 8),
                 "Summer bank holiday", false});
  AddFixedHolidays(y, rules->fixed, out);
  std::sort(out.begin(), out.end(), [](const RuleHoliday& a, const RuleHoliday& b) { return a.date < b.date; });
  return out;
}

// ---- Reading bank-holidays.json -------------------------------------------------------------

Status Invalid(const std::string& what) { return Status::InvalidArgument("bank holidays file: " + what); }

Status ParseJsonText(std::string_view text, Json& out) {
  try {
    out = Json::parse(text.begin(), text.end());
    return Status::Ok();
  } catch (const Json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 1: ..." -> from "parse error".
    std::string why = e.what();
    if (const auto end_of_id = why.find("] "); end_of_id != std::string::npos) why.erase(0, end_of_id + 2);
    return Invalid("not valid JSON (" + why + ")");
  }
}

// `object[key]` as a string. Absent is an error when `required`, else "".
Status StringMember(const Json& object, const char* key, bool required, const std::string& where,
                    std::string& out) {
  const auto it = object.find(key);
  if (it == object.end()) {
    out.clear();
    return required ? Invalid(where + " has no \"" + key + "\"") : Status::Ok();
  }
  if (!it->is_string()) return Invalid(where + ": \"" + key + "\" must be a string, not " + it->dump());
  out = it->get<std::string>();
  return Status::Ok();
}

Status ParseEvent(const Json& event, const std::string& where, BankHoliday& out) {
  if (!event.is_object()) return Invalid(where + " must be an object with a \"title\" and a \"date\"");
  CR_RETURN_IF_ERROR(StringMember(event, "title", true, where, out.title));
  const std::string named = where + " (" + out.title + ")";
  std::string date;
  CR_RETURN_IF_ERROR(StringMember(event, "date", true, named, date));
  Result<Date> parsed = ParseDate(date);
  if (!parsed.ok()) return Invalid(named + ": " + parsed.status().message());
  out.date = *parsed;
  return StringMember(event, "notes", false, named, out.notes);
}

Status ParseDivision(const std::string& name, const Json& division, HolidaysByYear& out) {
  const std::string where = "division '" + name + "'";
  if (!division.is_object()) return Invalid(where + " must be an object with an \"events\" list");
  const auto label = division.find("division");
  if (label != division.end() && !(label->is_string() && label->get<std::string>() == name))
    return Invalid(where + " calls itself " + label->dump() + " in its \"division\" field");
  const auto events = division.find("events");
  if (events == division.end() || !events->is_array()) return Invalid(where + " has no \"events\" list");
  for (std::size_t i = 0; i < events->size(); ++i) {
    BankHoliday holiday;
    CR_RETURN_IF_ERROR(ParseEvent((*events)[i], name + " event " + std::to_string(i + 1), holiday));
    out[int(holiday.date.year())].push_back(std::move(holiday));
  }
  for (auto& entry : out)
    std::stable_sort(entry.second.begin(), entry.second.end(),
                     [](const BankHoliday& a, const BankHoliday& b) { return a.date < b.date; });
  return Status::Ok();
}

Status ParseBankHolidays(std::string_view text, HolidaysByDivision& out) {
  Json json;
  CR_RETURN_IF_ERROR(ParseJsonText(text, json));
  if (!json.is_object() || json.empty())
    return Invalid("expected an object of divisions, as {\"england-and-wales\": {\"events\": [...]}}");
  for (auto it = json.begin(); it != json.end(); ++it)
    CR_RETURN_IF_ERROR(ParseDivision(it.key(), it.value(), out[it.key()]));
  return Status::Ok();
}

std::string DivisionNames(const HolidaysByDivision& divisions) {
  std::string names;
  for (const auto& entry : divisions) names += (names.empty() ? "" : ", ") + entry.first;
  return names;
}

}  // namespace

// ---- BusinessCalendar --------------------------------------------------------------------------

Result<BusinessCalendar> BusinessCalendar::FromBankHolidaysJson(std::string_view json,
                                                                std::string_view division) {
  HolidaysByDivision loaded;
  CR_RETURN_IF_ERROR(ParseBankHolidays(json, loaded));
  if (loaded.find(division) == loaded.end())
    return Invalid("no division '" + std::string(division) + "' (it has: " + DivisionNames(loaded) + ")");
  BusinessCalendar calendar{std::string(division)};
  calendar.loaded_ = std::move(loaded);
  return calendar;
}

const BusinessCalendar& BusinessCalendar::EnglandAndWales() {
  static const BusinessCalendar calendar = [] {
    Result<BusinessCalendar> shipped = FromBankHolidaysJson(BuiltInBankHolidaysJson());
    // The shipped file is tested; were it ever broken, the rules alone still give a calendar.
    assert(shipped.ok() && "engine/data/bank-holidays.json as compiled in does not parse");
    return shipped.ok() ? std::move(shipped).value() : BusinessCalendar{std::string(kEnglandAndWales)};
  }();
  return calendar;
}

std::vector<BankHoliday> BusinessCalendar::RuleHolidays(int year, std::string_view division) {
  std::vector<BankHoliday> out;
  for (const RuleHoliday& h : HolidaysByRule(year, division))
    out.push_back({Date{h.date}, std::string(h.title), h.substitute ? "Substitute day" : ""});
  return out;
}

Status BusinessCalendar::Merge(std::string_view json) {
  HolidaysByDivision update;
  CR_RETURN_IF_ERROR(ParseBankHolidays(json, update));
  for (auto& [name, years] : update)
    for (auto& [year, holidays] : years) loaded_[name][year] = std::move(holidays);
  return Status::Ok();
}

bool BusinessCalendar::CoversYear(int year) const {
  const auto loaded = loaded_.find(division_);
  return loaded != loaded_.end() && loaded->second.count(year) > 0;
}

std::vector<BankHoliday> BusinessCalendar::HolidaysIn(int year) const {
  if (!CoversYear(year)) return RuleHolidays(year, division_);
  return loaded_.find(division_)->second.at(year);
}

bool BusinessCalendar::DivisionObserves(std::string_view division, Date d) const {
  const int year = int(d.year());
  if (const auto loaded = loaded_.find(division); loaded != loaded_.end()) {
    if (const auto in_year = loaded->second.find(year); in_year != loaded->second.end())
      return std::any_of(in_year->second.begin(), in_year->second.end(),
                         [d](const BankHoliday& h) { return h.date == d; });
  }
  return Taken(HolidaysByRule(year, division), chr::sys_days{d});
}

bool BusinessCalendar::IsBankHoliday(Date d) const {
  assert(d.ok());
  if (!options_.uk_wide) return DivisionObserves(division_, d);
  for (const DivisionRules& rules : kDivisionRules)
    if (DivisionObserves(rules.division, d)) return true;
  for (const auto& entry : loaded_)
    if (DivisionObserves(entry.first, d)) return true;
  return false;
}

bool BusinessCalendar::IsWorkingDay(Date d) const {
  assert(d.ok());
  if (IsWeekend(chr::sys_days{d})) return false;
  if (options_.exclude_christmas_eve && d.month() == chr::December && d.day() == chr::day{24}) return false;
  return !IsBankHoliday(d);
}

Date BusinessCalendar::NextWorkingDay(Date d) const {
  chr::sys_days day{d};
  while (!IsWorkingDay(Date{day})) day += chr::days{1};
  return Date{day};
}

Date BusinessCalendar::AddWorkingDays(Date anchor, int n) const {
  chr::sys_days day{anchor};
  if (n < 0) {  // backwards: never rolled; the |n|th working day strictly before the anchor
    for (int left = n; left < 0;) {
      day -= chr::days{1};
      if (IsWorkingDay(Date{day})) ++left;
    }
    return Date{day};
  }
  if (options_.day_zero == DayZero::kNextWorkingDay) day = chr::sys_days{NextWorkingDay(anchor)};
  for (int left = n; left > 0;) {
    day += chr::days{1};
    if (IsWorkingDay(Date{day})) --left;
  }
  return Date{day};
}

int BusinessCalendar::WorkingDaysBetween(Date a, Date b) const {
  if (b < a) return -WorkingDaysBetween(b, a);
  chr::sys_days from{a}, to{b};
  if (options_.day_zero == DayZero::kAnchorDay) {  // (a, b] rather than [a, b)
    from += chr::days{1};
    to += chr::days{1};
  }
  int count = 0;
  for (chr::sys_days day = from; day < to; day += chr::days{1})
    if (IsWorkingDay(Date{day})) ++count;
  return count;
}

// ---- Calendar arithmetic ------------------------------------------------------

Date AddDays(Date d, int n) {
  assert(d.ok());
  return Date{chr::sys_days{d} + chr::days{n}};
}

Date AddMonths(Date d, int months) {
  assert(d.ok());
  const chr::year_month target = chr::year_month{d.year(), d.month()} + chr::months{months};
  const chr::day last = chr::year_month_day_last{target.year(), chr::month_day_last{target.month()}}.day();
  return Date{target.year(), target.month(), std::min(d.day(), last)};
}

}  // namespace casereview
