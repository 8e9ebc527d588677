// Scenario files (`casereview scenario run`; engine/scenario.*). The parser, then the steps
// run against a memory store holding the demo board, as `scenario run` does (at most
// kMaxSteps, so one input stays fast). Refused: a Status naming the step. Accepted: every
// step names the review it acted on and the stage reached, and the store still replays.
#include "fuzz_support.hpp"
#include "scenario.hpp"

using namespace casereview;

namespace {
constexpr std::size_t kMaxSteps = 24;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<Scenario> parsed = ParseScenario(fuzz::AsText(data, size));
  if (!parsed.ok()) {
    fuzz::CheckRefusal(parsed.status());
    return 0;
  }
  const Scenario& scenario = *parsed;
  FUZZ_CHECK(!scenario.steps.empty() && scenario.steps.front().is_referral,
             "an accepted scenario opens a review first");

  auto store = NewMemoryStore();
  ManualClock clock{Instant{}};
  Engine engine(*store, clock);
  FUZZ_CHECK(engine.ImportBoardData(fuzz::DemoBoard()).ok(), "the demo board imports");
  ScenarioRunner runner(scenario);
  for (std::size_t i = 0; i < scenario.steps.size() && i < kMaxSteps; ++i) {
    Result<StepOutcome> out = runner.RunStep(i, engine, clock, store.get());
    if (!out.ok()) {
      fuzz::CheckRefusal(out.status());
      break;
    }
    FUZZ_CHECK(out->review_ref == runner.review_ref() && !out->stage.empty(),
               "a step that ran names its review and stage");
  }
  Result<RecoveryReport> verified = engine.Recover(/*include_closed=*/true);
  FUZZ_CHECK(verified.ok(), "whatever a scenario recorded replays to the stored stages");
  return 0;
}
