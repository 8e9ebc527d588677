// The demo board and the example review's scenario on an in-memory store, ready to run
// step by step (tests/engine/*).
#pragma once

#include <catch2/catch.hpp>
#include <memory>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

namespace casereview::testing {

struct ExampleRun {
  std::unique_ptr<Store> store = NewMemoryStore();
  Scenario scenario = Load();
  ManualClock clock{scenario.steps.front().at};
  Engine engine{*store, clock};
  ScenarioRunner runner{scenario};

  ExampleRun() {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine.ImportBoardData(*board).ok());
  }

  void RunStep(std::size_t i) {
    auto out = runner.RunStep(i, engine, clock, store.get());
    INFO(out.status().message());
    REQUIRE(out.ok());
  }

 private:
  static Scenario Load() {
    auto s = ParseScenario(ReadBytes(ExamplePath("scr_full_lifecycle.json")));
    REQUIRE(s.ok());
    return *s;
  }
};

}  // namespace casereview::testing
