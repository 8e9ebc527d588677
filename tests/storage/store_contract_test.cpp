// The Store contract (include/casereview/store.hpp), run over every implementation: each
// scenario runs once on the in-memory store and once on a SQLite store in a temp file.
// Boards, reviews, their logs and settings here; timers and the outbox in
// store_timers_contract_test.cpp; re-projections in store_reprojection_contract_test.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

SCENARIO("Boards, agencies and people are kept and listed in id order", "[store][contract][board]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with two boards, put in reverse order") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.PutBoard(OtherBoard()).ok());
    REQUIRE(store.PutBoard(DemoBoard()).ok());

    THEN("both boards are listed by id, quorum rules and all") {
      auto boards = store.ListBoards();
      REQUIRE(boards.ok());
      REQUIRE(*boards == std::vector<Board>{DemoBoard(), OtherBoard()});
    }
    WHEN("agencies and people are put one at a time, out of order") {
      auto agencies = DemoAgencies();
      auto people = DemoPeople();
      for (auto a = agencies.rbegin(); a != agencies.rend(); ++a) REQUIRE(store.PutAgency(*a).ok());
      for (auto p = people.rbegin(); p != people.rend(); ++p) REQUIRE(store.PutPerson(*p).ok());
      REQUIRE(store.PutAgency({"police-other", "other", "Police", "police"}).ok());

      THEN("each board lists only its own, in id order, every field as put") {
        REQUIRE(*store.ListAgencies("demo") == agencies);
        REQUIRE(*store.ListPeople("demo") == people);
        REQUIRE(Ids(*store.ListAgencies("other")) == Names{"police-other"});
        REQUIRE(store.ListPeople("other")->empty());
        REQUIRE(store.ListAgencies("nowhere")->empty());
      }
      THEN("roles come back as a list, empty or several, and no agency comes back empty") {
        auto listed = *store.ListPeople("demo");
        REQUIRE(listed.at(0).agency_id.empty());
        REQUIRE(listed.at(1).roles.empty());
        REQUIRE(listed.at(2).roles == Names{"spoc", "panel-member", "lead-officer"});
      }
      AND_WHEN("a person is put again under the same id") {
        Person moved = people.at(2);
        moved.name = "Sam Renamed";
        moved.agency_id = "";
        moved.roles = {"panel-member"};
        REQUIRE(store.PutPerson(moved).ok());
        THEN("the person is replaced, not duplicated") {
          auto listed = *store.ListPeople("demo");
          REQUIRE(listed.size() == 3);
          REQUIRE(listed.at(2) == moved);
        }
      }
    }
  }
}

SCENARIO("Rows that cannot be stored faithfully are refused, and nothing is kept",
         "[store][contract][board]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with the demo board and its agencies") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.PutBoard(DemoBoard()).ok());
    REQUIRE(store.PutBoard(OtherBoard()).ok());
    for (const auto& a : DemoAgencies()) REQUIRE(store.PutAgency(a).ok());

    THEN("an agency of a board that is not stored is NotFound") {
      Status s = store.PutAgency({"ghost-agency", "ghost-board", "Ghost", "police"});
      REQUIRE(s.code() == Status::Code::kNotFound);
      REQUIRE_THAT(s.message(), Catch::Contains("agency ghost-agency") && Catch::Contains("board 'ghost-board'"));
    }
    THEN("a person of an agency that is not on their board is NotFound") {
      Status s = store.PutPerson({"p1", "other", "Pat", "pat@example.org", "police", {"panel-member"}});
      REQUIRE(s.code() == Status::Code::kNotFound);
      REQUIRE_THAT(s.message(), Catch::Contains("person p1") && Catch::Contains("agency 'police' on board other"));
      REQUIRE(store.ListPeople("other")->empty());
    }
    THEN("a role that is empty or holds a comma is refused as InvalidArgument") {
      REQUIRE(store.PutPerson({"p1", "demo", "Pat", "pat@example.org", "", {"a,b"}}).code() ==
              Status::Code::kInvalidArgument);
      REQUIRE(store.PutPerson({"p1", "demo", "Pat", "pat@example.org", "", {""}}).code() ==
              Status::Code::kInvalidArgument);
      REQUIRE(store.ListPeople("demo")->empty());
    }
    THEN("a review on a board that is not stored is NotFound") {
      Status s = store.Commit(Referral("SCR-2026-001", "ghost-board"));
      REQUIRE(s.code() == Status::Code::kNotFound);
      REQUIRE(store.GetReview("SCR-2026-001").status().code() == Status::Code::kNotFound);
      REQUIRE(store.LoadEvents("SCR-2026-001")->empty());
    }
  }
}

