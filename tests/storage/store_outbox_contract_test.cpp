// The Store contract for delivering the outbox (include/casereview/store.hpp), run over the
// in-memory store and a SQLite store in a temp file: a notice is due when it is queued, each
// attempt is claimed by exactly one dispatcher, a failed attempt waits for its retry, a
// notice given up on is kept and listed until it is queued again, and a board's own notice
// is queued once.
#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";
constexpr const char* kOtherRef = "SCR-2026-002";  // a review of board other
using Notices = std::vector<Notice>;

Instant Day(std::int64_t day) { return At(kJan5 + day * kDay); }

void RequireOk(const Status& s) {
  INFO(s.message());
  REQUIRE(s.ok());
}

// A store with boards demo and other, review kRef of demo referred with `notices`, and
// review kOtherRef of other referred with none.
StoreUnderTest Referred(const std::string& kind, const Notices& notices) {
  StoreUnderTest under = MakeStore(kind);
  RequireOk(under.store->ImportBoardData(DemoBoardData()));
  RequireOk(under.store->PutBoard(OtherBoard()));
  ReviewChange referral = Referral(kRef);
  referral.notices = notices;
  RequireOk(under.store->Commit(referral));
  RequireOk(under.store->Commit(Referral(kOtherRef, "other")));
  return under;
}

Notices Listed(Store& store, const NoticeFilter& f = {}) {
  auto listed = store.ListNotices(f);
  INFO(listed.status().message());
  REQUIRE(listed.ok());
  return *listed;
}

Notices Due(Store& store, Instant now, std::size_t limit = 100) {
  auto due = store.DueNotices(now, limit);
  INFO(due.status().message());
  REQUIRE(due.ok());
  return *due;
}

std::optional<Instant> NextDue(Store& store) {
  auto next = store.NextNoticeDue();
  INFO(next.status().message());
  REQUIRE(next.ok());
  return *next;
}

// Filters, every member given (GCC warns of one left out, designated or not).
NoticeFilter WithStatus(const std::string& status) { return {std::nullopt, status, std::nullopt}; }
NoticeFilter OfBoard(const std::string& board, std::optional<std::string> status = std::nullopt) {
  return {std::nullopt, std::move(status), board};
}
NoticeFilter OfReview(const std::string& ref, std::optional<std::string> board = std::nullopt) {
  return {ref, std::nullopt, std::move(board)};
}

// The notice stored under `id`, as ListNotices gives it.
Notice Stored(Store& store, const std::string& id) {
  Notices all = Listed(store);
  for (const Notice& n : all)
    if (n.id == id) return n;
  FAIL("no notice " << id << " in the outbox");
  return {};
}

// Board `board`'s own notice (an action-plan digest), created `day` days after 5 January.
Notice Digest(const std::string& board, std::int64_t day) {
  Notice n;
  n.id = board + "/action-plan-digest@" + std::to_string(day);
  n.board_id = board;
  n.kind = "action-plan-digest";
  n.recipients = {"p-chair"};
  n.payload = R"({"board":")" + board + R"("})";
  n.created_at = n.next_attempt_at = Day(day);
  return n;
}

// `n` as it is after attempt `attempts` was claimed at `at`, due again at `retry_at`.
Notice Attempted(Notice n, int attempts, Instant at, Instant retry_at) {
  n.attempts = attempts;
  n.last_attempt_at = at;
  n.next_attempt_at = retry_at;
  n.last_error.clear();
  return n;
}

}  // namespace

