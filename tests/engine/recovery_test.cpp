// verify: a read model an older casereview wrote (same stage, same event, fewer fields) is
// reported as stale, not as corruption, and rebuilt from the log on request; a read model
// at another stage is corruption.
#include <catch2/catch.hpp>

#include "support/example_run.hpp"

using namespace casereview;
using casereview::testing::ExampleRun;

namespace {

// Rewrites a review's stored read model, as an older build (or a damaged file) would have.
void Overwrite(Store& store, ReviewRecord r) {
  ReviewChange c;
  c.expected_last_seq = r.last_seq;
  c.review = std::move(r);
  REQUIRE(store.Commit(c).ok());
}

}  // namespace

SCENARIO("A read model from an older casereview is rebuilt, a wrong one is corruption", "[engine][recovery]") {
  GIVEN("the example review, its read model then written without a field a newer build adds") {
    ExampleRun run;
    for (std::size_t i = 0; i < 12; ++i) run.RunStep(i);
    ReviewRecord stored = *run.store->GetReview("SCR-2026-001");
    auto projection = nlohmann::json::parse(stored.projection);
    projection.erase("linked_review");
    ReviewRecord older = stored;
    older.projection = projection.dump();
    Overwrite(*run.store, older);
    WHEN("it is verified") {
      auto report = run.engine.Recover(true);
      REQUIRE(report.ok());
      THEN("it is counted as stale and left alone") {
        CHECK(report->stale == 1);
        CHECK(report->repaired == 0);
        CHECK(run.store->GetReview("SCR-2026-001")->projection == older.projection);
      }
    }
    WHEN("it is verified with repair") {
      auto report = run.engine.Recover(true, /*repair=*/true);
      REQUIRE(report.ok());
      THEN("the read model is rebuilt from the log, and a second check finds nothing stale") {
        CHECK(report->repaired == 1);
        CHECK(*run.store->GetReview("SCR-2026-001") == stored);
        CHECK(run.engine.Recover(true)->stale == 0);
      }
    }
  }
  GIVEN("the example review with a stored stage its log does not reach") {
    ExampleRun run;
    for (std::size_t i = 0; i < 12; ++i) run.RunStep(i);
    ReviewRecord wrong = *run.store->GetReview("SCR-2026-001");
    wrong.stage = "Closed";
    Overwrite(*run.store, wrong);
    THEN("verify reports corruption naming the review, even with repair") {
      auto report = run.engine.Recover(true, true);
      REQUIRE_FALSE(report.ok());
      CHECK(report.status().code() == Status::Code::kCorruption);
      CHECK_THAT(report.status().message(), Catch::Contains("SCR-2026-001"));
    }
  }
}