SCENARIO("A board import is all or nothing", "[store][contract][import]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("an empty " << kind << " store") {
    auto under = MakeStore(kind);
    Store& store = *under.store;

    WHEN("an import's last person names an agency that is not there") {
      BoardData bad = DemoBoardData();
      bad.people.push_back({"p-zz", "demo", "Zed", "zed@example.org", "ghost", {}});
      Status s = store.ImportBoardData(bad);
      THEN("it is refused and not even the board is kept") {
        REQUIRE(s.code() == Status::Code::kNotFound);
        REQUIRE_THAT(s.message(), Catch::Contains("agency 'ghost'"));
        REQUIRE(store.ListBoards()->empty());
        REQUIRE(store.ListAgencies("demo")->empty());
        REQUIRE(store.ListPeople("demo")->empty());
      }
    }
    WHEN("a good import follows") {
      REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
      THEN("the board, its agencies and its people are all there") {
        REQUIRE(*store.ListBoards() == std::vector<Board>{DemoBoard()});
        REQUIRE(*store.ListAgencies("demo") == DemoAgencies());
        REQUIRE(*store.ListPeople("demo") == DemoPeople());
      }
      AND_WHEN("a later import of the same board fails halfway") {
        BoardData bad = DemoBoardData();
        bad.board.name = "Renamed";
        bad.agencies.push_back({"new-agency", "demo", "New", "education"});
        bad.people.push_back({"p-bad", "demo", "Bad", "bad@example.org", "", {"x,y"}});
        REQUIRE_FALSE(store.ImportBoardData(bad).ok());
        THEN("what was there before is untouched") {
          REQUIRE(*store.ListBoards() == std::vector<Board>{DemoBoard()});
          REQUIRE(*store.ListAgencies("demo") == DemoAgencies());
        }
      }
    }
  }
}

SCENARIO("A review is committed, then its log grows event by event", "[store][contract][review]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with the demo board") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());

    WHEN("a new review is committed with its first event") {
      ReviewChange referral = Referral("SCR-2026-001");
      REQUIRE(store.Commit(referral).ok());
      THEN("the record reads back exactly as committed") {
        auto got = store.GetReview("SCR-2026-001");
        REQUIRE(got.ok());
        REQUIRE(*got == referral.review);
      }
      AND_WHEN("two more events are appended in one commit") {
        ReviewChange next = Append(*store.GetReview("SCR-2026-001"), {"PanelMeetingHeld", "ScrAgreed"}, kJan5 + 86400);
        REQUIRE(store.Commit(next).ok());
        THEN("the log holds all three in seq order, every field identical") {
          auto log = store.LoadEvents("SCR-2026-001");
          REQUIRE(log.ok());
          std::vector<StoredEvent> expected = referral.events;
          expected.insert(expected.end(), next.events.begin(), next.events.end());
          REQUIRE(*log == expected);
          REQUIRE(log->back().seq == 3);
        }
        THEN("the record has moved on to the last event") {
          auto got = *store.GetReview("SCR-2026-001");
          REQUIRE(got.last_seq == 3);
          REQUIRE(got.stage == "ScrAgreed");
          REQUIRE(got == next.review);
        }
      }
    }
    THEN("an unknown review is NotFound and has an empty log") {
      auto got = store.GetReview("SCR-1999-999");
      REQUIRE(got.status().code() == Status::Code::kNotFound);
      REQUIRE_THAT(got.status().message(), Catch::Contains("SCR-1999-999"));
      REQUIRE(store.LoadEvents("SCR-1999-999")->empty());
    }
  }
}

