// The reviews an Engine keeps between commands (engine/review_cache.hpp): a kept review is
// used only while the stored one is where this engine left it. Another engine (another
// process) recording on the review, a commit the store refuses after the machine accepted the
// event, and an event the machine refuses each leave the next command working from the log.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>

#include "board_import.hpp"
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "replay.hpp"
#include "review_cache.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;
using Json = nlohmann::json;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

// Two engines on one database file, each with its own connection, as two processes have.
struct TwoEngines {
  TempDir dir;
  std::string path = dir.File("shared.db");
  std::unique_ptr<Store> store_a = Open();
  std::unique_ptr<Store> store_b = Open();
  ManualClock clock{At("2026-01-05T08:00:00Z")};
  Engine a{*store_a, clock};
  Engine b{*store_b, clock};

  TwoEngines() {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(a.ImportBoardData(*board).ok());
  }

  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore(path);
    REQUIRE(s.ok());
    return std::move(*s);
  }

  std::string Notify(Engine& by, const std::string& nhs = "9434765919") {
    auto r = by.Open("cdop", "", {{"notifying_agency", "hospital"}, {"death_date", "2026-01-04"},
                                      {"place_of_death", "hospital"}, {"expected", "unexpected"},
                                      {"agencies_involved", {"hospital", "csc"}}, {"resident_in_area", true},
                                      {"nhs_number", nhs}},
                                 "p-spoc");
    INFO(r.status().message());
    REQUIRE(r.ok());
    return *r;
  }

  ReviewRecord Record(Engine& by, const std::string& ref, const char* at, const std::string& event, const Json& fields) {
    clock.Set(At(at));
    auto r = by.Record(ref, event, fields, "p-spoc");
    INFO(event << ": " << r.status().message());
    REQUIRE(r.ok());
    return *r;
  }

  // What a fresh engine finds rebuilding every review from its log: 0 when every stored read
  // model is the one the log makes.
  std::int64_t StaleReadModels() {
    std::unique_ptr<Store> store = Open();
    Engine fresh(*store, clock);
    auto report = fresh.Recover(/*include_closed=*/true);
    INFO(report.status().message());
    REQUIRE(report.ok());
    return report->stale;
  }
};

const Json kMeetingHeld = {{"date", "2026-01-06"}, {"attendees", {"p-hospital-lead", "p-police-lead", "p-csc-lead"}}};

}  // namespace

SCENARIO("An engine that kept a review sees the events another engine recorded on it since", "[engine][cache]") {
  GIVEN("two engines on one database, engine A having notified a death and started its rapid response") {
    TwoEngines t;
    std::string ref = t.Notify(t.a);
    t.Record(t.a, ref, "2026-01-05T09:00:00Z", "RapidResponseStarted", {{"date", "2026-01-05"}});
    WHEN("engine B records the rest of the rapid response, and engine A then requests an agency report") {
      t.Record(t.b, ref, "2026-01-06T10:00:00Z", "InformationSharingMeetingHeld", kMeetingHeld);
      t.Record(t.b, ref, "2026-01-07T10:00:00Z", "PostMortemPerformed", {{"date", "2026-01-07"}});
      ReviewRecord by_b =
          t.Record(t.b, ref, "2026-01-09T10:00:00Z", "RapidResponseCompleted", {{"date", "2026-01-09"}});
      REQUIRE(by_b.stage == "AgencyReportsRequested");
      ReviewRecord by_a = t.Record(t.a, ref, "2026-01-12T10:00:00Z", "AgencyReportRequested",
                                   {{"agency", "csc"}, {"author", "p-csc-author"}});
      THEN("engine A recorded it on the review as B left it: after B's events, at B's stage") {
        CHECK(by_a.stage == "AgencyReportsRequested");
        CHECK(by_a.last_seq == 6);
        CHECK(t.store_a->LoadEvents(ref)->size() == 6);
        CHECK(*t.store_b->GetReview(ref) == by_a);
      }
      THEN("the read model A wrote is the one the log makes") { CHECK(t.StaleReadModels() == 0); }
    }
  }
}

SCENARIO("A command the store refuses after the machine accepted it leaves nothing kept", "[engine][cache]") {
  GIVEN("engine A having notified a death, started its rapid response, and one of its timers") {
    TwoEngines t;
    std::string ref = t.Notify(t.a);
    t.Record(t.a, ref, "2026-01-05T09:00:00Z", "RapidResponseStarted", {{"date", "2026-01-05"}});
    auto timers = t.store_a->PendingTimers(ref);
    REQUIRE(timers.ok());
    REQUIRE_FALSE(timers->empty());
    WHEN("engine A fires the timer as it stood before being moved, and then records the meeting") {
      Timer moved = timers->front();
      moved.due += std::chrono::hours(24);  // not the timer the store holds: Conflict at commit
      Status fired = t.a.FireTimer(moved);
      REQUIRE(fired.code() == Status::Code::kConflict);
      ReviewRecord after = t.Record(t.a, ref, "2026-01-06T10:00:00Z", "InformationSharingMeetingHeld", kMeetingHeld);
      THEN("the meeting follows the rapid response's start, and no reminder was counted") {
        CHECK(after.last_seq == 3);
        CHECK(after.stage == "RapidResponse");
        CHECK(Json::parse(after.projection)["alongside"]["reminders_fired"] == 0);
        CHECK(t.StaleReadModels() == 0);
      }
    }
  }
}