SCENARIO("Notices committed with a change are due when they were created, with no delivery behind them",
         "[store][contract][outbox][delivery]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review referred with notices created on days 0 and 2") {
    Notice first = NoticeOn(kRef, 1, 0, 0), second = NoticeOn(kRef, 1, 1, 2);
    auto under = Referred(kind, {second, first});
    Store& store = *under.store;

    THEN("they are listed with their board, no attempts, nothing sent and no error, first attempt due at once") {
      REQUIRE(Listed(store) == Notices{first, second});
      Notice stored = Stored(store, first.id);
      REQUIRE(stored.board_id == "demo");
      REQUIRE(stored.status == "pending");
      REQUIRE(stored.attempts == 0);
      REQUIRE(stored.next_attempt_at == stored.created_at);
      REQUIRE_FALSE(stored.last_attempt_at.has_value());
      REQUIRE_FALSE(stored.sent_at.has_value());
      REQUIRE(stored.last_error.empty());
    }
    THEN("each is due from the second it was created, and the next one due is the first") {
      REQUIRE(Due(store, Day(0) - std::chrono::seconds{1}).empty());
      REQUIRE(Due(store, Day(0)) == Notices{first});
      REQUIRE(Due(store, Day(2)) == Notices{first, second});
      REQUIRE(NextDue(store) == std::optional<Instant>{Day(0)});
    }
  }
}

SCENARIO("The notifier finds due notices soonest due first, ties by id, at most the limit",
         "[store][contract][outbox][due]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("an empty " << kind << " store") {
    auto under = MakeStore(kind);
    THEN("no notice is due and none falls due next") {
      REQUIRE(Due(*under.store, Day(999)).empty());
      REQUIRE(NextDue(*under.store) == std::nullopt);
    }
  }
  GIVEN("a " << kind << " store with pending notices, two created at the same second, one retried, "
                        "one sent and one failed") {
    Notice tie_b = NoticeOn(kRef, 1, 2, 3), tie_a = NoticeOn(kRef, 1, 1, 3), late = NoticeOn(kRef, 1, 3, 9);
    Notice retried = NoticeOn(kRef, 1, 0, 1), sent = NoticeOn(kRef, 1, 4, 0), failed = NoticeOn(kRef, 1, 5, 0);
    auto under = Referred(kind, {late, tie_b, retried, sent, tie_a, failed});
    Store& store = *under.store;
    Notice board_own = Digest("other", 5);
    REQUIRE(*store.QueueNotice(board_own));
    RequireOk(store.RecordAttempt(retried.id, 0, Day(1), Day(6)));
    RequireOk(store.RecordSent(sent.id, Day(0)));
    RequireOk(store.RecordFailure(failed.id, "mailbox unavailable", /*give_up=*/true));
    retried = Attempted(retried, 1, Day(1), Day(6));

    THEN("DueNotices lists the pending ones due by then, by next attempt, ties by id") {
      REQUIRE(Due(store, Day(9)) == Notices{tie_a, tie_b, board_own, retried, late});
      REQUIRE(Due(store, Day(5)) == Notices{tie_a, tie_b, board_own});
      REQUIRE(Due(store, Day(6) - std::chrono::seconds{1}) == Notices{tie_a, tie_b, board_own});
      REQUIRE(Due(store, Day(3) - std::chrono::seconds{1}).empty());
    }
    THEN("at most `limit` are listed, the soonest due") {
      REQUIRE(Due(store, Day(999), 2) == Notices{tie_a, tie_b});
      REQUIRE(Due(store, Day(999), 0).empty());
    }
    THEN("the next one due is the soonest pending, not the sent or failed ones") {
      REQUIRE(NextDue(store) == std::optional<Instant>{Day(3)});
    }
  }
}