SCENARIO("A commit based on a stale read conflicts and writes nothing", "[store][contract][conflict]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review that two people loaded at event 1") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-001")).ok());
    ReviewRecord loaded = *store.GetReview("SCR-2026-001");

    WHEN("the first commits event 2 and the second then tries to") {
      ReviewChange first = Append(loaded, {"PanelMeetingHeld"}, kJan5 + 60);
      ReviewChange second = Append(loaded, {"ScrNotRequired"}, kJan5 + 120);
      REQUIRE(store.Commit(first).ok());
      Status s = store.Commit(second);
      THEN("the second is a Conflict that says what happened") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE_THAT(s.message(), Catch::Contains("SCR-2026-001") && Catch::Contains("expected event 1, found 2") &&
                                      Catch::Contains("nothing was recorded"));
      }
      THEN("only the first one's event and record are stored") {
        REQUIRE(*store.GetReview("SCR-2026-001") == first.review);
        auto log = *store.LoadEvents("SCR-2026-001");
        REQUIRE(log.size() == 2);
        REQUIRE(log.back() == first.events.back());
      }
    }
    WHEN("someone else tries to open a new review under the same reference") {
      ReviewChange again = Referral("SCR-2026-001", "demo", false);
      Status s = store.Commit(again);
      THEN("it is a Conflict and the existing review is untouched") {
        REQUIRE(s.code() == Status::Code::kConflict);
        REQUIRE(*store.GetReview("SCR-2026-001") == loaded);
        REQUIRE(store.LoadEvents("SCR-2026-001")->size() == 1);
      }
    }
  }
}

SCENARIO("Reviews are counted by reference prefix and listed with filters", "[store][contract][review]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with reviews on two boards, one of them closed") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    REQUIRE(store.PutBoard(OtherBoard()).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-002")).ok());
    REQUIRE(store.Commit(Referral("SCR-2025-007")).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-001", "demo", /*open=*/false)).ok());
    REQUIRE(store.Commit(Referral("SCR-2026-003", "other")).ok());

    THEN("each prefix counts only the references that start with it") {
      REQUIRE(*store.CountReviewsWithPrefix("SCR-2026-") == 3);
      REQUIRE(*store.CountReviewsWithPrefix("SCR-2025-") == 1);
      REQUIRE(*store.CountReviewsWithPrefix("SCR-2027-") == 0);
      REQUIRE(*store.CountReviewsWithPrefix("scr-2026-") == 0);
      REQUIRE(*store.CountReviewsWithPrefix("SCR-2026-%") == 0);
      REQUIRE(*store.CountReviewsWithPrefix("") == 4);
    }
    THEN("with no filter every review is listed, by reference") {
      REQUIRE(Refs(*store.ListReviews({})) == Names{"SCR-2025-007", "SCR-2026-001", "SCR-2026-002", "SCR-2026-003"});
    }
    THEN("a board filter lists only that board's reviews") {
      REQUIRE(Refs(*store.ListReviews({"demo", false})) == Names{"SCR-2025-007", "SCR-2026-001", "SCR-2026-002"});
      REQUIRE(Refs(*store.ListReviews({"other", false})) == Names{"SCR-2026-003"});
      REQUIRE(store.ListReviews({"nowhere", false})->empty());
    }
    THEN("open_only leaves out closed reviews, with or without a board") {
      REQUIRE(Refs(*store.ListReviews({std::nullopt, true})) == Names{"SCR-2025-007", "SCR-2026-002", "SCR-2026-003"});
      REQUIRE(Refs(*store.ListReviews({"demo", true})) == Names{"SCR-2025-007", "SCR-2026-002"});
    }
  }
}

SCENARIO("Settings are put, replaced and read back by key", "[store][contract][settings]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with one setting put") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    const std::string holidays = R"({"england-and-wales":{"events":[{"date":"2026-12-25"}]}})";
    REQUIRE(store.PutSetting("bank-holidays", holidays, At(kJan5)).ok());

    THEN("it reads back exactly, and a key never put is unset") {
      REQUIRE(*store.GetSetting("bank-holidays") == holidays);
      auto unset = store.GetSetting("no-such-setting");
      REQUIRE(unset.ok());
      REQUIRE_FALSE(unset->has_value());
    }
    WHEN("it is put again, and an empty value under another key") {
      REQUIRE(store.PutSetting("bank-holidays", "{}", At(kJan5 + kDay)).ok());
      REQUIRE(store.PutSetting("note", "", At(kJan5 + kDay)).ok());
      THEN("the value is replaced, and an empty value is set, not unset") {
        REQUIRE(*store.GetSetting("bank-holidays") == std::string("{}"));
        REQUIRE(*store.GetSetting("note") == std::string());
      }
    }
    WHEN("a setting with an empty key is put") {
      Status s = store.PutSetting("", "x", At(kJan5));
      THEN("it is refused as invalid") {
        REQUIRE(s.code() == Status::Code::kInvalidArgument);
        REQUIRE_THAT(s.message(), Catch::Contains("key is empty"));
        REQUIRE_FALSE(store.GetSetting("")->has_value());
      }
    }
  }
}

