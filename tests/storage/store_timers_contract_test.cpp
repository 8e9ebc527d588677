// The Store contract for durable timers and the outbox (include/casereview/store.hpp), run
// over the in-memory store and a SQLite store in a temp file: timers are reconciled with
// each change, fire once and never stale, and notices are queued with the change.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";
using Timers = std::vector<Timer>;

// Everything a commit could have written about one review.
struct Written {
  ReviewRecord review;
  std::vector<StoredEvent> events;
  Timers pending;
  std::vector<Notice> notices;

  bool operator==(const Written&) const = default;
};

Written WrittenAbout(Store& store, const std::string& ref) {
  return {*store.GetReview(ref), *store.LoadEvents(ref), *store.PendingTimers(ref), *store.ListNotices({ref, {}, {}})};
}

TimerStatus StatusOf(Store& store, const Timer& t) {
  auto status = store.GetTimerStatus(t.id);
  INFO(status.status().message());
  REQUIRE(status.ok());
  return *status;
}

// Commits `types` on the review as it is now, with the given timers and firing.
Status CommitNext(Store& store, std::optional<std::vector<Timer>> timers, std::optional<Timer> firing = {},
                  const std::vector<std::string>& types = {"DeadlineReminderDue"}) {
  ReviewChange c = Append(*store.GetReview(kRef), types, kJan5 + kDay);
  c.timers = std::move(timers);
  c.firing = std::move(firing);
  return store.Commit(c);
}

}  // namespace

SCENARIO("A change's timer list is the review's pending timers after it", "[store][contract][timers]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review referred with three timers") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer a = TimerOn(kRef, "a", 10), b = TimerOn(kRef, "b", 20), c = TimerOn(kRef, "c", 30);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{c, a, b};
    REQUIRE(store.Commit(referral).ok());

    THEN("they are pending, soonest first, every field as given") {
      REQUIRE(*store.PendingTimers(kRef) == Timers{a, b, c});
      REQUIRE(StatusOf(store, a) == TimerStatus::kPending);
      REQUIRE(store.PendingTimers("SCR-1999-999")->empty());
    }
    WHEN("a change moves one, keeps one, leaves one out and adds one") {
      Timer moved = a;
      moved.due = At(kJan5 + 40 * kDay);
      moved.event = "DeadlineOverdue";
      moved.payload = R"({"moved":true})";
      Timer added = TimerOn(kRef, "d", 5);
      REQUIRE(CommitNext(store, Timers{moved, c, added}).ok());
      THEN("the moved one has its new due time, event and payload; the new one is pending") {
        REQUIRE(*store.PendingTimers(kRef) == Timers{added, c, moved});
      }
      THEN("the one left out is cancelled") { REQUIRE(StatusOf(store, b) == TimerStatus::kCancelled); }
    }
    WHEN("a change leaves the timers alone (nullopt)") {
      REQUIRE(CommitNext(store, std::nullopt).ok());
      THEN("all three are still pending") { REQUIRE(*store.PendingTimers(kRef) == Timers{a, b, c}); }
    }
    WHEN("a change lists no timers at all") {
      REQUIRE(CommitNext(store, Timers{}).ok());
      THEN("every one is cancelled and nothing is due, ever") {
        for (const Timer& t : {a, b, c}) REQUIRE(StatusOf(store, t) == TimerStatus::kCancelled);
        REQUIRE(store.PendingTimers(kRef)->empty());
        REQUIRE(*store.NextTimerDue() == std::nullopt);
      }
    }
  }
}

