// Child death reviews through the engine, on a store that is closed and reopened: a
// notification opens one, its clocks run (in hours for the rapid response), timers fire,
// notices go out, a death notified twice is found, and a referral opens a linked SCR in the
// same transaction.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "storage/older_files.hpp"
#include "scheduler.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;
using Json = nlohmann::json;
using Ids = std::vector<std::string>;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

const Json kQuoratePanel = {"p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"};

struct ChildDeaths {
  TempDir dir;
  std::string path = dir.File("cdop.db");
  std::unique_ptr<Store> store = Open();
  ManualClock clock{At("2026-01-05T08:00:00Z")};
  std::unique_ptr<Engine> engine = std::make_unique<Engine>(*store, clock);

  ChildDeaths() {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine->ImportBoardData(*board).ok());
  }

  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore(path);
    REQUIRE(s.ok());
    return std::move(*s);
  }

  void Restart() {
    engine.reset();
    store = Open();
    engine = std::make_unique<Engine>(*store, clock);
  }

  std::string Notify(const std::string& expected, const std::string& nhs = "9434765919") {
    auto r = engine->Open("cdop", "", {{"notifying_agency", "hospital"}, {"death_date", "2026-01-04"},
                                           {"place_of_death", "hospital"}, {"expected", expected},
                                           {"agencies_involved", {"hospital", "csc"}}, {"resident_in_area", true},
                                           {"nhs_number", nhs}, {"subject_name", "Ottoline Wexcombe"}},
                                      "p-spoc");
    INFO(r.status().message());
    REQUIRE(r.ok());
    return *r;
  }

  void Record(const std::string& ref, const char* at, const std::string& event, const Json& fields,
              const char* expect_stage = nullptr) {
    clock.Set(At(at));
    auto r = engine->Record(ref, event, fields, "p-spoc");
    INFO(event << ": " << r.status().message());
    REQUIRE(r.ok());
    if (expect_stage) CHECK(r->stage == expect_stage);
  }

  Json Projection(const std::string& ref) { return Json::parse(engine->GetReview(ref)->projection); }

  std::vector<Notice> NoticesOfKind(const std::string& kind) {
    auto all = store->ListNotices({});
    REQUIRE(all.ok());
    std::vector<Notice> out;
    for (const Notice& n : *all)
      if (n.kind == kind) out.push_back(n);
    return out;
  }

  FiringReport Tick(const char* at) {
    clock.Set(At(at));
    Scheduler scheduler(*store, *engine, clock);
    auto r = scheduler.FireDue();
    REQUIRE(r.ok());
    return *r;
  }
};

// The deadline of `rule` in a review's read model; null when it has none.
Json DeadlineOf(const Json& projection, const std::string& rule) {
  for (const Json& d : projection["deadlines"])
    if (d["rule"] == rule) return d;
  return nullptr;
}

}  // namespace