SCENARIO("RecordAttempt claims a notice's next attempt for exactly one dispatcher",
         "[store][contract][outbox][attempt]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a pending notice, due since day 0") {
    Notice n = NoticeOn(kRef, 1, 0, 0);
    auto under = Referred(kind, {n});
    Store& store = *under.store;

    WHEN("a dispatcher claims attempt 1 on day 1, to be retried on day 2 if no outcome is recorded") {
      RequireOk(store.RecordAttempt(n.id, 0, Day(1), Day(2)));
      Notice claimed = Attempted(n, 1, Day(1), Day(2));
      THEN("the notice has one attempt, made on day 1, and is due again on day 2, still pending") {
        REQUIRE(Stored(store, n.id) == claimed);
        REQUIRE(Due(store, Day(2) - std::chrono::seconds{1}).empty());
        REQUIRE(Due(store, Day(2)) == Notices{claimed});
        REQUIRE(NextDue(store) == std::optional<Instant>{Day(2)});
      }
      AND_WHEN("a second dispatcher claims it with the attempts it read before") {
        Status s = store.RecordAttempt(n.id, 0, Day(1), Day(3));
        THEN("it is a Conflict that names the notice, and nothing is written") {
          REQUIRE(s.code() == Status::Code::kConflict);
          REQUIRE(s.message() == "notice " + n.id +
                                     " was claimed by another dispatcher first (expected pending with 0 attempt(s), "
                                     "found pending with 1); nothing was recorded");
          REQUIRE(Stored(store, n.id) == claimed);
        }
      }
      AND_WHEN("the next attempt is claimed with the attempts as they are now") {
        RequireOk(store.RecordAttempt(n.id, 1, Day(2), Day(4)));
        THEN("it is attempt 2") { REQUIRE(Stored(store, n.id) == Attempted(n, 2, Day(2), Day(4))); }
      }
    }
    WHEN("an attempt is claimed for a notice that is not in the outbox") {
      Status s = store.RecordAttempt("SCR-1999-999#1.0", 0, Day(1), Day(2));
      THEN("it is NotFound, naming it, and nothing is written") {
        REQUIRE(s.code() == Status::Code::kNotFound);
        REQUIRE_THAT(s.message(), Catch::Contains("SCR-1999-999#1.0"));
        REQUIRE(Listed(store) == Notices{n});
      }
    }
    WHEN("an attempt is claimed for a notice already sent") {
      RequireOk(store.RecordSent(n.id, Day(1)));
      Notice sent = Stored(store, n.id);
      Status s = store.RecordAttempt(n.id, 0, Day(2), Day(3));
      THEN("it is a Conflict and the notice stays as it was") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE_THAT(s.message(), Catch::Contains("found sent with 0"));
        REQUIRE(Stored(store, n.id) == sent);
      }
    }
  }
}

SCENARIO("A notice the mail server accepted is sent, never due again, and stays so",
         "[store][contract][outbox][sent]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a notice whose first attempt was claimed on day 1") {
    Notice n = NoticeOn(kRef, 1, 0, 0);
    auto under = Referred(kind, {n});
    Store& store = *under.store;
    RequireOk(store.RecordAttempt(n.id, 0, Day(1), Day(2)));

    WHEN("it is recorded as sent on day 1") {
      RequireOk(store.RecordSent(n.id, Day(1)));
      Notice sent = Attempted(n, 1, Day(1), Day(2));
      sent.status = "sent";
      sent.sent_at = Day(1);
      THEN("it is sent, with when, and neither due nor next due") {
        REQUIRE(Stored(store, n.id) == sent);
        REQUIRE(Due(store, Day(999)).empty());
        REQUIRE(NextDue(store) == std::nullopt);
        REQUIRE(Listed(store, WithStatus("sent")) == Notices{sent});
        REQUIRE(Listed(store, WithStatus("pending")).empty());
      }
      AND_WHEN("it is recorded as sent again, and as failed, with and without giving up") {
        RequireOk(store.RecordSent(n.id, Day(5)));
        RequireOk(store.RecordFailure(n.id, "late bounce", /*give_up=*/false));
        RequireOk(store.RecordFailure(n.id, "late bounce", /*give_up=*/true));
        THEN("it is left exactly as it was") { REQUIRE(Stored(store, n.id) == sent); }
      }
    }
    WHEN("a notice that is not in the outbox is recorded as sent, or as failed") {
      Status sent = store.RecordSent("SCR-1999-999#1.0", Day(1));
      Status failed = store.RecordFailure("SCR-1999-999#1.0", "no such mailbox", true);
      THEN("both are NotFound") {
        REQUIRE(sent.code() == Status::Code::kNotFound);
        REQUIRE(failed.code() == Status::Code::kNotFound);
        REQUIRE(Listed(store) == Notices{Attempted(n, 1, Day(1), Day(2))});
      }
    }
  }
}