SCENARIO("Changes to linked reviews commit together or not at all", "[store][contract]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a board") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    WHEN("two new reviews are committed together") {
      std::vector<ReviewChange> both = {Referral("CDR-2026-001"), Referral("SCR-2026-001")};
      REQUIRE(store.CommitAll(both).ok());
      THEN("both are stored") {
        CHECK(store.GetReview("CDR-2026-001").ok());
        CHECK(store.GetReview("SCR-2026-001").ok());
      }
      AND_WHEN("a later pair has a second change that conflicts") {
        ReviewChange next = Append(*store.GetReview("CDR-2026-001"), {"ReferredForScr"}, kJan5 + kDay);
        ReviewChange stale = Append(*store.GetReview("SCR-2026-001"), {"PanelMeetingHeld"}, kJan5 + kDay);
        REQUIRE(store.Commit(Append(*store.GetReview("SCR-2026-001"), {"PanelMeetingConvened"}, kJan5)).ok());
        std::vector<ReviewChange> pair = {next, stale};
        Status s = store.CommitAll(pair);
        THEN("it is refused and the first change is not written either") {
          CHECK(s.code() == Status::Code::kConflict);
          CHECK(store.GetReview("CDR-2026-001")->last_seq == 1);
          CHECK(store.LoadEvents("CDR-2026-001")->size() == 1);
        }
      }
    }
  }
}

namespace {
AuditEntry Recorded(const std::string& action, std::int64_t at) {
  AuditEntry e;
  e.at = At(at);
  e.board_id = "demo";
  e.actor = "p-spoc";
  e.action = action;
  e.outcome = "ok";
  return e;
}
IdempotencyRecord Key(const std::string& key, std::int64_t at) {
  IdempotencyRecord r;
  r.actor = "p-spoc";
  r.key = key;
  r.request = "digest-of-the-request";
  r.board_id = "demo";
  r.ref = "SCR-2026-001";
  r.seq = 2;
  r.stage = "PanelMeetingHeld";
  r.at = At(at);
  return r;
}
}  // namespace