SCENARIO("A timer that fired or was cancelled is never armed again under its id", "[store][contract][timers]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review whose timer a has fired and b was cancelled") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer a = TimerOn(kRef, "a", 10), b = TimerOn(kRef, "b", 20);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{a, b};
    REQUIRE(store.Commit(referral).ok());
    REQUIRE(CommitNext(store, Timers{b}, a).ok());
    REQUIRE(CommitNext(store, Timers{}).ok());

    WHEN("a later change lists both again, due later") {
      Timer again_a = a, again_b = b;
      again_a.due = again_b.due = At(kJan5 + 60 * kDay);
      REQUIRE(CommitNext(store, Timers{again_a, again_b}).ok());
      THEN("they keep their status and nothing is pending or due") {
        REQUIRE(StatusOf(store, a) == TimerStatus::kFired);
        REQUIRE(StatusOf(store, b) == TimerStatus::kCancelled);
        REQUIRE(store.PendingTimers(kRef)->empty());
        REQUIRE(store.DueTimers(At(kJan5 + 365 * kDay), 10)->empty());
        REQUIRE(*store.NextTimerDue() == std::nullopt);
      }
      THEN("the change's events were recorded all the same") { REQUIRE(store.GetReview(kRef)->last_seq == 4); }
    }
  }
}

SCENARIO("Firing a pending timer marks it fired in the commit that records its event",
         "[store][contract][timers][firing]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review with timers a (day 10) and b (day 20)") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer a = TimerOn(kRef, "a", 10), b = TimerOn(kRef, "b", 20);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{a, b};
    REQUIRE(store.Commit(referral).ok());
    REQUIRE(*store.DueTimers(At(kJan5 + 10 * kDay), 10) == Timers{a});

    // Whatever the change says of the review's timers, the one it fires ends up fired.
    auto listed = GENERATE(values<std::optional<std::vector<Timer>>>({std::nullopt, Timers{},
                                                                      Timers{TimerOn(kRef, "b", 20)},
                                                                      Timers{TimerOn(kRef, "a", 10)}}));
    WHEN("a's event is committed firing a, listing " << (listed ? std::to_string(listed->size()) : "no") << " timers") {
      REQUIRE(CommitNext(store, listed, a).ok());
      THEN("a is fired, its event is in the log, and a is no longer due") {
        REQUIRE(StatusOf(store, a) == TimerStatus::kFired);
        REQUIRE(store.LoadEvents(kRef)->back().type == "DeadlineReminderDue");
        REQUIRE(store.DueTimers(At(kJan5 + 10 * kDay), 10)->empty());
      }
      THEN("b is pending unless the list left it out") {
        bool kept = !listed || (listed->size() == 1 && listed->front() == b);
        REQUIRE(StatusOf(store, b) == (kept ? TimerStatus::kPending : TimerStatus::kCancelled));
      }
    }
  }
}

SCENARIO("Firing a timer that was moved, cancelled or fired meanwhile conflicts and writes nothing",
         "[store][contract][timers][firing][conflict]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review with timers a (day 10) and b (day 20)") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Timer a = TimerOn(kRef, "a", 10), b = TimerOn(kRef, "b", 20);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{a, b};
    REQUIRE(store.Commit(referral).ok());
    Timer moved = a;
    moved.due = At(kJan5 + 15 * kDay);
    const std::string what = GENERATE(as<std::string>{}, "moved", "cancelled", "fired", "unknown");
    Timer stale = a;
    if (what == "moved") REQUIRE(CommitNext(store, Timers{moved, b}).ok());
    if (what == "cancelled") REQUIRE(CommitNext(store, Timers{b}).ok());
    if (what == "fired") REQUIRE(CommitNext(store, std::nullopt, a).ok());
    if (what == "unknown") stale = TimerOn(kRef, "never-set", 10);

    WHEN("a, " << what << " since it was read, is fired by a change that also sets timers and notices") {
      Written before = WrittenAbout(store, kRef);
      TimerStatus a_before = StatusOf(store, a);
      ReviewChange late = Append(*store.GetReview(kRef), {"DeadlineReminderDue"}, kJan5 + 10 * kDay);
      late.firing = stale;
      late.timers = Timers{TimerOn(kRef, "c", 30)};
      late.notices = {NoticeOn(kRef, late.review.last_seq, 0, 10)};
      Status s = store.Commit(late);
      THEN("it is a Conflict that names the timer and the review") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE(s.message() == "timer " + stale.id + " on " + kRef +
                                   " was moved, cancelled or fired meanwhile; nothing was recorded");
      }
      THEN("the record, the log, the timers and the outbox are as they were") {
        REQUIRE(WrittenAbout(store, kRef) == before);
        REQUIRE(StatusOf(store, a) == a_before);
        REQUIRE(store.GetTimerStatus(kRef + std::string("/c")).status().code() == Status::Code::kNotFound);
        REQUIRE(store.ListNotices({})->empty());
      }
    }
  }
}