SCENARIO("A failed attempt leaves the notice pending until its retry, and giving up leaves it failed and listed",
         "[store][contract][outbox][failure]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a notice whose first attempt was claimed on day 1, retry on day 2") {
    Notice n = NoticeOn(kRef, 1, 0, 0);
    auto under = Referred(kind, {n});
    Store& store = *under.store;
    RequireOk(store.RecordAttempt(n.id, 0, Day(1), Day(2)));
    Notice claimed = Attempted(n, 1, Day(1), Day(2));

    WHEN("the attempt fails and the notifier will try again") {
      RequireOk(store.RecordFailure(n.id, "451 try again later", /*give_up=*/false));
      Notice waiting = claimed;
      waiting.last_error = "451 try again later";
      THEN("it stays pending with the error, due again at the attempt's retry time") {
        REQUIRE(Stored(store, n.id) == waiting);
        REQUIRE(Due(store, Day(2) - std::chrono::seconds{1}).empty());
        REQUIRE(Due(store, Day(2)) == Notices{waiting});
        REQUIRE(NextDue(store) == std::optional<Instant>{Day(2)});
      }
      AND_WHEN("the next attempt is claimed") {
        RequireOk(store.RecordAttempt(n.id, 1, Day(2), Day(4)));
        THEN("the error of the attempt before is gone") {
          REQUIRE(Stored(store, n.id) == Attempted(n, 2, Day(2), Day(4)));
        }
      }
    }
    WHEN("the attempt fails and the notifier gives up") {
      RequireOk(store.RecordFailure(n.id, "550 mailbox unavailable", /*give_up=*/true));
      Notice failed = claimed;
      failed.status = "failed";
      failed.last_error = "550 mailbox unavailable";
      THEN("it is failed, kept with its error, listed by status, and not due") {
        REQUIRE(Stored(store, n.id) == failed);
        REQUIRE(Listed(store, WithStatus("failed")) == Notices{failed});
        REQUIRE(Due(store, Day(999)).empty());
        REQUIRE(NextDue(store) == std::nullopt);
      }
      AND_WHEN("another failure is recorded, or an attempt claimed") {
        RequireOk(store.RecordFailure(n.id, "other error", /*give_up=*/false));
        Status claim = store.RecordAttempt(n.id, 1, Day(3), Day(4));
        THEN("the claim is a Conflict and the notice is left as it was") {
          REQUIRE(claim.code() == Status::Code::kConflict);
          REQUIRE(Stored(store, n.id) == failed);
        }
      }
      AND_WHEN("the mail server's acceptance is recorded after all") {
        RequireOk(store.RecordSent(n.id, Day(3)));
        THEN("it is sent") {
          Notice stored = Stored(store, n.id);
          REQUIRE(stored.status == "sent");
          REQUIRE(stored.sent_at == std::optional<Instant>{Day(3)});
        }
      }
    }
  }
}

