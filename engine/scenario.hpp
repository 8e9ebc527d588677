// Scenario files: a whole review written down as steps, run against a fresh database by
// `casereview scenario run` and by the tests (examples/ holds them). Each step happens at
// its own time on a settable clock, so a scenario replays months in milliseconds.
//
// {"title": "...", "board_file": "demo-board.json",
//  "steps": [{"at": "2026-01-05T09:00:00Z", "by": "p-spoc", "refer": {...fields}},
//                                       (or "notify": {...} for a child death review)
//            {"at": "...", "by": "...", "event": "PanelMeetingHeld", "fields": {...},
//             "expect": "refused" | "recorded" (default), "expect_stage": "Commissioning",
//             "note": "why this step is here"},
//            {"at": "...", "tick": true}]}   // the scheduler fires every timer due by then
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/engine.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

struct ScenarioStep {
  Instant at{};
  std::string by;
  bool is_referral = false;  // the step that opens the review: a referral or a notification
  std::string opens;         // the kind it opens, by its command: "scr" (refer), "cdop" (notify)
  bool is_tick = false;  // run the scheduler: fire every timer due at `at`
  std::string event;  // empty for a referral
  nlohmann::json fields = nlohmann::json::object();
  bool expect_refused = false;
  std::string expect_stage;  // "" = no check
  std::string note;
};

struct Scenario {
  std::string title;
  std::string board_file;  // relative to the scenario file
  std::vector<ScenarioStep> steps;
};

// Outside input: errors name the step (1-based) and the field.
Result<Scenario> ParseScenario(std::string_view text);

struct StepOutcome {
  std::string review_ref;
  std::string stage;    // after the step
  std::string refusal;  // the refusal message, for a step expected to be refused
  std::int64_t fired = 0;  // timers fired, for a tick
};

// Runs a scenario's steps one at a time. Holds the reference of the review the scenario's
// referral opened, so that a test may close and reopen the store between any two steps.
class ScenarioRunner {
 public:
  explicit ScenarioRunner(const Scenario& s) : scenario_(s) {}
  // Sets `clock` to the step's time and applies it. A step whose outcome differs from its
  // expectation is an error naming the step. A tick needs the engine's `store`.
  Result<StepOutcome> RunStep(std::size_t index, Engine& engine, ManualClock& clock,
                              Store* store = nullptr);
  const std::string& review_ref() const { return review_ref_; }

 private:
  const Scenario& scenario_;
  std::string review_ref_;
};

}  // namespace casereview
