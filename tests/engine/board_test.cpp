// Board set-up: import from JSON and CSV, validation that names what is wrong, and
// all-or-nothing imports.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;

SCENARIO("The demo board imports and exports unchanged", "[board][import]") {
  auto d = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(d.ok());
  REQUIRE(d->agencies.size() == 8);
  auto again = ParseBoardJson(BoardDataToJson(*d).dump());
  REQUIRE(again.ok());
  REQUIRE(again->people == d->people);
  REQUIRE(again->board == d->board);
}

SCENARIO("Bad board files are refused with a message that names the problem", "[board][import]") {
  CHECK_THAT(ParseBoardJson("not json").status().message(), Catch::Contains("not a JSON object"));
  CHECK_THAT(ParseBoardJson(R"({"agencies": []})").status().message(), Catch::Contains("missing a field"));
  CHECK_THAT(ParseBoardJson(R"({"board": {"id": "b", "name": "B"}, "agencies": [{"id": "a", "name": "A", "sector": "space"}]})")
                 .status().message(),
             Catch::Contains("unknown sector 'space'"));
  CHECK_THAT(ParseBoardJson(R"({"board": {"id": "b", "name": "B"}, "people": [{"id": "p", "name": "P", "email": "p@x.org", "agency": "zz", "roles": []}]})")
                 .status().message(),
             Catch::Contains("agency zz, which is not on the board"));
  CHECK_THAT(ParseBoardJson(R"({"board": {"id": "b", "name": "B"}, "people": [{"id": "p", "name": "P", "email": "nope", "roles": []}]})")
                 .status().message(),
             Catch::Contains("valid email"));
  CHECK_THAT(ParseBoardJson(R"({"board": {"id": "b", "name": "B"}, "people": [{"id": "p", "name": "P", "email": "p@x.org", "roles": ["king"]}]})")
                 .status().message(),
             Catch::Contains("unknown role 'king'"));
}

SCENARIO("A quorum's number of agencies must be a whole number a board could have (found by fuzzing)",
         "[board][import]") {
  auto quorum = [](const std::string& min_agencies) {
    return ParseBoardJson(R"({"board": {"id": "b", "name": "B", "quorum": {"min_agencies": )" + min_agencies + "}}}");
  };
  // 1e300 was undefined behaviour converting to int; 2^32 + 4 came back as a quorum of 4.
  for (const char* bad : {"1e300", "4294967300", "-1", "2.5", "\"four\"", "1001"}) {
    Result<BoardData> d = quorum(bad);
    REQUIRE_FALSE(d.ok());
    CHECK_THAT(d.status().message(),
               Catch::Contains("the quorum rule's min_agencies must be a whole number from 0 to 1000"));
  }
  for (const char* good : {"0", "4", "1000"}) {
    Result<BoardData> d = quorum(good);
    REQUIRE(d.ok());
    CHECK(d->board.quorum.min_agencies == std::stoi(good));
  }
}

SCENARIO("Agencies and people import from CSV into an existing board", "[board][import][csv]") {
  auto store = NewMemoryStore();
  ManualClock clock(Instant{});
  Engine engine(*store, clock);
  Board board{"b1", "Board One", "seed-2010", {}};
  REQUIRE(engine.CreateBoard(board).ok());
  auto agencies = ParseBoardCsv("id,name,sector\npolice,\"Police, Borough\",police\ncsc,Social Care,childrens-social-care\n", board);
  REQUIRE(agencies.ok());
  REQUIRE(agencies->agencies.at(0).name == "Police, Borough");
  REQUIRE(engine.ImportBoardData(*agencies).ok());

  WHEN("people name those agencies, with several roles each") {
    auto people = ParseBoardCsv("id,name,email,agency,roles\np1,Pat,pat@example.org,police,panel-member;lead-officer\n", board);
    REQUIRE(people.ok());
    REQUIRE(engine.ImportBoardData(*people).ok());
    THEN("both are on the board") {
      REQUIRE(store->ListPeople("b1")->at(0).roles == std::vector<std::string>{"panel-member", "lead-officer"});
      REQUIRE(store->ListAgencies("b1")->size() == 2);
    }
  }
  WHEN("one row of a people file is bad") {
    auto people = ParseBoardCsv("id,name,email,agency,roles\np1,Pat,pat@example.org,police,panel-member\np2,Sam,sam@example.org,nowhere,\n", board);
    REQUIRE(people.ok());
    Status s = engine.ImportBoardData(*people);
    THEN("nothing is imported and the error names the row's person and agency") {
      REQUIRE_THAT(s.message(), Catch::Contains("p2") && Catch::Contains("nowhere"));
      REQUIRE(store->ListPeople("b1")->empty());
    }
  }
  WHEN("a CSV has the wrong columns") {
    auto bad = ParseBoardCsv("id,title\nx,y\n", board);
    THEN("it says which header it expected") {
      REQUIRE_THAT(bad.status().message(), Catch::Contains("id,name,sector"));
    }
  }
}