SCENARIO("Failed notices are queued again, one or all, with no attempts counted and the last error kept",
         "[store][contract][outbox][requeue]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with two failed notices, one pending and one sent") {
    Notice failed_a = NoticeOn(kRef, 1, 0, 0), failed_b = NoticeOn(kRef, 1, 1, 0);
    Notice pending = NoticeOn(kRef, 1, 2, 0), sent = NoticeOn(kRef, 1, 3, 0);
    auto under = Referred(kind, {failed_a, failed_b, pending, sent});
    Store& store = *under.store;
    RequireOk(store.RecordAttempt(failed_a.id, 0, Day(1), Day(2)));
    RequireOk(store.RecordFailure(failed_a.id, "451 later", false));
    RequireOk(store.RecordAttempt(failed_a.id, 1, Day(2), Day(3)));
    RequireOk(store.RecordFailure(failed_a.id, "550 no such user", true));
    RequireOk(store.RecordAttempt(failed_b.id, 0, Day(1), Day(2)));
    RequireOk(store.RecordFailure(failed_b.id, "550 refused", true));
    RequireOk(store.RecordSent(sent.id, Day(1)));
    Notices before = Listed(store);

    // A failed notice as RequeueFailed leaves it: pending, due at day 10, nothing else changed.
    auto requeued = [&](const Notice& n) {
      Notice r = Stored(store, n.id);
      REQUIRE(r.status == "pending");
      REQUIRE(r.attempts == 0);
      REQUIRE(r.next_attempt_at == Day(10));
      return r;
    };

    WHEN("the one failed after two attempts is queued again for day 10") {
      auto count = store.RequeueFailed(failed_a.id, Day(10), std::nullopt);
      RequireOk(count.status());
      THEN("one is requeued: pending, no attempts counted, due on day 10, its last attempt and error kept") {
        REQUIRE(*count == 1);
        Notice r = requeued(failed_a);
        REQUIRE(r.last_error == "550 no such user");
        REQUIRE(r.last_attempt_at == std::optional<Instant>{Day(2)});
        REQUIRE(Due(store, Day(10)) == Notices{pending, r});
      }
      THEN("the other failed notice stays failed") { REQUIRE(Stored(store, failed_b.id).status == "failed"); }
    }
    WHEN("every failed notice is queued again for day 10") {
      auto count = store.RequeueFailed(std::nullopt, Day(10), std::nullopt);
      RequireOk(count.status());
      THEN("both are requeued and the pending and sent ones are as they were") {
        REQUIRE(*count == 2);
        REQUIRE(requeued(failed_a).last_error == "550 no such user");
        REQUIRE(requeued(failed_b).last_error == "550 refused");
        REQUIRE(Stored(store, pending.id) == pending);
        REQUIRE(Stored(store, sent.id).status == "sent");
        REQUIRE(Listed(store, WithStatus("failed")).empty());
      }
      AND_WHEN("it is asked again") {
        auto again = store.RequeueFailed(std::nullopt, Day(11), std::nullopt);
        THEN("none is left to requeue") {
          REQUIRE(*again == 0);
          REQUIRE(requeued(failed_a).next_attempt_at == Day(10));
        }
      }
    }
    WHEN("a notice that is not in the outbox, a pending one or a sent one is queued again") {
      auto unknown = store.RequeueFailed(std::string("SCR-1999-999#1.0"), Day(10), std::nullopt);
      auto of_pending = store.RequeueFailed(pending.id, Day(10), std::nullopt);
      auto of_sent = store.RequeueFailed(sent.id, Day(10), std::nullopt);
      THEN("the unknown one is NotFound, the others InvalidArgument, and nothing changes") {
        REQUIRE(unknown.status().code() == Status::Code::kNotFound);
        REQUIRE(of_pending.status().code() == Status::Code::kInvalidArgument);
        REQUIRE(of_pending.status().message() ==
                "notice " + pending.id + " cannot be queued again: it is pending, not failed; nothing was recorded");
        REQUIRE(of_sent.status().code() == Status::Code::kInvalidArgument);
        REQUIRE(Listed(store) == before);
      }
    }
  }
}

SCENARIO("A board's own notice is queued once, whatever becomes of it", "[store][contract][outbox][queue]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with boards demo and other, and a review of each") {
    auto under = Referred(kind, {});
    Store& store = *under.store;
    Notice digest = Digest("demo", 4);

    WHEN("the board's digest, with no review, is queued") {
      auto queued = store.QueueNotice(digest);
      RequireOk(queued.status());
      THEN("it is queued: listed as given, with no review, and due when it was created") {
        REQUIRE(*queued);
        REQUIRE(Listed(store) == Notices{digest});
        REQUIRE(Stored(store, digest.id).review_ref.empty());
        REQUIRE(Due(store, Day(4)) == Notices{digest});
        REQUIRE(Listed(store, OfBoard("demo")) == Notices{digest});
      }
      AND_WHEN("a notice with its id is queued again, with another payload") {
        Notice again = digest;
        again.payload = R"({"board":"demo","again":true})";
        auto second = store.QueueNotice(again);
        THEN("it is not queued, and the first is unchanged") {
          REQUIRE(second.ok());
          REQUIRE_FALSE(*second);
          REQUIRE(Listed(store) == Notices{digest});
        }
      }
      AND_WHEN("it was sent, then is queued again") {
        RequireOk(store.RecordSent(digest.id, Day(4)));
        Notice sent = Stored(store, digest.id);
        auto second = store.QueueNotice(digest);
        THEN("it is not queued again and stays sent") {
          REQUIRE(second.ok());
          REQUIRE_FALSE(*second);
          REQUIRE(Listed(store) == Notices{sent});
          REQUIRE(Due(store, Day(999)).empty());
        }
      }
    }
    WHEN("a notice naming a review of its board is queued") {
      Notice n = NoticeOn(kRef, 1, 0, 2);
      auto queued = store.QueueNotice(n);
      THEN("it is queued and listed under the review") {
        REQUIRE(*queued);
        REQUIRE(Listed(store, OfReview(kRef)) == Notices{n});
      }
    }
  }
}

