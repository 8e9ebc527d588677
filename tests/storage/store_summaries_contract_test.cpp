// The Store contract for review summaries (include/casereview/store.hpp): each review's
// summary is written with its record in the same transaction, and listed with the reviews'
// filters a page at a time, without its read model. Run over the in-memory store and a
// SQLite store.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";

// A summary as SummarizeProjection writes one: who holds the next step, one deadline not met.
std::string SummaryWith(const std::string& what, const std::string& due_date) {
  return R"({"deadlines":[{"due":")" + due_date + R"(T17:00:00Z","due_date":")" + due_date + R"(","what":")" +
         what + R"("}],"next_step":{"holders":["p-chair"],"what":")" + what + R"("}})";
}

ReviewSummary SummaryOf(const ReviewRecord& r) {
  return {r.ref, r.board_id, r.kind, r.stage, r.open, r.updated_at, r.summary};
}

std::vector<ReviewSummary> All(Store& store, const ReviewFilter& f = {}) {
  auto listed = store.ListReviewSummaries(f, {});
  INFO(listed.status().message());
  REQUIRE(listed.ok());
  return *listed;
}

}  // namespace

SCENARIO("A review's summary is written with its record and listed without its read model",
         "[store][contract][summary]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review whose summary names its next step") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    ReviewChange referral = Referral(kRef);
    referral.review.summary = SummaryWith("convene the panel", "2026-01-19");
    REQUIRE(store.Commit(referral).ok());

    THEN("the list holds the record's facts and its summary, as committed") {
      REQUIRE(All(store) == std::vector<ReviewSummary>{SummaryOf(referral.review)});
      REQUIRE(store.GetReview(kRef)->summary == referral.review.summary);
    }
    WHEN("an event moves the review on with a new summary") {
      ReviewChange next = Append(referral.review, {"PanelMeetingConvened"}, kJan5 + kDay);
      next.review.summary = SummaryWith("hold the panel meeting", "2026-02-02");
      REQUIRE(store.Commit(next).ok());
      THEN("the listed stage, time and summary are the new ones") {
        REQUIRE(All(store) == std::vector<ReviewSummary>{SummaryOf(next.review)});
        REQUIRE(*store.GetReview(kRef) == next.review);
      }
      AND_WHEN("the review is closed") {
        ReviewChange closed = Append(next.review, {"ScrNotRequired"}, kJan5 + 2 * kDay);
        closed.review.open = false;
        closed.review.summary = R"({"deadlines":[],"next_step":null})";
        REQUIRE(store.Commit(closed).ok());
        THEN("it leaves the open list and stays in the whole one, closed") {
          REQUIRE(All(store, {std::nullopt, true}).empty());
          REQUIRE(All(store) == std::vector<ReviewSummary>{SummaryOf(closed.review)});
        }
      }
    }
    WHEN("the review is re-projected with a new summary and no event") {
      ReviewChange again;
      again.review = referral.review;
      again.review.summary = SummaryWith("convene the panel", "2026-01-20");
      again.expected_last_seq = 1;
      REQUIRE(store.Commit(again).ok());
      THEN("the list has the new summary") { REQUIRE(All(store).at(0).summary == again.review.summary); }
    }
    WHEN("two commits are made from the same read, and the second is refused") {
      ReviewChange first = Append(referral.review, {"PanelMeetingConvened"}, kJan5 + kDay);
      first.review.summary = SummaryWith("hold the panel meeting", "2026-02-02");
      ReviewChange stale = Append(referral.review, {"ScrNotRequired"}, kJan5 + kDay);
      stale.review.summary = SummaryWith("something else", "2027-01-01");
      REQUIRE(store.Commit(first).ok());
      REQUIRE(store.Commit(stale).code() == Status::Code::kConflict);
      THEN("the summary is the first one's") { REQUIRE(All(store) == std::vector<ReviewSummary>{SummaryOf(first.review)}); }
    }
    WHEN("linked changes are refused together") {
      ReviewChange other = Referral("SCR-2026-002");
      ReviewChange again = Referral(kRef);  // already open: a Conflict
      again.review.summary = SummaryWith("something else", "2027-01-01");
      std::vector<ReviewChange> both = {other, again};
      REQUIRE(store.CommitAll(both).code() == Status::Code::kConflict);
      THEN("neither summary was written") { REQUIRE(All(store) == std::vector<ReviewSummary>{SummaryOf(referral.review)}); }
    }
  }
}

SCENARIO("Summaries are listed with the reviews' filters, in ref order, a page at a time",
         "[store][contract][summary]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with reviews on two boards, one of them closed") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    REQUIRE(store.PutBoard(OtherBoard()).ok());
    for (const char* ref : {"SCR-2026-004", "SCR-2026-002", "SCR-2025-007", "SCR-2026-005"})
      REQUIRE(store.Commit(Referral(ref)).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-001", "demo", /*open=*/false)).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-003", "other")).ok());

    THEN("each filter lists the reviews ListReviews lists, in the same order, with their records' facts") {
      for (const ReviewFilter& f : std::vector<ReviewFilter>{
               {}, {"demo", false}, {"demo", true}, {"other", false}, {std::nullopt, true}, {"nowhere", false}}) {
        std::vector<ReviewSummary> expected;
        auto records = store.ListReviews(f);
        REQUIRE(records.ok());
        for (const ReviewRecord& r : *records) expected.push_back(SummaryOf(r));
        REQUIRE(All(store, f) == expected);
      }
      REQUIRE(All(store).size() == 6);
    }
    THEN("a board's open reviews come two at a time, each page after the last ref of the one before") {
      ReviewFilter f{"demo", true};
      auto first = *store.ListReviewSummaries(f, {"", 2});
      REQUIRE(Refs(first) == Names{"SCR-2025-007", "SCR-2026-002"});
      auto second = *store.ListReviewSummaries(f, {first.back().ref, 2});
      REQUIRE(Refs(second) == Names{"SCR-2026-004", "SCR-2026-005"});
      REQUIRE(store.ListReviewSummaries(f, {second.back().ref, 2})->empty());
    }
    THEN("`after` need not be a stored ref, and a page may be shorter than its limit") {
      REQUIRE(Refs(*store.ListReviewSummaries({}, {"SCR-2026-0025", 10})) ==
              Names{"SCR-2026-003", "SCR-2026-004", "SCR-2026-005"});
      REQUIRE(Refs(*store.ListReviewSummaries({"demo", false}, {"SCR-2026", 1})) == Names{"SCR-2026-001"});
      REQUIRE(store.ListReviewSummaries({}, {"SCR-2026-005", 10})->empty());
    }
  }
}
