// The board's slippage report: how late each review ran, and why.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "scenario.hpp"
#include "slippage.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;

SCENARIO("The slippage report says how late each review and IMR ran, and why", "[report][slippage]") {
  auto store = NewMemoryStore();
  auto sc = ParseScenario(ReadBytes(ExamplePath("scr_full_lifecycle.json")));
  REQUIRE(sc.ok());
  ManualClock clock(sc->steps.front().at);
  Engine engine(*store, clock);
  REQUIRE(engine.ImportBoardData(*ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")))).ok());
  ScenarioRunner runner(*sc);

  WHEN("the example review is run to closure") {
    for (std::size_t i = 0; i < sc->steps.size(); ++i) REQUIRE(runner.RunStep(i, engine, clock, store.get()).ok());
    auto report = SlippageReport(*store->ListReviews({}), clock.Now());
    THEN("it completed within its extended date, the extension's reason is given, and the police IMR ran 66 days late") {
      REQUIRE(report.size() == 1);
      REQUIRE(report[0]["completion_original_due"] == "2026-05-26");
      REQUIRE(report[0]["completion_due"] == "2026-07-26");
      REQUIRE(report[0]["completed"] == true);
      REQUIRE(report[0]["days_late"] == 0);
      REQUIRE(report[0]["reasons"][0]["reason"] == "The police IMR waits on the criminal investigation's disclosure decision.");
      REQUIRE(report[0]["imrs"][2]["agency"] == "police");
      REQUIRE(report[0]["imrs"][2]["days_late"] == 66);
      REQUIRE(report[0]["imrs"][0]["days_late"] == 0);
    }
  }
  WHEN("a review is still drafting its overview two weeks after its due date") {
    std::size_t until = 0;
    while (sc->steps[until].event != "OverviewReportSubmitted") ++until;
    for (std::size_t i = 0; i < until; ++i) REQUIRE(runner.RunStep(i, engine, clock, store.get()).ok());
    auto report = SlippageReport(*store->ListReviews({}), *ParseInstant("2026-08-09T12:00:00Z"));
    THEN("it is 14 days late as at that date, and not completed") {
      REQUIRE(report[0]["completed"] == false);
      REQUIRE(report[0]["days_late"] == 14);
      REQUIRE(report[0]["on_time"] == false);
    }
  }
  WHEN("no review has been decided yet") {
    REQUIRE(runner.RunStep(0, engine, clock, store.get()).ok());
    THEN("there is nothing to report") { REQUIRE(SlippageReport(*store->ListReviews({}), clock.Now()).empty()); }
  }
}
