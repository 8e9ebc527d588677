// An updated bank-holidays.json (a one-off holiday announced) moves working-day deadlines
// and their timers on every review; a bad file changes nothing.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using Json = nlohmann::json;

namespace {

// gov.uk's format: the shipped 2026 holidays plus `extra` (the update replaces all of 2026).
std::string UpdateWith(const std::string& extra_date, const std::string& title) {
  Json events = Json::array();
  for (const auto& h : BusinessCalendar::EnglandAndWales().HolidaysIn(2026))
    events.push_back({{"title", h.title}, {"date", FormatDate(h.date)}, {"notes", h.notes}, {"bunting", true}});
  events.push_back({{"title", title}, {"date", extra_date}, {"notes", ""}, {"bunting", true}});
  return Json{{"england-and-wales", {{"division", "england-and-wales"}, {"events", events}}}}.dump();
}

Json Deadline(Store& store, const std::string& ref, const std::string& key) {
  Json projection = Json::parse(store.GetReview(ref)->projection);  // named: the loop must not outlive it
  for (const auto& d : projection["deadlines"])
    if (d["key"] == key) return d;
  return Json();
}

}  // namespace

SCENARIO("A newly announced bank holiday moves working-day deadlines and their timers", "[calendar][deadline]") {
  auto store = NewMemoryStore();
  ManualClock clock(*ParseInstant("2026-06-01T09:00:00Z"));  // Monday
  Engine engine(*store, clock);
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  board->board.policy_profile = "wt2018";
  REQUIRE(engine.ImportBoardData(*board).ok());
  auto ref = engine.Open("scr", "", {{"referring_agency", "police"}, {"incident", "death"}, {"incident_date", "2026-05-30"},
                                   {"abuse_or_neglect", "suspected"}, {"agencies_involved", {"csc"}}}, "p-spoc");
  REQUIRE(ref.ok());
  REQUIRE(Deadline(*store, *ref, "national-panel-notified")["due_date"] == "2026-06-08");

  WHEN("Wednesday 3 June 2026 is declared a bank holiday") {
    auto n = engine.UpdateBankHolidays(UpdateWith("2026-06-03", "A one-off bank holiday"));
    INFO(n.status().message());
    REQUIRE(n.ok());
    THEN("the national panel's notification falls due a working day later, with timers to match") {
      REQUIRE(*n == 1);
      REQUIRE(Deadline(*store, *ref, "national-panel-notified")["due_date"] == "2026-06-09");
      auto pending = *store->PendingTimers(*ref);
      REQUIRE(std::all_of(pending.begin(), pending.end(),
                          [](const Timer& t) { return t.id.find("@2026-06-08") == std::string::npos; }));
      REQUIRE((*engine.Calendar())->IsBankHoliday(*ParseDate("2026-06-03")));
    }
    THEN("a fresh engine over the same store counts on the updated calendar and agrees with the read model") {
      Engine again(*store, clock);
      REQUIRE((*again.Calendar())->IsBankHoliday(*ParseDate("2026-06-03")));
      REQUIRE(again.Recover().ok());
    }
  }
  WHEN("the file is not a bank holidays file") {
    auto bad = engine.UpdateBankHolidays(R"({"england-and-wales": {"division": "england-and-wales", "events": [{"title": "x", "date": "2026-02-30"}]}})");
    THEN("it is refused, naming the problem, and nothing changes") {
      REQUIRE(bad.status().code() == Status::Code::kInvalidArgument);
      REQUIRE_THAT(bad.status().message(), Catch::Contains("bank holidays file") && Catch::Contains("2026-02-30"));
      // Said once: running the fuzz corpus showed "bank holidays file: bank holidays file: ...".
      REQUIRE_THAT(bad.status().message(), Catch::StartsWith("bank holidays file: england-and-wales event 1 (x)"));
      REQUIRE_FALSE(store->GetSetting("bank-holidays")->has_value());
      REQUIRE(Deadline(*store, *ref, "national-panel-notified")["due_date"] == "2026-06-08");
    }
  }
}
