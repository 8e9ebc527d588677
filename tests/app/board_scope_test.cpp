// BoardScope (app/http/board_scope.hpp), the one way the API and the pages reach board data:
// whatever it is asked, it reads and writes its own board's data only.
#include <catch2/catch.hpp>

#include "../../app/http/board_scope.hpp"  // private to app/
#include "support/example_run.hpp"

using namespace casereview;
using namespace casereview::testing;

SCENARIO("A board's scope reaches its own board's data only, whatever board it is asked about",
         "[http][security][tenancy]") {
  ExampleRun run;
  for (std::size_t i = 0; i < 3; ++i) run.RunStep(i);
  const std::string ref = run.runner.review_ref();
  REQUIRE(run.store->PutBoard(Board{"other", "Other Partnership"}).ok());
  http::BoardScope demo(*run.store, run.engine, "demo");
  http::BoardScope other(*run.store, run.engine, "other");

  THEN("the other board's scope finds none of the demo board's reviews, events, people or notices") {
    auto review = demo.Review(ref);
    REQUIRE(review.ok());
    CHECK(other.Review(ref).status().code() == Status::Code::kNotFound);
    CHECK(other.History(*review).status().code() == Status::Code::kNotFound);
    CHECK(static_cast<std::int64_t>(demo.History(*review)->size()) == review->last_seq);
    ReviewFilter asks_for_demo;
    asks_for_demo.board_id = "demo";  // narrowed to the scope's own board
    CHECK(other.Reviews(asks_for_demo)->empty());
    CHECK(demo.Reviews({})->size() == 1);
    NoticeFilter notices;
    notices.board_id = "demo";
    CHECK(other.Notices(notices)->empty());
    CHECK_FALSE(demo.Notices({})->empty());
    CHECK(other.People()->empty());
    AuditFilter audit;
    audit.board = "demo";
    CHECK(other.Audit(audit)->empty());
  }
  THEN("it records nothing on another board's review") {
    const auto before = run.engine.GetReview(ref)->last_seq;
    auto refused = other.Record(*run.engine.GetReview(ref), "PanelMeetingHeld", {{"date", "2026-01-12"}}, "p-spoc", {});
    CHECK(refused.status().code() == Status::Code::kNotFound);
    CHECK(run.engine.GetReview(ref)->last_seq == before);
  }
  THEN("what it writes lands on its own board, whatever board the record names") {
    REQUIRE(other.PutAgency({"police", "demo", "Other Police", "police"}).ok());
    REQUIRE(other.PutPerson({"p-spoc", "demo", "Other Officer", "o@example.org", "police", {"business-officer"}}).ok());
    CHECK(other.People()->front().name == "Other Officer");
    CHECK(demo.FindPerson("p-spoc")->value().name != "Other Officer");
    REQUIRE(other.RemovePerson("p-spoc", run.clock.Now()).ok());
    CHECK_FALSE(demo.FindPerson("p-spoc")->value().removed_at);
    auto demo_file = demo.Data();
    REQUIRE(demo_file.ok());
    CHECK(other.Import(*demo_file).code() == Status::Code::kForbidden);
  }
}
