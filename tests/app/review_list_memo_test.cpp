// The review list's body made with the memo (app/http/review_list_memo.hpp) is the body made
// from the whole JSON tree, byte for byte, whatever changed since the row was remembered:
// the review, the time of day past a due date, or London's date.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "http/review_list_memo.hpp"
#include "review_view.hpp"

using namespace casereview;
using nlohmann::json;

namespace {

Instant At(const char* text) {
  auto t = ParseInstant(text);
  REQUIRE(t.ok());
  return *t;
}

// A summary as the engine writes one: the next step and the deadlines not met.
ReviewSummary Summary(const std::string& ref, const std::string& stage, const json& deadlines) {
  ReviewSummary s;
  s.ref = ref;
  s.board_id = "board";
  s.kind = "scr";
  s.stage = stage;
  s.updated_at = At("2026-11-02T10:00:00Z");
  s.summary = json{{"next_step", {{"what", "The panel meets"}, {"holders", {"p-panel-chair"}}}},
                   {"deadlines", deadlines}}
                  .dump();
  return s;
}

json Deadline(const char* what, const char* due, const char* due_date) {
  return {{"what", what}, {"due", due}, {"due_date", due_date}};
}

// The body as the API wrote it before the memo: the whole tree, dumped.
std::string TreeBody(const std::vector<ReviewSummary>& summaries, Instant now, const json& next) {
  json body = {{"reviews", ReviewListRows(summaries, now)}, {"next", next}};
  return body.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace

SCENARIO("The memo's review list is the list made from the whole tree", "[http][review-list]") {
  http::ReviewListMemo memo;
  std::vector<ReviewSummary> reviews = {
      Summary("SCR-2026-001", "Referred", json::array({Deadline("Panel decision", "2026-11-20T17:00:00Z", "2026-11-20")})),
      Summary("SCR-2026-002", "ImrsInProgress",
              json::array({Deadline("IMR from Police", "2026-11-24T17:00:00Z", "2026-11-24"),
                           Deadline("IMR from Health", "2026-12-01T17:00:00Z", "2026-12-01")})),
      Summary("SCR-2026-003", "Closed", json::array()),
  };
  reviews[2].open = false;
  reviews[2].summary = "not JSON";  // reads as no next step and no deadlines, as ReviewListRow reads it

  GIVEN("no reviews, one, or several, with and without a next page") {
    Instant now = At("2026-11-23T09:00:00Z");
    CHECK(memo.Body({}, now, nullptr) == TreeBody({}, now, nullptr));
    CHECK(memo.Body({reviews[0]}, now, nullptr) == TreeBody({reviews[0]}, now, nullptr));
    CHECK(memo.Body(reviews, now, "SCR-2026-003") == TreeBody(reviews, now, "SCR-2026-003"));
    CHECK(memo.size() == 3);
  }
  GIVEN("the rows remembered on one morning") {
    Instant morning = At("2026-11-23T09:00:00Z");
    REQUIRE(memo.Body(reviews, morning, nullptr) == TreeBody(reviews, morning, nullptr));
    WHEN("a review moves on and its summary changes") {
      reviews[1] = Summary("SCR-2026-002", "ImrsReceived", json::array());
      THEN("its row is made again") {
        std::string body = memo.Body(reviews, morning, nullptr);
        CHECK(body == TreeBody(reviews, morning, nullptr));
        CHECK(body.find("ImrsReceived") != std::string::npos);
        CHECK(body.find("ImrsInProgress") == std::string::npos);
      }
    }
    WHEN("the same day goes on past a deadline's due time") {
      Instant evening = At("2026-11-24T18:00:00Z");
      Instant before = At("2026-11-24T16:00:00Z");
      THEN("the overdue count follows the time of day, and London's date the days left") {
        CHECK(memo.Body(reviews, before, nullptr) == TreeBody(reviews, before, nullptr));
        CHECK(memo.Body(reviews, evening, nullptr) == TreeBody(reviews, evening, nullptr));
        CHECK(json::parse(memo.Body(reviews, evening, nullptr))["reviews"][1]["overdue"] == 1);
      }
    }
    WHEN("London's date changes with nothing past due") {
      Instant next_day = At("2026-11-23T23:30:00Z");  // still the 23rd in London (GMT)
      Instant day_after = At("2026-11-24T00:30:00Z");
      THEN("days left are counted from the new date") {
        CHECK(memo.Body(reviews, next_day, nullptr) == TreeBody(reviews, next_day, nullptr));
        CHECK(memo.Body(reviews, day_after, nullptr) == TreeBody(reviews, day_after, nullptr));
        json row = json::parse(memo.Body(reviews, day_after, nullptr))["reviews"][1];
        CHECK(row["next_due"]["days_left"] == 0);
      }
    }
    WHEN("the time goes back (a test clock, or a list as at an earlier moment)") {
      Instant earlier = At("2026-11-19T09:00:00Z");
      THEN("the rows are those of that moment") {
        CHECK(memo.Body(reviews, earlier, nullptr) == TreeBody(reviews, earlier, nullptr));
      }
    }
  }
  GIVEN("text that is not UTF-8 in a stage") {
    Instant now = At("2026-11-23T09:00:00Z");
    reviews[0].stage = std::string("Referred\xff", 9);
    THEN("it is replaced as the API replaces it, not thrown") {
      CHECK(memo.Body(reviews, now, nullptr) == TreeBody(reviews, now, nullptr));
    }
  }
}

SCENARIO("The memo keeps at most its limit of rows", "[http][review-list]") {
  http::ReviewListMemo memo;
  Instant now = At("2026-11-23T09:00:00Z");
  std::vector<ReviewSummary> many;
  for (std::size_t i = 0; i < http::ReviewListMemo::kMaxRows + 10; ++i)
    many.push_back(Summary("SCR-" + std::to_string(100000 + i), "Referred", json::array()));
  std::string body = memo.Body(many, now, nullptr);
  CHECK(memo.size() <= http::ReviewListMemo::kMaxRows);
  CHECK(json::parse(body)["reviews"].size() == many.size());
  std::vector<ReviewSummary> first_ten(many.begin(), many.begin() + 10);
  CHECK(memo.Body(first_ten, now, nullptr) == TreeBody(first_ten, now, nullptr));
}
