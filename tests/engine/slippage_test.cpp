// The board's slippage report: how late each review ran, and why.
#include <catch2/catch.hpp>

#include "slippage.hpp"
#include "support/example_run.hpp"

using namespace casereview;

SCENARIO("The slippage report says how late each review and IMR ran, and why", "[report][slippage]") {
  casereview::testing::ExampleRun run;
  auto& store = run.store;
  const Scenario* sc = &run.scenario;
  ManualClock& clock = run.clock;

  WHEN("the example review is run to closure") {
    for (std::size_t i = 0; i < sc->steps.size(); ++i) run.RunStep(i);
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
    for (std::size_t i = 0; i < until; ++i) run.RunStep(i);
    auto report = SlippageReport(*store->ListReviews({}), *ParseInstant("2026-08-09T12:00:00Z"));
    THEN("it is 14 days late as at that date, and not completed") {
      REQUIRE(report[0]["completed"] == false);
      REQUIRE(report[0]["days_late"] == 14);
      REQUIRE(report[0]["on_time"] == false);
    }
  }
  WHEN("no review has been decided yet") {
    run.RunStep(0);
    THEN("there is nothing to report") { REQUIRE(SlippageReport(*store->ListReviews({}), clock.Now()).empty()); }
  }
}