SCENARIO("Notices are queued with their change and listed oldest first, by review and status",
         "[store][contract][outbox]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with notices on two reviews, two of them created at the same second") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    const std::string other = "SCR-2026-002";
    Notice late = NoticeOn(kRef, 1, 0, 9, {"p-chair"});
    Notice tie_b = NoticeOn(kRef, 1, 2, 3, {});
    Notice tie_a = NoticeOn(kRef, 1, 1, 3);
    Notice elsewhere = NoticeOn(other, 1, 0, 5);
    elsewhere.kind = "deadline-overdue";
    ReviewChange first = Referral(kRef), second = Referral(other);
    first.notices = {late, tie_b, tie_a};
    second.notices = {elsewhere};
    REQUIRE(store.Commit(first).ok());
    REQUIRE(store.Commit(second).ok());
    REQUIRE(store.RecordSent(elsewhere.id, At(kJan5 + 5 * kDay)).ok());  // queued pending, then sent
    elsewhere.status = "sent";
    elsewhere.sent_at = At(kJan5 + 5 * kDay);

    THEN("the outbox lists them all by created_at, ties by id, every field as queued") {
      REQUIRE(*store.ListNotices({}) == std::vector<Notice>{tie_a, tie_b, elsewhere, late});
    }
    THEN("a review filter, a status filter and both together list only theirs") {
      REQUIRE(*store.ListNotices({kRef, {}, {}}) == std::vector<Notice>{tie_a, tie_b, late});
      REQUIRE(*store.ListNotices({{}, "pending", {}}) == std::vector<Notice>{tie_a, tie_b, late});
      REQUIRE(*store.ListNotices({other, "sent", {}}) == std::vector<Notice>{elsewhere});
      REQUIRE(store.ListNotices({kRef, "sent", {}})->empty());
      REQUIRE(store.ListNotices({"SCR-1999-999", {}, {}})->empty());
    }
  }
}

SCENARIO("A notice already in the outbox conflicts, and a change that cannot be stored writes nothing",
         "[store][contract][outbox][conflict]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review with a timer and a queued notice") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    Notice queued = NoticeOn(kRef, 1, 0, 0);
    ReviewChange referral = Referral(kRef);
    referral.timers = Timers{TimerOn(kRef, "a", 10)};
    referral.notices = {queued};
    REQUIRE(store.Commit(referral).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-002")).ok());
    Written before = WrittenAbout(store, kRef);

    ReviewChange next = Append(*store.GetReview(kRef), {"ImrCommissioned"}, kJan5 + kDay);
    next.timers = Timers{TimerOn(kRef, "b", 20)};
    next.notices = {NoticeOn(kRef, 2, 0, 1)};
    Status::Code expected = Status::Code::kConflict;
    SECTION("a notice id already queued") { next.notices.push_back(queued); }
    SECTION("a notice id twice in one change") { next.notices.push_back(next.notices.front()); }
    SECTION("a recipient id with a comma") {
      next.notices.front().recipients = {"p-chair,p-spoc"};
      expected = Status::Code::kInvalidArgument;
    }
    SECTION("a notice for another review") {
      next.notices.front().review_ref = "SCR-2026-002";
      expected = Status::Code::kInvalidArgument;
    }
    SECTION("a timer for another review") {
      next.timers->push_back(TimerOn("SCR-2026-002", "x", 5));
      expected = Status::Code::kInvalidArgument;
    }
    SECTION("firing another review's pending timer") {
      ReviewChange other = Append(*store.GetReview("SCR-2026-002"), {"ImrCommissioned"}, kJan5);
      other.timers = Timers{TimerOn("SCR-2026-002", "x", 5)};
      REQUIRE(store.Commit(other).ok());
      next.firing = other.timers->front();
      expected = Status::Code::kInvalidArgument;
    }
    SECTION("a timer listed twice") {
      next.timers->push_back(next.timers->front());
      expected = Status::Code::kInvalidArgument;
    }
    SECTION("a timer id that is another review's timer") {
      ReviewChange other = Append(*store.GetReview("SCR-2026-002"), {"ImrCommissioned"}, kJan5);
      other.timers = Timers{TimerOn("SCR-2026-002", "shared", 5)};
      REQUIRE(store.Commit(other).ok());
      Timer taken = TimerOn("SCR-2026-002", "shared", 7);
      taken.review_ref = kRef;
      next.timers->push_back(taken);
      expected = Status::Code::kInvalidArgument;
    }
    Status s = store.Commit(next);
    INFO(s.message());
    REQUIRE(s.code() == expected);
    REQUIRE_THAT(s.message(), Catch::Contains("nothing was recorded"));
    REQUIRE(WrittenAbout(store, kRef) == before);
    REQUIRE(store.GetTimerStatus(kRef + std::string("/b")).status().code() == Status::Code::kNotFound);
  }
}