SCENARIO("An unexpected death is reviewed from notification to closure", "[cdop][engine]") {
  GIVEN("a death notified as unexpected at 8am on 5 January") {
    ChildDeaths b;
    std::string ref = b.Notify("unexpected");
    CHECK(ref == "CDR-2026-001");
    THEN("the information sharing meeting is due within 48 hours, by the clock, not in working days") {
      Json d = DeadlineOf(b.Projection(ref), "cdop-information-sharing");
      REQUIRE_FALSE(d.is_null());
      CHECK(d["due"] == "2026-01-07T08:00:00Z");
      CHECK(d["holder_role"] == "business-officer");
    }
    WHEN("the meeting has not been held 49 hours later") {
      b.Record(ref, "2026-01-05T09:00:00Z", "RapidResponseStarted", {{"date", "2026-01-05"}}, "RapidResponse");
      b.Restart();
      b.Tick("2026-01-07T09:00:00Z");
      THEN("the overdue notice has gone to the business officer") {
        auto overdue = b.NoticesOfKind("deadline-overdue");
        REQUIRE(overdue.size() == 1);
        CHECK(overdue[0].recipients == Ids{"p-spoc"});
        CHECK(overdue[0].review_ref == ref);
      }
    }
    WHEN("the review runs its whole course") {
      b.Record(ref, "2026-01-05T09:00:00Z", "RapidResponseStarted", {{"date", "2026-01-05"}}, "RapidResponse");
      b.Record(ref, "2026-01-06T10:00:00Z", "InformationSharingMeetingHeld",
               {{"date", "2026-01-06"}, {"attendees", {"p-hospital-lead", "p-police-lead", "p-csc-lead"}}});
      b.Record(ref, "2026-01-07T10:00:00Z", "PostMortemPerformed", {{"date", "2026-01-07"}});
      b.Record(ref, "2026-01-09T10:00:00Z", "RapidResponseCompleted", {{"date", "2026-01-09"}}, "AgencyReportsRequested");
      b.Restart();
      b.Record(ref, "2026-01-12T10:00:00Z", "AgencyReportRequested", {{"agency", "csc"}, {"author", "p-csc-author"}});
      b.Record(ref, "2026-01-12T10:01:00Z", "AgencyReportRequested", {{"agency", "hospital"}, {"author", "p-hospital-author"}});
      b.Record(ref, "2026-01-20T10:00:00Z", "AgencyReportSubmitted", {{"agency", "csc"}});
      b.Record(ref, "2026-01-30T10:00:00Z", "AgencyReportSubmitted", {{"agency", "hospital"}});
      b.Record(ref, "2026-01-30T11:00:00Z", "AllAgencyReportsReceived", Json::object(), "AwaitingInvestigations");
      b.Record(ref, "2026-02-20T10:00:00Z", "PostMortemReportReceived", {{"date", "2026-02-20"}});
      b.Record(ref, "2026-02-23T10:00:00Z", "ReviewMeetingScheduled", {{"date", "2026-03-30"}}, "LocalCaseDiscussion");
      b.Record(ref, "2026-03-30T10:00:00Z", "LocalCaseDiscussionHeld",
               {{"date", "2026-03-30"}, {"attendees", {"p-hospital-lead", "p-csc-lead"}}}, "PanelReview");
      b.Record(ref, "2026-04-20T10:00:00Z", "ContributoryFactorRecorded",
               {{"domain", "service-provision"}, {"factor", "delayed referral"}, {"grade", "2"}});
      b.Record(ref, "2026-04-20T10:01:00Z", "PanelReviewHeld",
               {{"date", "2026-04-20"}, {"attendees", kQuoratePanel}, {"category", "trauma-and-other-external-factors"},
                {"modifiable", "yes"}});
      b.Record(ref, "2026-04-20T10:02:00Z", "ReviewClosed", {{"date", "2026-04-20"}}, "Closed");
      THEN("it is closed, its reporting forms' authors and senior managers were asked, and it replays") {
        CHECK_FALSE(b.engine->GetReview(ref)->open);
        auto asked = b.NoticesOfKind("report-requested");
        REQUIRE(asked.size() == 2);
        CHECK(asked[0].recipients == Ids{"p-csc-author", "p-csc-sm"});
        CHECK(Json::parse(asked[0].payload)["due_date"] == "2026-02-02");  // 15 working days
        Json meeting = DeadlineOf(b.Projection(ref), "cdop-review-meeting");
        REQUIRE_FALSE(meeting.is_null());
        CHECK(meeting["status"] == "met");
        auto recovered = b.engine->Recover(/*include_closed=*/true);
        INFO(recovered.status().message());
        CHECK(recovered.ok());
      }
      THEN("no notice and no read model carries the child's name or NHS number") {
        auto all = b.store->ListNotices({});
        REQUIRE(all.ok());
        for (const Notice& n : *all) CHECK(n.payload.find("Ottoline") == std::string::npos);
        std::string projection = b.engine->GetReview(ref)->projection;
        CHECK(projection.find("Ottoline") == std::string::npos);
        CHECK(projection.find("9434765919") == std::string::npos);
      }
    }
  }
}

SCENARIO("An expected death skips the rapid response and its clock", "[cdop][engine]") {
  GIVEN("a death notified as expected") {
    ChildDeaths b;
    std::string ref = b.Notify("expected");
    THEN("there is no rapid response deadline") {
      CHECK(DeadlineOf(b.Projection(ref), "cdop-information-sharing").is_null());
      CHECK_FALSE(DeadlineOf(b.Projection(ref), "cdop-review-meeting").is_null());
    }
    THEN("a rapid response is refused, and reporting forms are requested at once") {
      auto refused = b.engine->Record(ref, "RapidResponseStarted", {{"date", "2026-01-05"}}, "p-spoc");
      CHECK(refused.status().code() == Status::Code::kRefused);
      b.Record(ref, "2026-01-05T10:00:00Z", "AgencyReportRequested", {{"agency", "csc"}, {"author", "p-csc-author"}},
               "AgencyReportsRequested");
      Json form = DeadlineOf(b.Projection(ref), "cdop-agency-report");
      REQUIRE_FALSE(form.is_null());
      CHECK(form["holder_role"] == "report-author");
    }
  }
}

SCENARIO("A death notified twice is found by its NHS number", "[cdop][engine]") {
  GIVEN("a notified death") {
    ChildDeaths b;
    std::string first = b.Notify("unexpected", "4010232137");
    WHEN("the same child's death is notified again") {
      auto again = b.engine->Open("cdop", 
          "", {{"notifying_agency", "police"}, {"death_date", "2026-01-04"}, {"place_of_death", "home"},
               {"expected", "unexpected"}, {"agencies_involved", {"police"}}, {"resident_in_area", false},
               {"nhs_number", "4010232137"}},
          "p-spoc");
      THEN("it is refused naming the first review, never the number, and nothing is opened") {
        REQUIRE_FALSE(again.ok());
        CHECK_THAT(again.status().message(), Catch::Contains(first));
        CHECK(again.status().message().find("4010232137") == std::string::npos);
        CHECK(b.engine->ListReviews({})->size() == 1);
      }
    }
    THEN("another child's death is opened as the next review") { CHECK(b.Notify("expected", "9000000009") == "CDR-2026-002"); }
  }
}

