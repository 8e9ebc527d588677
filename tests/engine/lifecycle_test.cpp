// The whole example review through the engine and a real store: it reaches Closed, it
// survives closing and reopening the database at every step, and every refusal leaves the
// database file exactly as it was.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;

namespace {

Scenario ExampleScenario() {
  auto s = ParseScenario(ReadBytes(ExamplePath("scr_full_lifecycle.json")));
  REQUIRE(s.ok());
  return *s;
}

BoardData DemoBoard() {
  auto d = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(d.ok());
  return *d;
}

std::unique_ptr<Store> OpenFile(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().message());
  REQUIRE(s.ok());
  return std::move(*s);
}

// Runs the whole scenario on `store`; returns the review's reference and adds the timers
// its ticks fired to `fired`.
std::string RunAll(Store& store, const Scenario& sc, std::int64_t* fired = nullptr) {
  ManualClock clock(sc.steps.front().at);
  Engine engine(store, clock);
  REQUIRE(engine.ImportBoardData(DemoBoard()).ok());
  ScenarioRunner runner(sc);
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    auto out = runner.RunStep(i, engine, clock, &store);
    INFO(out.status().message());
    REQUIRE(out.ok());
    if (fired) *fired += out->fired;
  }
  return runner.review_ref();
}

}  // namespace

SCENARIO("The example SCR runs from referral to closure", "[engine][scr][lifecycle]") {
  GIVEN("the demo board and the example scenario on an in-memory store") {
    auto store = NewMemoryStore();
    Scenario sc = ExampleScenario();
    std::int64_t fired = 0;
    std::string ref = RunAll(*store, sc, &fired);
    THEN("the review is closed, with every accepted event and fired timer in its log") {
      auto record = store->GetReview(ref);
      REQUIRE(record.ok());
      REQUIRE(record->stage == "Closed");
      REQUIRE_FALSE(record->open);
      std::size_t refused = 0, ticks = 0;
      for (const auto& step : sc.steps) {
        refused += step.expect_refused;
        ticks += step.is_tick;
      }
      REQUIRE(refused >= 6);
      REQUIRE(fired >= 7);  // the police IMR's reminders and escalations, action A2's reminder
      auto log = store->LoadEvents(ref);
      REQUIRE(log.ok());
      REQUIRE(log->size() == sc.steps.size() - refused - ticks + static_cast<std::size_t>(fired));
      REQUIRE_FALSE(store->ListNotices({})->empty());
      REQUIRE(store->PendingTimers(ref)->empty());  // closed: nothing left to fire
      auto projection = nlohmann::json::parse(record->projection);
      REQUIRE(projection["imrs"].size() == 3);
      REQUIRE(projection["alongside"]["extensions"][0]["status"] == "granted");
      REQUIRE(projection["actions"][2]["stage"] == "ClosedWithReasons");
    }
    THEN("no stored read model carries the child's details") {
      auto record = store->GetReview(ref);
      REQUIRE(record->projection.find("Child A") == std::string::npos);
      REQUIRE(record->projection.find("2019-06-14") == std::string::npos);
    }
  }
}

SCENARIO("A review survives closing and reopening the database at every stage", "[engine][durability]") {
  TempDir dir;
  Scenario sc = ExampleScenario();
  auto reference_store = NewMemoryStore();
  std::string ref = RunAll(*reference_store, sc);

  GIVEN("a database file that is closed and reopened between every two steps") {
    std::string path = dir.File("reopen.db");
    {
      auto store = OpenFile(path);
      ManualClock clock(sc.steps.front().at);
      Engine engine(*store, clock);
      REQUIRE(engine.ImportBoardData(DemoBoard()).ok());
    }
    ScenarioRunner runner(sc);
    for (std::size_t i = 0; i < sc.steps.size(); ++i) {
      auto store = OpenFile(path);
      ManualClock clock(sc.steps[i].at);
      Engine engine(*store, clock);
      if (i > 0) {
        auto recovered = engine.Recover();  // the rebuilt machines agree with the store
        INFO(recovered.status().message());
        REQUIRE(recovered.ok());
      }
      auto out = runner.RunStep(i, engine, clock, store.get());
      INFO(out.status().message());
      REQUIRE(out.ok());
    }
    THEN("after the last reopen the review is in the same state as an uninterrupted run") {
      auto store = OpenFile(path);
      auto reopened = store->GetReview(ref);
      auto uninterrupted = reference_store->GetReview(ref);
      REQUIRE(reopened.ok());
      REQUIRE(*reopened == *uninterrupted);
      REQUIRE(*store->LoadEvents(ref) == *reference_store->LoadEvents(ref));
      REQUIRE(*store->ListNotices({}) == *reference_store->ListNotices({}));
    }
  }
}