SCENARIO("The scheduler finds due timers soonest first, ties by id, at most the limit",
         "[store][contract][timers][due]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("an empty " << kind << " store") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    THEN("nothing is due and no timer falls due next") {
      REQUIRE(store.DueTimers(At(kJan5 + 999 * kDay), 10)->empty());
      REQUIRE(*store.NextTimerDue() == std::nullopt);
      REQUIRE(store.GetTimerStatus("SCR-1999-999/a").status().code() == Status::Code::kNotFound);
    }
  }
  GIVEN("a " << kind << " store with pending timers on two reviews, and earlier ones fired and cancelled") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    const std::string other = "SCR-2026-002";
    Timer fired = TimerOn(kRef, "fired", 1), cancelled = TimerOn(kRef, "cancelled", 2);
    Timer late = TimerOn(kRef, "late", 10), early = TimerOn(kRef, "early", 10), last = TimerOn(kRef, "last", 30);
    Timer between = TimerOn(other, "between", 20), far = TimerOn(other, "far", 50);
    ReviewChange first = Referral(kRef), second = Referral(other);
    first.timers = Timers{late, fired, cancelled, last, early};
    second.timers = Timers{far, between};
    REQUIRE(store.Commit(first).ok());
    REQUIRE(store.Commit(second).ok());
    REQUIRE(CommitNext(store, Timers{late, early, last}, fired).ok());

    THEN("DueTimers lists the pending ones due by then, soonest first, ties by id") {
      REQUIRE(*store.DueTimers(At(kJan5 + 30 * kDay), 10) == Timers{early, late, between, last});
      REQUIRE(*store.DueTimers(At(kJan5 + 20 * kDay), 10) == Timers{early, late, between});
      REQUIRE(store.DueTimers(At(kJan5 + 10 * kDay - 1), 10)->empty());
    }
    THEN("at most `limit` are listed, the soonest") {
      REQUIRE(*store.DueTimers(At(kJan5 + 999 * kDay), 2) == Timers{early, late});
      REQUIRE(store.DueTimers(At(kJan5 + 999 * kDay), 0)->empty());
    }
    THEN("the next one due is the soonest pending, not the fired or cancelled ones") {
      REQUIRE(*store.NextTimerDue() == std::optional<Instant>{At(kJan5 + 10 * kDay)});
      REQUIRE(StatusOf(store, fired) == TimerStatus::kFired);
      REQUIRE(StatusOf(store, cancelled) == TimerStatus::kCancelled);
    }
  }
}