SCENARIO("QueueNotice refuses a notice that is not new, or names what is not stored, and writes nothing",
         "[store][contract][outbox][queue]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with boards demo and other, and a review of each") {
    auto under = Referred(kind, {});
    Store& store = *under.store;
    Notice n = Digest("demo", 4);
    Status::Code expected = Status::Code::kInvalidArgument;
    SECTION("not pending") { n.status = "sent"; }
    SECTION("an attempt counted") { n.attempts = 1; }
    SECTION("a last attempt recorded") { n.last_attempt_at = Day(4); }
    SECTION("a last error recorded") { n.last_error = "550"; }
    SECTION("a time it was sent") { n.sent_at = Day(4); }
    SECTION("its first attempt not due when it was created") { n.next_attempt_at = Day(5); }
    SECTION("a recipient with a comma") { n.recipients = {"p-chair,p-spoc"}; }
    SECTION("no id") { n.id.clear(); }
    SECTION("a review of another board") { n.review_ref = kOtherRef; }
    SECTION("a board that is not stored") {
      n.board_id = "nowhere";
      expected = Status::Code::kNotFound;
    }
    SECTION("a review that is not stored") {
      n.review_ref = "SCR-1999-999";
      expected = Status::Code::kNotFound;
    }
    auto queued = store.QueueNotice(n);
    INFO(queued.status().message());
    REQUIRE(queued.status().code() == expected);
    REQUIRE_THAT(queued.status().message(), Catch::Contains("nothing was recorded"));
    REQUIRE(Listed(store).empty());
  }
}

SCENARIO("The outbox is listed by board, by review and by status, and by any of them together",
         "[store][contract][outbox][list]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with notices of two boards, on reviews and of the boards themselves") {
    Notice on_review = NoticeOn(kRef, 1, 0, 1);
    auto under = Referred(kind, {on_review});
    Store& store = *under.store;
    Notice other_on_review = NoticeOn(kOtherRef, 2, 0, 2);
    other_on_review.board_id = "other";
    ReviewChange other = Append(*store.GetReview(kOtherRef), {"ImrsCommissioned"}, kJan5 + 2 * kDay);
    other.notices = {other_on_review};
    RequireOk(store.Commit(other));
    Notice demo_digest = Digest("demo", 3), other_digest = Digest("other", 0);
    REQUIRE(*store.QueueNotice(demo_digest));
    REQUIRE(*store.QueueNotice(other_digest));
    RequireOk(store.RecordSent(demo_digest.id, Day(3)));
    demo_digest = Stored(store, demo_digest.id);

    THEN("a board filter lists that board's notices, on reviews or not, oldest first") {
      REQUIRE(Listed(store, OfBoard("demo")) == Notices{on_review, demo_digest});
      REQUIRE(Listed(store, OfBoard("other")) == Notices{other_digest, other_on_review});
      REQUIRE(Listed(store, OfBoard("nowhere")).empty());
    }
    THEN("board and status, and board and review, together list only theirs") {
      REQUIRE(Listed(store, OfBoard("demo", "sent")) == Notices{demo_digest});
      REQUIRE(Listed(store, OfBoard("demo", "pending")) == Notices{on_review});
      REQUIRE(Listed(store, OfReview(kOtherRef, "other")) == Notices{other_on_review});
      REQUIRE(Listed(store, OfReview(kRef, "other")).empty());
    }
  }
}

