// The Store contract for finding a death notified before (Store::FindNotifiedDeath), run over
// every implementation: the NHS number a child death review was opened with is found on any
// board, the first review by ref when several were opened for it, and nothing else is.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

// A change that opens child death review `ref` on `board`, notified with `payload`.
ReviewChange Notification(const std::string& ref, const std::string& board, const std::string& payload) {
  ReviewChange c = Referral(ref, board);
  c.review.kind = "cdop";
  c.review.stage = "Notified";
  c.events.front().type = "ChildDeathNotified";
  c.events.front().payload = payload;
  return c;
}

std::optional<std::string> Found(Store& store, const std::string& nhs_number) {
  auto found = store.FindNotifiedDeath(nhs_number);
  INFO(found.status().message());
  REQUIRE(found.ok());
  return *found;
}

}  // namespace

SCENARIO("A death notified before is found by its NHS number, on any board", "[store][contract][cdop]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with child death reviews on two boards, one death notified twice") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.PutBoard(DemoBoard()).ok());
    REQUIRE(store.PutBoard(OtherBoard()).ok());
    // Committed out of ref order: the first by ref is named, not the first committed.
    REQUIRE(store.Commit(Notification("CDR-2026-002", "demo", R"({"nhs_number":"4010232137"})")).ok());
    REQUIRE(store.Commit(Notification("CDR-2026-001", "other", R"({"nhs_number":"4010232137","rules":{}})")).ok());
    REQUIRE(store.Commit(Notification("CDR-2026-003", "demo", R"({"nhs_number":"9434765919"})")).ok());
    REQUIRE(store.Commit(Notification("CDR-2026-004", "demo", R"({"death_date":"2026-01-04"})")).ok());
    REQUIRE(store.Commit(Notification("CDR-2026-005", "demo", R"({"nhs_number":12345})")).ok());
    ReviewChange scr = Referral("SCR-2026-001");
    scr.events.front().payload = R"({"nhs_number":"9000000009"})";
    REQUIRE(store.Commit(scr).ok());

    THEN("each number names the first review by ref opened for it, whichever board it is on") {
      CHECK(Found(store, "4010232137") == "CDR-2026-001");
      CHECK(Found(store, "9434765919") == "CDR-2026-003");
    }
    THEN("a number never notified, an empty one, one not given as text and an SCR's are not found") {
      CHECK(Found(store, "9999999999") == std::nullopt);
      CHECK(Found(store, "") == std::nullopt);
      CHECK(Found(store, "12345") == std::nullopt);
      CHECK(Found(store, "9000000009") == std::nullopt);
    }
    WHEN("later events on a review carry another NHS number") {
      ReviewRecord loaded = *store.GetReview("CDR-2026-003");
      ReviewChange later = Append(loaded, {"AgencyReportRequested"}, kJan5 + kDay);
      later.events.front().payload = R"({"nhs_number":"1111111111"})";
      REQUIRE(store.Commit(later).ok());
      THEN("only the notification counts") {
        CHECK(Found(store, "1111111111") == std::nullopt);
        CHECK(Found(store, "9434765919") == "CDR-2026-003");
      }
    }
    WHEN("a notification is committed with a change that is refused, all or none") {
      std::vector<ReviewChange> changes{Notification("CDR-2026-006", "demo", R"({"nhs_number":"5555555555"})"),
                                        Referral("SCR-2026-002", "nowhere")};
      REQUIRE_FALSE(store.CommitAll(changes).ok());
      THEN("the death it named is not found") { CHECK(Found(store, "5555555555") == std::nullopt); }
    }
  }
}