namespace {

// A neighbouring board, with its own hospital and single point of contact.
BoardData NeighbourBoard() {
  return {{"neighbour", "Neighbouring Local Safeguarding Children Board", "seed-2010", {}},
          {{"n-hospital", "neighbour", "Neighbouring Hospital", "health"}},
          {{"n-spoc", "neighbour", "Nia Spoc", "nia@example.org", "n-hospital", {"business-officer"}}}};
}

Result<std::string> NotifyOnNeighbour(Engine& engine, const std::string& nhs) {
  return engine.Open("cdop", "neighbour",
                                 {{"notifying_agency", "n-hospital"}, {"death_date", "2026-01-04"},
                                  {"place_of_death", "home"}, {"expected", "unexpected"},
                                  {"agencies_involved", {"n-hospital"}}, {"resident_in_area", false},
                                  {"nhs_number", nhs}},
                                 "n-spoc");
}

void RequireRefusedNaming(const Result<std::string>& again, const std::string& first) {
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().message() == "notification: this death was already notified as " + first +
                                        " (the same NHS number); record on that review instead");
}

}  // namespace

SCENARIO("A death notified before is found from another board, after reopening, and in an older file",
         "[cdop][engine][nhs]") {
  GIVEN("two deaths notified on the demo board, and a neighbouring board") {
    ChildDeaths b;
    std::string first = b.Notify("unexpected", "4010232137");
    std::string second = b.Notify("expected", "9434765919");
    Status imported = b.engine->ImportBoardData(NeighbourBoard());
    INFO(imported.message());
    REQUIRE(imported.ok());
    WHEN("the store is reopened and the first death is notified on the neighbouring board") {
      b.Restart();
      auto again = NotifyOnNeighbour(*b.engine, "4010232137");
      THEN("it is refused naming the demo board's review, and nothing is opened") {
        RequireRefusedNaming(again, first);
        CHECK(b.engine->ListReviews({})->size() == 2);
      }
    }
    WHEN("the file is taken back to schema 6, before the NHS numbers were indexed, and reopened") {
      b.engine.reset();
      b.store.reset();
      {
        SQLite::Database raw(b.path, SQLite::OPEN_READWRITE);
        testing::RewindSchema(raw, 6);
      }
      b.Restart();
      THEN("each death notified again is refused naming its review, and another child's is opened") {
        RequireRefusedNaming(NotifyOnNeighbour(*b.engine, "9434765919"), second);
        RequireRefusedNaming(NotifyOnNeighbour(*b.engine, "4010232137"), first);
        auto other = NotifyOnNeighbour(*b.engine, "9000000009");
        INFO(other.status().message());
        CHECK(other.ok());
      }
    }
  }
}

SCENARIO("A child death review referred for an SCR opens the linked SCR with it", "[cdop][scr][engine]") {
  GIVEN("a child death review waiting for its agency reports") {
    ChildDeaths b;
    std::string ref = b.Notify("expected");
    b.Record(ref, "2026-01-05T10:00:00Z", "AgencyReportRequested", {{"agency", "csc"}, {"author", "p-csc-author"}});
    WHEN("it is referred for an SCR") {
      b.Record(ref, "2026-01-06T10:00:00Z", "ReferredForScr", {{"reasons", "neglect suspected"}}, "AgencyReportsRequested");
      THEN("an SCR is open in Referred, each showing the link, and the SCR's panel is notified") {
        auto scr = b.engine->GetReview("SCR-2026-001");
        REQUIRE(scr.ok());
        CHECK(scr->stage == "Referred");
        CHECK(Json::parse(scr->projection)["linked_review"] == ref);
        CHECK(b.Projection(ref)["scr_ref"] == "SCR-2026-001");
        auto referred = b.NoticesOfKind("case-referred");
        REQUIRE(referred.size() == 1);
        CHECK(referred[0].review_ref == "SCR-2026-001");
        CHECK(referred[0].recipients.size() == 8);  // the standing panel
      }
      THEN("the SCR's referral carries the child's details in the case record, from the notification") {
        auto log = b.store->LoadEvents("SCR-2026-001");
        REQUIRE(log.ok());
        Json referral = Json::parse(log->front().payload);
        CHECK(referral["subject_name"] == "Ottoline Wexcombe");
        CHECK(referral["incident"] == "death");
        CHECK(referral["incident_date"] == "2026-01-04");
      }
      AND_WHEN("it is referred a second time") {
        auto again = b.engine->Record(ref, "ReferredForScr", {{"reasons", "again"}}, "p-spoc");
        THEN("it is refused, no second SCR is opened, and nothing is written") {
          CHECK(again.status().code() == Status::Code::kRefused);
          CHECK_THAT(again.status().message(), Catch::Contains("SCR-2026-001"));
          CHECK_FALSE(b.engine->GetReview("SCR-2026-002").ok());
          CHECK(b.store->LoadEvents(ref)->size() == 3);
        }
      }
    }
  }
}
