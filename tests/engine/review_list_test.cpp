// The review list made from the reviews' summaries (Store::ListReviewSummaries,
// ReviewListRows) shows exactly what the list made from their whole read models showed, for
// reviews at many stages, on time and overdue; and a database written before summaries
// existed lists the same rows once upgraded, with nothing for Recover to call stale.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "board_import.hpp"
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "storage/older_files.hpp"
#include "review_view.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;
using nlohmann::json;

namespace {

Scenario Example(const std::string& file) {
  auto s = ParseScenario(ReadBytes(ExamplePath(file)));
  REQUIRE(s.ok());
  return *s;
}

// Runs copies of the example SCR and child death review side by side on one board, each
// copy stopped after a different step, so the board holds reviews at many stages. The steps
// of every copy run in time order (the scheduler's ticks fire every review's due timers, as
// on a real board). Returns the clock's last time.
Instant RunExamplesStoppedAt(Engine& engine, Store& store, ManualClock& clock, const std::vector<std::size_t>& scr_stops,
                             const std::vector<std::size_t>& cdop_stops) {
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(board.ok());
  REQUIRE(engine.ImportBoardData(*board).ok());
  const Scenario scr = Example("scr_full_lifecycle.json");
  std::deque<Scenario> deaths;  // one per copy: each child has an NHS number of their own
  struct Copy {
    const Scenario* scenario;
    std::size_t stop;  // runs steps 0..stop
    ScenarioRunner runner;
  };
  std::vector<Copy> copies;
  for (std::size_t stop : scr_stops) copies.push_back({&scr, stop, ScenarioRunner(scr)});
  for (std::size_t stop : cdop_stops) {
    deaths.push_back(Example("cdop_unexpected_death.json"));
    deaths.back().steps.front().fields["nhs_number"] = std::to_string(9000000000 + deaths.size());
    copies.push_back({&deaths.back(), stop, ScenarioRunner(deaths.back())});
  }
  struct Step {
    Instant at;
    std::size_t copy, index;
  };
  std::vector<Step> steps;
  for (std::size_t c = 0; c < copies.size(); ++c)
    for (std::size_t i = 0; i <= copies[c].stop; ++i) steps.push_back({copies[c].scenario->steps[i].at, c, i});
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at < b.at; });
  for (const Step& s : steps) {
    auto out = copies[s.copy].runner.RunStep(s.index, engine, clock, &store);
    INFO("copy " << s.copy << " step " << s.index + 1 << ": " << out.status().message());
    REQUIRE(out.ok());
  }
  return clock.Now();
}

// The row as GET /api/v1/reviews made it before summaries: from the whole read model.
json RowFromReadModel(const ReviewRecord& r, Instant now) {
  json full = ReviewJson(r);
  AddDueSummary(full, now);
  json row = {{"ref", r.ref},     {"kind", r.kind},
              {"stage", r.stage}, {"open", r.open},
              {"next_step", full["next_step"]}, {"overdue", full["overdue"]},
              {"updated_at", FormatInstant(r.updated_at)}};
  if (full.contains("next_due")) row["next_due"] = full["next_due"];
  return row;
}

json RowsFromReadModels(Engine& engine, const ReviewFilter& f, Instant now) {
  json rows = json::array();
  auto records = engine.ListReviews(f);
  REQUIRE(records.ok());
  for (const ReviewRecord& r : *records) rows.push_back(RowFromReadModel(r, now));
  return rows;
}

json RowsFromSummaries(Engine& engine, const ReviewFilter& f, Instant now) {
  auto summaries = engine.ListReviewSummaries(f, {});
  INFO(summaries.status().message());
  REQUIRE(summaries.ok());
  return ReviewListRows(*summaries, now);
}

Instant At(const char* text) { return *ParseInstant(text); }

}  // namespace