SCENARIO("An event the machine refuses leaves the kept review as it was", "[engine][cache]") {
  GIVEN("engine A having notified a death and started its rapid response") {
    TwoEngines t;
    std::string ref = t.Notify(t.a);
    ReviewRecord started = t.Record(t.a, ref, "2026-01-05T09:00:00Z", "RapidResponseStarted", {{"date", "2026-01-05"}});
    WHEN("it records the start again, refused, and then the meeting") {
      t.clock.Set(At("2026-01-05T10:00:00Z"));
      auto again = t.a.Record(ref, "RapidResponseStarted", {{"date", "2026-01-05"}}, "p-spoc");
      REQUIRE(again.status().code() == Status::Code::kRefused);
      ReviewRecord after = t.Record(t.a, ref, "2026-01-06T10:00:00Z", "InformationSharingMeetingHeld", kMeetingHeld);
      THEN("nothing was written for the refusal and the meeting is recorded as it would have been") {
        CHECK(after.last_seq == started.last_seq + 1);
        CHECK(t.store_a->LoadEvents(ref)->size() == 3);
        CHECK(t.StaleReadModels() == 0);
      }
    }
  }
}

SCENARIO("The cache keeps a bounded number of reviews, the least recently used going first", "[engine][cache]") {
  GIVEN("three reviews rebuilt from their logs, and a cache for two") {
    TwoEngines t;
    std::vector<std::string> refs = {t.Notify(t.a, "9434765919"), t.Notify(t.a, "4010232137"),
                                     t.Notify(t.a, "9000000009")};
    auto calendar = std::make_shared<const BusinessCalendar>(BusinessCalendar::EnglandAndWales());
    auto stored = [&](const std::string& ref) { return *t.store_a->GetReview(ref); };
    auto rebuilt = [&](const std::string& ref) -> ReviewState {
      auto state = Replay(*t.store_a->LoadEvents(ref), *calendar);
      REQUIRE(state.ok());
      return std::move(*state);
    };
    ReviewCache cache(2);
    cache.Keep(stored(refs[0]), calendar, rebuilt(refs[0]));
    cache.Keep(stored(refs[1]), calendar, rebuilt(refs[1]));
    WHEN("the first is used and kept again, then a third is kept") {
      auto first = cache.Take(stored(refs[0]), calendar);
      REQUIRE(first.has_value());
      cache.Keep(stored(refs[0]), calendar, std::move(*first));
      cache.Keep(stored(refs[2]), calendar, rebuilt(refs[2]));
      THEN("two are kept: the second, least recently used, went") {
        CHECK(cache.size() == 2);
        CHECK_FALSE(cache.Take(stored(refs[1]), calendar).has_value());
        CHECK(cache.Take(stored(refs[0]), calendar).has_value());
        CHECK(cache.Take(stored(refs[2]), calendar).has_value());
      }
    }
    WHEN("a review is asked for at another event, or on another calendar") {
      ReviewRecord moved_on = stored(refs[0]);
      ++moved_on.last_seq;
      auto other_calendar = std::make_shared<const BusinessCalendar>(BusinessCalendar::EnglandAndWales());
      THEN("it is not given, and the stale entry is gone") {
        CHECK_FALSE(cache.Take(moved_on, calendar).has_value());
        CHECK_FALSE(cache.Take(stored(refs[0]), calendar).has_value());
        CHECK_FALSE(cache.Take(stored(refs[1]), other_calendar).has_value());
        CHECK(cache.size() == 0);
      }
    }
  }
}

SCENARIO("An engine that keeps reviews leaves the same records, timers and notices as one that replays each time",
         "[engine][cache][timers]") {
  for (const char* file : {"scr_full_lifecycle.json", "cdop_unexpected_death.json"}) {
    GIVEN(std::string("the example ") + file + " run on two stores, by an engine keeping reviews and one keeping none") {
      auto scenario = ParseScenario(ReadBytes(ExamplePath(file)));
      REQUIRE(scenario.ok());
      auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
      REQUIRE(board.ok());
      // The one keeping none replays every review and lists all its timers at every commit.
      struct Side {
        std::unique_ptr<Store> store = NewMemoryStore();
        ManualClock clock;
        Engine engine;
        Side(Instant start, std::size_t kept) : clock(start), engine(*store, clock, kept) {}
      };
      Side keeping(scenario->steps.front().at, Engine::kKeptReviews), replaying(scenario->steps.front().at, 0);
      REQUIRE(keeping.engine.ImportBoardData(*board).ok());
      REQUIRE(replaying.engine.ImportBoardData(*board).ok());
      ScenarioRunner keeping_runner(*scenario), replaying_runner(*scenario);
      THEN("after each step both stores hold the same review, timers (pending or not) and outbox") {
        std::set<std::string> timer_ids;  // every timer either side ever held pending
        for (std::size_t i = 0; i < scenario->steps.size(); ++i) {
          auto a = keeping_runner.RunStep(i, keeping.engine, keeping.clock, keeping.store.get());
          auto b = replaying_runner.RunStep(i, replaying.engine, replaying.clock, replaying.store.get());
          INFO("step " << i + 1 << ": " << a.status().message() << " / " << b.status().message());
          REQUIRE(a.ok());
          REQUIRE(b.ok());
          const std::string& ref = keeping_runner.review_ref();
          REQUIRE(ref == replaying_runner.review_ref());
          CHECK(*keeping.store->GetReview(ref) == *replaying.store->GetReview(ref));
          auto pending = *keeping.store->PendingTimers(ref);
          CHECK(pending == *replaying.store->PendingTimers(ref));
          for (const Timer& timer : pending) timer_ids.insert(timer.id);
          for (const std::string& id : timer_ids)
            CHECK(*keeping.store->GetTimerStatus(id) == *replaying.store->GetTimerStatus(id));
          CHECK(*keeping.store->ListNotices({}) == *replaying.store->ListNotices({}));
        }
        CHECK_FALSE(timer_ids.empty());
      }
    }
  }
}