SCENARIO("A refused event leaves the database byte-for-byte unchanged", "[engine][refusal]") {
  TempDir dir;
  std::string path = dir.File("refusals.db");
  Scenario sc = ExampleScenario();
  {
    auto store = OpenFile(path);
    ManualClock clock(sc.steps.front().at);
    Engine engine(*store, clock);
    REQUIRE(engine.ImportBoardData(DemoBoard()).ok());
  }
  ScenarioRunner runner(sc);
  int refusals_checked = 0;
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    std::string before = ReadBytes(path);
    {
      auto store = OpenFile(path);
      ManualClock clock(sc.steps[i].at);
      Engine engine(*store, clock);
      REQUIRE(runner.RunStep(i, engine, clock, store.get()).ok());
      if (i == 0 || i + 1 == sc.steps.size()) continue;
      // Bad input of every kind, at this stage, before the step's own outcome is checked.
      std::string ref = runner.review_ref();
      std::string mid = ReadBytes(path + "-wal");
      REQUIRE(engine.Record("SCR-1999-999", "ImrSubmitted", {{"agency", "csc"}}, "p-spoc").status().code() ==
              Status::Code::kNotFound);
      REQUIRE(engine.Record(ref, "NoSuchEvent", nlohmann::json::object(), "p-spoc").status().code() ==
              Status::Code::kInvalidArgument);
      REQUIRE(engine.Record(ref, "PanelMeetingHeld", {{"date", "someday"}, {"attendees", {"p-spoc"}}}, "p-spoc")
                  .status().code() == Status::Code::kInvalidArgument);
      REQUIRE(engine.Record(ref, "PanelMeetingHeld", {{"date", "2026-01-01"}, {"attendees", {"p-nobody"}}}, "p-spoc")
                  .status().code() == Status::Code::kNotFound);
      REQUIRE(engine.Record(ref, "MediaStrategyAgreed", {{"date", "2026-01-01"}}, "p-impostor").status().code() ==
              Status::Code::kNotFound);
      REQUIRE(ReadBytes(path + "-wal") == mid);
    }
    if (sc.steps[i].expect_refused) {
      ++refusals_checked;
      INFO("step " << i + 1 << " " << sc.steps[i].event);
      REQUIRE(ReadBytes(path) == before);
    }
  }
  REQUIRE(refusals_checked >= 6);
}

SCENARIO("A log that does not replay is reported, not trusted", "[engine][recovery]") {
  auto store = NewMemoryStore();
  Scenario sc = ExampleScenario();
  ManualClock clock(sc.steps.front().at);
  Engine engine(*store, clock);
  REQUIRE(engine.ImportBoardData(DemoBoard()).ok());
  ScenarioRunner runner(sc);
  REQUIRE(runner.RunStep(0, engine, clock).ok());
  std::string ref = runner.review_ref();
  auto record = *store->GetReview(ref);
  ReviewChange bad;
  bad.review = record;
  bad.review.last_seq = 2;
  bad.events.push_back({ref, 2, "ImrSubmitted", R"({"agency":"csc"})", "p-spoc", clock.Now()});
  bad.expected_last_seq = 1;
  REQUIRE(store->Commit(bad).ok());
  auto recovered = engine.Recover();
  REQUIRE(recovered.status().code() == Status::Code::kCorruption);
  REQUIRE_THAT(recovered.status().message(), Catch::Contains(ref) && Catch::Contains("event 2 (ImrSubmitted)"));
}
