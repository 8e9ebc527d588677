// The read model of a review (engine/replay.hpp): RecordOf writes the projection and summary
// as nlohmann's dump of the whole projection and SummarizeProjection of it would, byte for
// byte, although it serialises the deadlines apart (DeadlinesTextOf). A file written before
// must not read as stale (Engine::Recover compares the bytes).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "board_import.hpp"
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "casereview/review_summary.hpp"
#include "replay.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;

namespace {

// The record as RecordOf made it before the deadlines were serialised apart.
ReviewRecord RecordAsWholeJson(const ReviewState& s, const ReviewRecord& stored) {
  ReviewRecord r = stored;
  nlohmann::json projection = s.workflow->Projection();
  projection["deadlines"] = s.deadlines.ToJson();
  r.summary = SummarizeProjection(projection);
  r.projection = projection.dump();
  return r;
}

}  // namespace

SCENARIO("The read model is the whole projection's JSON at every step of the examples", "[engine][replay]") {
  for (const char* file : {"scr_full_lifecycle.json", "cdop_unexpected_death.json"}) {
    GIVEN(std::string("the example ") + file + " run step by step on the demo board") {
      auto scenario = ParseScenario(ReadBytes(ExamplePath(file)));
      REQUIRE(scenario.ok());
      auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
      REQUIRE(board.ok());
      auto store = NewMemoryStore();
      ManualClock clock(scenario->steps.front().at);
      Engine engine(*store, clock);
      REQUIRE(engine.ImportBoardData(*board).ok());
      ScenarioRunner runner(*scenario);
      const BusinessCalendar calendar = BusinessCalendar::EnglandAndWales();
      THEN("after each step the stored record, and RecordOf from the replayed log, are that JSON") {
        for (std::size_t i = 0; i < scenario->steps.size(); ++i) {
          auto out = runner.RunStep(i, engine, clock, store.get());
          INFO("step " << i + 1 << ": " << out.status().message());
          REQUIRE(out.ok());
          ReviewRecord stored = *store->GetReview(runner.review_ref());
          auto state = Replay(*store->LoadEvents(runner.review_ref()), calendar);
          REQUIRE(state.ok());
          const ReviewRecord expected = RecordAsWholeJson(*state, stored);
          CHECK(stored.projection == expected.projection);
          CHECK(stored.summary == expected.summary);
          CHECK(RecordOf(*state, stored.board_id, stored.opened_at, stored.updated_at, stored.last_seq) == expected);
        }
      }
    }
  }
}
