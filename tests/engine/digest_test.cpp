// The board's action-plan digest: queued once per board meeting, five working days before
// it, to the board chair and members, with each plan's status red, amber or green.
#include <catch2/catch.hpp>

#include "digest.hpp"
#include "scheduler.hpp"
#include "support/example_run.hpp"

using namespace casereview;
using casereview::testing::ExampleRun;
using Json = nlohmann::json;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }
Date On(const char* text) { return *ParseDate(text); }

std::vector<Notice> Digests(Store& store) {
  auto all = store.ListNotices({});
  REQUIRE(all.ok());
  std::vector<Notice> out;
  for (const Notice& n : *all)
    if (n.kind == "board-digest") out.push_back(n);
  return out;
}

FiringReport Pass(ExampleRun& run) {
  Scheduler scheduler(*run.store, run.engine, run.clock);
  auto report = scheduler.FireDue();
  INFO(report.status().message());
  REQUIRE(report.ok());
  return *report;
}

}  // namespace

SCENARIO("The board hears every action plan's status before each meeting", "[engine][digest]") {
  GIVEN("the example review with its action plan agreed, and board meetings on 26 November and 14 January") {
    ExampleRun run;
    for (std::size_t i = 0; i < 54; ++i) run.RunStep(i);  // up to progress on A1, 2 November
    REQUIRE(AddBoardMeeting(*run.store, "demo", On("2026-11-26"), run.clock.Now()).ok());
    REQUIRE(AddBoardMeeting(*run.store, "demo", On("2027-01-14"), run.clock.Now()).ok());
    REQUIRE(AddBoardMeeting(*run.store, "demo", On("2026-11-26"), run.clock.Now()).ok());  // idempotent
    CHECK(*BoardMeetings(*run.store, "demo") == std::vector<Date>{On("2026-11-26"), On("2027-01-14")});

    WHEN("the scheduler runs the day before the digest is due") {
      run.clock.Set(At("2026-11-18T12:00:00Z"));
      THEN("nothing is queued") {
        CHECK(Pass(run).digests == 0);
        CHECK(Digests(*run.store).empty());
      }
    }
    WHEN("it runs five working days before the meeting, and again later") {
      run.clock.Set(At("2026-11-19T09:00:00Z"));
      CHECK(Pass(run).digests == 1);
      run.clock.Set(At("2026-11-20T09:00:00Z"));
      CHECK(Pass(run).digests == 0);
      auto digests = Digests(*run.store);
      REQUIRE(digests.size() == 1);
      const Notice& n = digests[0];
      Json about = Json::parse(n.payload);
      THEN("one digest goes to the board chair") {
        CHECK(n.recipients == std::vector<std::string>{"p-board-chair"});
        CHECK(n.review_ref.empty());
        CHECK(n.board_id == "demo");
        CHECK(n.id == "board:demo/action-plan-digest@2026-11-26");
        CHECK(about["meeting_date"] == "2026-11-26");
        CHECK(about["as_of"] == "2026-11-19");
      }
      THEN("the plan is amber: A2 is not done and due within 28 days") {
        REQUIRE(about["plans"].size() == 1);
        const Json& plan = about["plans"][0];
        CHECK(plan["review"] == "SCR-2026-001");
        CHECK(plan["rag"] == "amber");
        CHECK(plan["amber"] == 1);
        CHECK(plan["green"] == 2);
        for (const Json& a : plan["actions"]) {
          CHECK(a["rag"] == (a["action"] == "A2" ? "amber" : "green"));
          CHECK_FALSE(a.contains("description"));
        }
      }
    }
    WHEN("by January A1 and A2 are completed but A3, due 31 December, is not") {
      for (std::size_t i = 54; i < 58; ++i) run.RunStep(i);
      run.clock.Set(At("2027-01-07T10:00:00Z"));
      Pass(run);
      auto digests = Digests(*run.store);
      THEN("the meeting already held gets no digest, and January's plan is red") {
        REQUIRE(digests.size() == 2);  // November's was queued by the tick of 20 November
        Json january = Json::parse(digests[1].payload);
        CHECK(january["meeting_date"] == "2027-01-14");
        const Json& plan = january["plans"][0];
        CHECK(plan["rag"] == "red");
        CHECK(plan["red"] == 1);
        CHECK(january["plans_red"] == 1);
      }
    }
  }
  GIVEN("a board that does not exist") {
    ExampleRun run;
    Status s = AddBoardMeeting(*run.store, "nowhere", On("2026-12-01"), run.clock.Now());
    CHECK(s.code() == Status::Code::kNotFound);
    CHECK_THAT(s.message(), Catch::Contains("nowhere"));
  }
}

SCENARIO("RAG follows each action's stage and due date", "[engine][digest]") {
  auto record = [](const std::string& ref, Json actions) {
    ReviewRecord r;
    r.ref = ref;
    r.stage = "ActionPlanMonitoring";
    r.projection = Json{{"actions", std::move(actions)}}.dump();
    return r;
  };
  std::vector<ReviewRecord> reviews = {
      record("SCR-1", Json::array({{{"id", "A1"}, {"stage", "Completed"}, {"due", "2026-01-01"}, {"agency", "csc"}},
                                   {{"id", "A2"}, {"stage", "Open"}, {"due", "2027-06-01"}, {"agency", "csc"}}})),
      record("SCR-2", Json::array({{{"id", "A1"}, {"stage", "InProgress"}, {"due", "2026-11-30"}, {"agency", "x"}}})),
      record("SCR-3", Json::array({{{"id", "A1"}, {"stage", "InProgress"}, {"due", "2026-11-19"}, {"agency", "x"}}})),
      record("SCR-4", Json::array())};
  Json digest = ActionPlanDigest(reviews, On("2026-11-20"), On("2026-11-26"));
  REQUIRE(digest["plans"].size() == 3);  // a review with no actions has no plan to report
  CHECK(digest["plans"][0]["rag"] == "green");  // done, and due next year
  CHECK(digest["plans"][1]["rag"] == "amber");  // due in 10 days
  CHECK(digest["plans"][2]["rag"] == "red");    // due yesterday
  CHECK(digest["plans_green"] == 1);
  CHECK(digest["plans_amber"] == 1);
  CHECK(digest["plans_red"] == 1);
}
