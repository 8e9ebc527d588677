// The Store contract for re-projections (include/casereview/store.hpp): a change with no
// events rewrites a review's record and timers, after the board's calendar changed say,
// and leaves its log as it was. Run over the in-memory store and a SQLite store.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";
using Timers = std::vector<Timer>;

// A re-projection of the review as `loaded`: same last_seq, a new projection and timers.
ReviewChange Reprojection(const ReviewRecord& loaded, Timers timers, std::int64_t at) {
  ReviewChange c;
  c.review = loaded;
  c.review.projection = R"({"stage":"Referred","calendar":"2026 bank holidays"})";
  c.review.updated_at = At(at);
  c.expected_last_seq = loaded.last_seq;
  c.timers = std::move(timers);
  return c;
}

}  // namespace

SCENARIO("A re-projection rewrites the review's record and timers and leaves its log untouched",
         "[store][contract][reprojection]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review of two events and two pending timers") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer kept = TimerOn(kRef, "imr-due", 30);
    Timer dropped = TimerOn(kRef, "reminder", 20);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{dropped, kept};
    REQUIRE(store.Commit(referral).ok());
    REQUIRE(store.Commit(Append(referral.review, {"ImrsCommissioned"}, kJan5 + kDay)).ok());
    ReviewRecord loaded = *store.GetReview(kRef);
    auto log = *store.LoadEvents(kRef);

    WHEN("it is re-projected: one timer moved, one dropped, one added, with a notice") {
      Timer moved = kept;
      moved.due = At(kJan5 + 31 * kDay);
      Timer added = TimerOn(kRef, "panel-meeting", 40);
      ReviewChange c = Reprojection(loaded, {added, moved}, kJan5 + 2 * kDay);
      c.notices = {NoticeOn(kRef, 2, 1, 2)};
      Status s = store.Commit(c);
      INFO(s.message());
      REQUIRE(s.ok());
      THEN("the record is the new one, with last_seq unchanged") {
        REQUIRE(*store.GetReview(kRef) == c.review);
        REQUIRE(store.GetReview(kRef)->last_seq == 2);
      }
      THEN("the timers are reconciled as by any commit") {
        REQUIRE(*store.PendingTimers(kRef) == Timers{moved, added});
        REQUIRE(*store.GetTimerStatus(dropped.id) == TimerStatus::kCancelled);
      }
      THEN("the log is untouched and the notice is queued") {
        REQUIRE(*store.LoadEvents(kRef) == log);
        REQUIRE(*store.ListNotices({kRef, {}, {}}) == c.notices);
      }
      AND_THEN("the log grows from where it was") {
        REQUIRE(store.Commit(Append(*store.GetReview(kRef), {"ImrSubmitted"}, kJan5 + 3 * kDay)).ok());
        REQUIRE(store.LoadEvents(kRef)->size() == 3);
      }
    }
    WHEN("a re-projection leaves the timers untouched (timers nullopt)") {
      ReviewChange c = Reprojection(loaded, {}, kJan5 + 2 * kDay);
      c.timers.reset();
      REQUIRE(store.Commit(c).ok());
      THEN("only the record changed") {
        REQUIRE(*store.GetReview(kRef) == c.review);
        REQUIRE(*store.PendingTimers(kRef) == Timers{dropped, kept});
        REQUIRE(*store.LoadEvents(kRef) == log);
      }
    }
  }
}

SCENARIO("A re-projection that is stale, of no stored review, or fires a timer is refused and writes nothing",
         "[store][contract][reprojection][conflict]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review loaded, then moved on by someone else") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer reminder = TimerOn(kRef, "reminder", 20);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{reminder};
    REQUIRE(store.Commit(referral).ok());
    ReviewRecord loaded = *store.GetReview(kRef);
    REQUIRE(store.Commit(Append(loaded, {"ImrsCommissioned"}, kJan5 + kDay)).ok());
    ReviewRecord before = *store.GetReview(kRef);
    auto log = *store.LoadEvents(kRef);
    auto unchanged = [&] {
      REQUIRE(*store.GetReview(kRef) == before);
      REQUIRE(*store.LoadEvents(kRef) == log);
      REQUIRE(*store.PendingTimers(kRef) == Timers{reminder});
      REQUIRE(store.ListNotices({})->empty());
    };

    WHEN("a re-projection of the stale read is committed") {
      ReviewChange c = Reprojection(loaded, {TimerOn(kRef, "imr-due", 30)}, kJan5 + 2 * kDay);
      c.notices = {NoticeOn(kRef, 1, 1, 2)};
      Status s = store.Commit(c);
      THEN("it conflicts, saying what it expected and found, and nothing was written") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE_THAT(s.message(), Catch::Contains(kRef) && Catch::Contains("expected event 1, found 2") &&
                                      Catch::Contains("nothing was recorded"));
        unchanged();
      }
    }
    WHEN("a re-projection names a review that is not stored") {
      ReviewChange c = Reprojection(loaded, {}, kJan5 + 2 * kDay);
      c.review.ref = "SCR-2026-009";
      c.review.last_seq = c.expected_last_seq = 0;
      c.timers.reset();
      Status s = store.Commit(c);
      THEN("it conflicts and nothing was written") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE_THAT(s.message(), Catch::Contains("SCR-2026-009") && Catch::Contains("not stored"));
        REQUIRE(store.GetReview("SCR-2026-009").status().code() == Status::Code::kNotFound);
        unchanged();
      }
    }
    WHEN("an up-to-date re-projection tries to fire the pending timer") {
      ReviewChange c = Reprojection(before, {}, kJan5 + 2 * kDay);
      c.firing = reminder;
      Status s = store.Commit(c);
      THEN("it is refused as invalid and the timer is still pending") {
        REQUIRE(s.code() == Status::Code::kInvalidArgument);
        REQUIRE_THAT(s.message(), Catch::Contains("a re-projection cannot fire a timer"));
        REQUIRE(*store.GetTimerStatus(reminder.id) == TimerStatus::kPending);
        unchanged();
      }
    }
  }
}