SCENARIO("A change keeps its audit entry and its idempotency key in its own transaction",
         "[store][contract][audit][idempotency]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with a review at event 1") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    ReviewChange opening = Referral("SCR-2026-001");
    opening.audit.push_back(Recorded("review.refer", kJan5));  // no target: the change's review
    REQUIRE(store.Commit(opening).ok());
    ReviewRecord loaded = *store.GetReview("SCR-2026-001");

    THEN("the opening's entry is in the log, naming the new review, and the chain verifies") {
      auto log = *store.ListAudit({});
      REQUIRE(log.size() == 1);
      CHECK(log[0].action == "review.refer");
      CHECK(log[0].target == "SCR-2026-001");
      CHECK(log[0].board_id == "demo");
      auto verified = VerifyAuditChain(store);
      REQUIRE(verified.ok());
      CHECK(verified->problem.empty());
      CHECK(verified->witness_seq == 1);
    }
    WHEN("an event is recorded with its entry and a key") {
      ReviewChange next = Append(loaded, {"PanelMeetingHeld"}, kJan5 + 60);
      next.audit.push_back(Recorded("review.record", kJan5 + 60));
      next.idempotency = Key("k-1", kJan5 + 60);
      REQUIRE(store.Commit(next).ok());
      THEN("the key finds what the request did, and the entry follows the first") {
        auto found = store.FindIdempotency("demo", "p-spoc", "k-1", At(kJan5));
        REQUIRE(found.ok());
        REQUIRE(found->has_value());
        CHECK(**found == *next.idempotency);
        CHECK_FALSE(store.FindIdempotency("demo", "p-panel-chair", "k-1", At(kJan5))->has_value());  // keys are their sender's
        CHECK_FALSE(store.FindIdempotency("demo", "p-spoc", "k-1", At(kJan5 + 61))->has_value());    // older than asked: forgotten
        auto log = *store.ListAudit({});
        REQUIRE(log.size() == 2);
        CHECK(log[1].target == "SCR-2026-001");
        CHECK(VerifyAuditChain(store)->problem.empty());
      }
      AND_WHEN("the same key comes with another change") {
        ReviewChange again = Append(*store.GetReview("SCR-2026-001"), {"ScrAgreed"}, kJan5 + 120);
        again.audit.push_back(Recorded("review.record", kJan5 + 120));
        again.idempotency = Key("k-1", kJan5 + 120);
        Status s = store.Commit(again);
        THEN("it is a Conflict naming the key, and neither the event nor its entry is kept") {
          REQUIRE(s.code() == Status::Code::kConflict);
          CHECK_THAT(s.message(), Catch::Contains("k-1") && Catch::Contains("done before"));
          CHECK(store.GetReview("SCR-2026-001")->last_seq == 2);
          CHECK(store.ListAudit({})->size() == 2);
        }
      }
    }
    WHEN("a change is refused (another recorded first)") {
      REQUIRE(store.Commit(Append(loaded, {"PanelMeetingHeld"}, kJan5 + 60)).ok());
      ReviewChange stale = Append(loaded, {"ScrNotRequired"}, kJan5 + 120);
      stale.audit.push_back(Recorded("review.record", kJan5 + 120));
      stale.idempotency = Key("k-2", kJan5 + 120);
      REQUIRE(store.Commit(stale).code() == Status::Code::kConflict);
      THEN("its audit entry and its key are not kept either") {
        CHECK(store.ListAudit({})->size() == 1);
        CHECK_FALSE(store.FindIdempotency("demo", "p-spoc", "k-2", At(kJan5))->has_value());
        CHECK(VerifyAuditChain(store)->problem.empty());
      }
    }
    WHEN("a token's key is kept on its own, then sent again") {
      IdempotencyRecord token = Key("k-3", kJan5 + 300);
      token.ref = "t-1";
      REQUIRE(store.PutIdempotency(token, At(kJan5)).ok());
      Status again = store.PutIdempotency(token, At(kJan5));
      THEN("the second is a Conflict and the first stands") {
        CHECK(again.code() == Status::Code::kConflict);
        CHECK(store.FindIdempotency("demo", "p-spoc", "k-3", At(kJan5))->value().ref == "t-1");
      }
      AND_WHEN("a later key is kept after the first one's day has passed") {
        REQUIRE(store.PutIdempotency(Key("k-4", kJan5 + 90000), At(kJan5 + 90000 - 86400)).ok());
        THEN("the first is forgotten") { CHECK_FALSE(store.FindIdempotency("demo", "p-spoc", "k-3", At(0))->has_value()); }
      }
    }
  }
}

SCENARIO("A board's revision grows with every change to its agencies and people, and a setting's with each put",
         "[store][contract][revision]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  GIVEN("a " << kind << " store with the demo board") {
    auto under = MakeStore(kind);
    Store& store = *under.store;
    CHECK(*store.BoardRevision("demo") == 0);  // no board yet
    REQUIRE(store.ImportBoardData(DemoBoardData()).ok());
    std::int64_t last = *store.BoardRevision("demo");
    CHECK(last > 0);
    auto grew = [&] {
      std::int64_t now = *store.BoardRevision("demo");
      bool more = now > last;
      last = now;
      return more;
    };
    BoardData demo = DemoBoardData();
    Agency agency = demo.agencies.front();
    agency.name = "Renamed";
    REQUIRE(store.PutAgency(agency).ok());
    CHECK(grew());
    Person person = demo.people.front();
    person.name = "Renamed";
    REQUIRE(store.PutPerson(person).ok());
    CHECK(grew());
    REQUIRE(store.RemovePerson(person.board_id, person.id, At(kJan5)).ok());
    CHECK(grew());
    REQUIRE(store.PutBoard(demo.board).ok());
    CHECK(grew());
    REQUIRE(store.Commit(Referral("SCR-2026-001")).ok());
    CHECK_FALSE(grew());  // a review is not the board's directory
    CHECK(*store.BoardRevision("elsewhere") == 0);

    CHECK(*store.SettingRevision("bank-holidays") == 0);
    REQUIRE(store.PutSetting("bank-holidays", "{}", At(kJan5)).ok());
    CHECK(*store.SettingRevision("bank-holidays") == 1);
    REQUIRE(store.PutSetting("bank-holidays", "{}", At(kJan5)).ok());  // the same text: still a put
    CHECK(*store.SettingRevision("bank-holidays") == 2);
    CHECK(*store.SettingRevision("other") == 0);
  }
}