SCENARIO("A person must belong to an agency on the board", "[board]") {
  auto store = NewMemoryStore();
  ManualClock clock(Instant{});
  Engine engine(*store, clock);
  REQUIRE(engine.CreateBoard({"b1", "Board One", "seed-2010", {}}).ok());
  REQUIRE(engine.CreateBoard({"b1", "Again", "seed-2010", {}}).message() == "board b1 already exists");
  Status s = engine.PutPerson({"p1", "b1", "Pat", "pat@example.org", "ghost", {"panel-member"}});
  REQUIRE(s.code() == Status::Code::kNotFound);
  REQUIRE(store->ListPeople("b1")->empty());
}

SCENARIO("An engine keeps a board's people between commands and sees another process's change at its next one",
         "[board][engine][revision]") {
  casereview::testing::TempDir dir;
  const std::string path = dir.File("board.db");
  auto scenario = ParseScenario(ReadBytes(ExamplePath("scr_full_lifecycle.json")));
  REQUIRE(scenario.ok());
  const ScenarioStep& referral = scenario->steps.at(0);
  ManualClock clock(referral.at);
  auto mine = OpenSqliteStore(path);
  REQUIRE(mine.ok());
  Engine engine(**mine, clock);
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(board.ok());
  REQUIRE(engine.ImportBoardData(*board).ok());
  auto ref = engine.Open("scr", "", referral.fields, referral.by);
  INFO(ref.status().message());
  REQUIRE(ref.ok());
  const nlohmann::json meeting = {{"date", "2026-01-12"}, {"attendees", {"p-panel-chair", "p-csc-lead", "p-police-lead", "p-health-lead"}}};

  // Another process (its own connection and engine) adds a business officer.
  auto theirs = OpenSqliteStore(path);
  REQUIRE(theirs.ok());
  Engine other(**theirs, clock);
  Person newcomer{"p-newcomer", "demo", "Ash Newcomer", "ash.newcomer@example.org", "", {"business-officer"}, std::nullopt};
  REQUIRE(other.PutPerson(newcomer).ok());

  WHEN("this engine next records as the newcomer") {
    auto recorded = engine.Record(*ref, "PanelMeetingConvened", {{"date", "2026-01-12"}, {"kind", "ordinary"}}, "p-newcomer");
    THEN("it knows them") {
      INFO(recorded.status().message());
      CHECK(recorded.ok());
    }
  }
  WHEN("the other process removes them, and this engine is asked to record as them") {
    REQUIRE(engine.Record(*ref, "PanelMeetingConvened", {{"date", "2026-01-12"}, {"kind", "ordinary"}}, "p-newcomer").ok());
    REQUIRE((*theirs)->RemovePerson("demo", "p-newcomer", referral.at).ok());
    const auto last = engine.GetReview(*ref)->last_seq;
    auto refused = engine.Record(*ref, "PanelMeetingHeld", meeting, "p-newcomer");
    THEN("it is refused, naming why, and nothing is recorded") {
      CHECK(refused.status().code() == Status::Code::kForbidden);
      CHECK_THAT(refused.status().message(), Catch::Contains("removed"));
      CHECK(engine.GetReview(*ref)->last_seq == last);
    }
  }
}