SCENARIO("A change whose notices are not new, or not its board's, is refused and writes nothing",
         "[store][contract][outbox][commit]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review referred with a notice") {
    auto under = Referred(kind, {NoticeOn(kRef, 1, 0, 0)});
    Store& store = *under.store;
    Notices notices_before = Listed(store);
    ReviewRecord review_before = *store.GetReview(kRef);

    ReviewChange next = Append(review_before, {"ImrsCommissioned"}, kJan5 + kDay);
    Notice& n = next.notices.emplace_back(NoticeOn(kRef, 2, 0, 1));
    std::string why;
    SECTION("an attempt counted") {
      n.attempts = 1;
      why = "delivery attempt";
    }
    SECTION("failed") {
      n.status = "failed";
      why = "a new notice is pending";
    }
    SECTION("its first attempt due later than it was created") {
      n.next_attempt_at = Day(2);
      why = "its first attempt must be due when it was created";
    }
    SECTION("another board's") {
      n.board_id = "other";
      why = "is for board 'other', not for board 'demo' of review SCR-2026-001";
    }
    SECTION("a time it was sent") {
      n.sent_at = Day(1);
      why = "a new notice is not sent";
    }
    // It is InvalidArgument, naming the notice and why, and the review, its log and the
    // outbox are as they were.
    Status s = store.Commit(next);
    INFO(s.message());
    REQUIRE(s.code() == Status::Code::kInvalidArgument);
    REQUIRE_THAT(s.message(), Catch::StartsWith("notice " + n.id) && Catch::Contains(why) &&
                                  Catch::EndsWith("; nothing was recorded"));
    REQUIRE(*store.GetReview(kRef) == review_before);
    REQUIRE(store.LoadEvents(kRef)->size() == 1);
    REQUIRE(Listed(store) == notices_before);
  }
}

SCENARIO("The outbox and every notice's delivery survive closing and reopening the database",
         "[store][sqlite][outbox][durability]") {
  GIVEN("a SQLite store with a notice retried with an error, one sent, one failed and a board's own, then closed") {
    Notice retried = NoticeOn(kRef, 1, 0, 0), sent = NoticeOn(kRef, 1, 1, 0), failed = NoticeOn(kRef, 1, 2, 0);
    auto under = Referred("sqlite", {retried, sent, failed});
    Notice digest = Digest("demo", 1);
    {
      Store& store = *under.store;
      REQUIRE(*store.QueueNotice(digest));
      RequireOk(store.RecordAttempt(retried.id, 0, Day(1), Day(2)));
      RequireOk(store.RecordFailure(retried.id, "451 later", false));
      RequireOk(store.RecordAttempt(sent.id, 0, Day(1), Day(2)));
      RequireOk(store.RecordSent(sent.id, Day(1)));
      RequireOk(store.RecordAttempt(failed.id, 0, Day(1), Day(2)));
      RequireOk(store.RecordFailure(failed.id, "550 refused", true));
    }
    Notices before = Listed(*under.store);
    under.store.reset();

    WHEN("the database is reopened") {
      SqliteStoreOptions options;
      options.create_if_missing = false;
      auto reopened = OpenSqliteStore(under.dir->File("contract.db"), options);
      INFO(reopened.status().message());
      REQUIRE(reopened.ok());
      Store& store = **reopened;
      THEN("every notice is as it was, to the last field") {
        Notices after = Listed(store);
        REQUIRE(after == before);
        REQUIRE(after.size() == 4);
        REQUIRE(Stored(store, retried.id).last_error == "451 later");
        REQUIRE(Stored(store, sent.id).sent_at == std::optional<Instant>{Day(1)});
        REQUIRE(Stored(store, failed.id).status == "failed");
        REQUIRE(Stored(store, digest.id).review_ref.empty());
      }
      THEN("the same notices are due, and delivery carries on where it stopped") {
        REQUIRE(Ids(Due(store, Day(2))) == Names{digest.id, retried.id});
        REQUIRE(NextDue(store) == std::optional<Instant>{Day(1)});
        REQUIRE(store.RecordAttempt(retried.id, 0, Day(2), Day(3)).code() == Status::Code::kConflict);
        RequireOk(store.RecordAttempt(retried.id, 1, Day(2), Day(3)));
        REQUIRE(*store.RequeueFailed(std::nullopt, Day(3), std::nullopt) == 1);
        REQUIRE(Ids(Due(store, Day(3))) == Names{digest.id, retried.id, failed.id});
      }
    }
  }
}
