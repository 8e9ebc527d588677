// Backup and restore of the SQLite store: a consistent copy taken while the database is in
// use holds everything committed; restoring it gives the same reviews; existing files and
// bad backups are refused without harm.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;

namespace {

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().message());
  REQUIRE(s.ok());
  return std::move(*s);
}

// Every review with its log, as a store holds them.
std::vector<std::pair<ReviewRecord, std::vector<StoredEvent>>> Everything(Store& store) {
  std::vector<std::pair<ReviewRecord, std::vector<StoredEvent>>> out;
  auto reviews = store.ListReviews({});
  REQUIRE(reviews.ok());
  for (const ReviewRecord& r : *reviews) out.push_back({r, *store.LoadEvents(r.ref)});
  return out;
}

}  // namespace

SCENARIO("A backup taken while the database is in use holds everything committed", "[storage][backup]") {
  GIVEN("a database with two referred reviews, held open by a running engine") {
    TempDir dir;
    std::string db = dir.File("live.db"), copy = dir.File("backup.db");
    auto store = Open(db);
    ManualClock clock(*ParseInstant("2026-01-05T10:00:00Z"));
    Engine engine(*store, clock);
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(engine.ImportBoardData(*board).ok());
    nlohmann::json referral = {{"referring_agency", "police"}, {"incident", "death"}, {"incident_date", "2026-01-02"},
                               {"abuse_or_neglect", "suspected"}, {"agencies_involved", {"csc", "police"}}};
    REQUIRE(engine.Open("scr", "", referral, "p-spoc").ok());
    REQUIRE(engine.Open("scr", "", referral, "p-spoc").ok());
    WHEN("it is backed up") {
      auto summary = BackupSqliteDatabase(db, copy);
      INFO(summary.status().message());
      REQUIRE(summary.ok());
      THEN("the copy has every review and event, and passes the integrity check") {
        CHECK(summary->reviews == 2);
        CHECK(summary->events == 2);
        CHECK(summary->notices == 2);
        auto restored = Open(copy);
        CHECK(Everything(*restored) == Everything(*store));
      }
      AND_WHEN("the live database moves on and the backup is restored into a new file") {
        REQUIRE(engine.Open("scr", "", referral, "p-spoc").ok());
        std::string back = dir.File("restored.db");
        auto restored = RestoreSqliteDatabase(copy, back, /*replace=*/false);
        REQUIRE(restored.ok());
        THEN("it holds the state at the time of the backup") {
          auto reopened = Open(back);
          CHECK(reopened->ListReviews({})->size() == 2);
        }
      }
      AND_WHEN("it is backed up again to the same file") {
        std::string before = ReadBytes(copy);
        auto again = BackupSqliteDatabase(db, copy);
        THEN("it is refused and the first backup is untouched") {
          CHECK(again.status().code() == Status::Code::kInvalidArgument);
          CHECK_THAT(again.status().message(), Catch::Contains("already exists"));
          CHECK(ReadBytes(copy) == before);
        }
      }
      AND_WHEN("it is restored over an existing database") {
        std::string other = dir.File("other.db");
        Open(other).reset();
        auto refused = RestoreSqliteDatabase(copy, other, /*replace=*/false);
        auto replaced = RestoreSqliteDatabase(copy, other, /*replace=*/true);
        THEN("that needs replace, and then holds the backup") {
          CHECK(refused.status().code() == Status::Code::kInvalidArgument);
          REQUIRE(replaced.ok());
          CHECK(Open(other)->ListReviews({})->size() == 2);
        }
      }
    }
  }
  GIVEN("a file that is not a database") {
    TempDir dir;
    std::string bad = dir.File("bad.db"), target = dir.File("target.db");
    { std::ofstream(bad) << "not a database at all, just text long enough to be read"; }
    WHEN("it is restored") {
      auto r = RestoreSqliteDatabase(bad, target, false);
      THEN("it is refused and no database is created") {
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.status().message(), Catch::Contains("bad.db"));
        CHECK_FALSE(std::filesystem::exists(target));
      }
    }
  }
}

SCENARIO("A damaged database is refused clearly and recovered from its backup", "[storage][backup][faults]") {
  GIVEN("a database with a review, and a backup of it") {
    TempDir dir;
    std::string db = dir.File("board.db"), copy = dir.File("board-backup.db");
    {
      auto store = Open(db);
      ManualClock clock(*ParseInstant("2026-01-05T10:00:00Z"));
      Engine engine(*store, clock);
      auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
      REQUIRE(engine.ImportBoardData(*board).ok());
      REQUIRE(engine.Open("scr", "", {{"referring_agency", "police"}, {"incident", "death"}, {"incident_date", "2026-01-02"},
                                    {"abuse_or_neglect", "suspected"}, {"agencies_involved", {"csc", "police"}}},
                               "p-spoc")
                  .ok());
    }
    REQUIRE(BackupSqliteDatabase(db, copy).ok());
    WHEN("the database file is cut short, as by a failing disk") {
      std::filesystem::resize_file(db, 8192);
      for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db + suffix);
      auto opened = OpenSqliteStore(db);
      THEN("opening it fails with a StorageError naming the file") {
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.status().code() == Status::Code::kStorageError);
        CHECK_THAT(opened.status().message(), Catch::Contains(db));
      }
      AND_WHEN("the backup is restored over it") {
        auto restored = RestoreSqliteDatabase(copy, db, /*replace=*/true);
        INFO(restored.status().message());
        THEN("the database opens again with its review") {
          REQUIRE(restored.ok());
          auto reopened = Open(db);
          CHECK(reopened->GetReview("SCR-2026-001").ok());
        }
      }
    }
  }
}