SCENARIO("The review list from summaries is the list from the read models, on time and overdue",
         "[engine][review-list]") {
  GIVEN("a board with SCRs and child death reviews stopped at many stages, some closed") {
    auto store = NewMemoryStore();
    ManualClock clock(At("2026-01-05T10:00:00Z"));
    Engine engine(*store, clock);
    RunExamplesStoppedAt(engine, *store, clock, {0, 1, 5, 6, 12, 18, 24, 27, 36, 37, 41, 45, 51, 54, 61},
                         {0, 1, 9, 12, 16, 18, 21, 24, 30});
    auto all = *engine.ListReviews({});
    std::set<std::string> stages;
    for (const ReviewRecord& r : all) stages.insert(r.stage);
    REQUIRE(all.size() >= 25);
    REQUIRE(stages.size() >= 12);

    THEN("no summary carries the child's name, date of birth or NHS number") {
      auto summaries = engine.ListReviewSummaries({}, {});
      REQUIRE(summaries.ok());
      REQUIRE(summaries->size() == all.size());
      for (const ReviewSummary& s : *summaries) {
        INFO(s.ref << ": " << s.summary);
        for (const char* identifying : {"Child A", "2019-06-14", "Robin", "Fictional", "2025-03-14", "900000000"})
          CHECK(s.summary.find(identifying) == std::string::npos);
      }
    }
    const std::vector<Instant> moments = {At("2026-01-05T10:00:00Z"), At("2026-02-15T08:00:00Z"),
                                          At("2026-03-20T23:30:00Z"), At("2026-06-01T00:00:00Z"),
                                          At("2027-03-28T01:30:00Z"), At("2028-01-01T12:00:00Z")};
    WHEN("both lists are made at moments from the first day to long after the last") {
      THEN("every row is the same, field for field and in the same order, at every moment and filter") {
        for (Instant now : moments) {
          for (const ReviewFilter& f : std::vector<ReviewFilter>{{}, {"demo", true}, {std::nullopt, true}}) {
            json fast = RowsFromSummaries(engine, f, now), slow = RowsFromReadModels(engine, f, now);
            REQUIRE(fast.size() == slow.size());
            for (std::size_t i = 0; i < fast.size(); ++i) {
              INFO("as at " << FormatInstant(now) << ": " << slow[i]["ref"]);
              REQUIRE(fast[i].dump() == slow[i].dump());
            }
          }
        }
      }
      THEN("the rows hold reviews overdue, with a deadline ahead, and closed") {
        for (Instant now : moments) {
          INFO("as at " << FormatInstant(now));
          json rows = RowsFromSummaries(engine, {}, now);
          auto count = [&](bool (*pred)(const json&)) { return std::count_if(rows.begin(), rows.end(), pred); };
          if (now >= At("2026-06-01T00:00:00Z")) CHECK(count([](const json& r) { return r["overdue"] > 0; }) > 0);
          CHECK(count([](const json& r) { return r.contains("next_due"); }) > 0);
          CHECK(count([](const json& r) { return !r["open"].get<bool>(); }) > 0);
        }
      }
    }
  }
}

SCENARIO("A database from before review summaries lists the same rows once upgraded", "[engine][review-list][migration]") {
  TempDir dir;
  std::string path = dir.File("v5.db");
  const Instant now = At("2026-07-01T09:00:00Z");
  json before;
  std::map<std::string, ReviewRecord> records;
  GIVEN("reviews at several stages written by this build, then the file taken back to schema version 5") {
    {
      auto store = OpenSqliteStore(path);
      REQUIRE(store.ok());
      ManualClock clock(At("2026-01-05T10:00:00Z"));
      Engine engine(**store, clock);
      RunExamplesStoppedAt(engine, **store, clock, {6, 18, 36}, {12, 21});
      before = RowsFromSummaries(engine, {}, now);
      auto listed = engine.ListReviews({});
      REQUIRE(listed.ok());
      for (const ReviewRecord& r : *listed) records[r.ref] = r;
    }
    {
      SQLite::Database raw(path, SQLite::OPEN_READWRITE);
      testing::RewindSchema(raw, 5);
    }
    WHEN("the store opens it") {
      auto store = OpenSqliteStore(path);
      REQUIRE(store.ok());
      ManualClock clock(now);
      Engine engine(**store, clock);
      THEN("every summary is back, from the stored read models: the same rows and records as before") {
        REQUIRE(before.size() == 6);
        REQUIRE(RowsFromSummaries(engine, {}, now) == before);
        REQUIRE(RowsFromReadModels(engine, {}, now) == before);
        auto listed = engine.ListReviews({});
        REQUIRE(listed.ok());
        REQUIRE(listed->size() == records.size());
        for (const ReviewRecord& r : *listed) REQUIRE(r == records.at(r.ref));
      }
      THEN("Recover finds every read model and summary as this build writes them") {
        auto report = engine.Recover(/*include_closed=*/true);
        REQUIRE(report.ok());
        CHECK(report->reviews_checked == 6);
        CHECK(report->stale == 0);
      }
    }
  }
}
