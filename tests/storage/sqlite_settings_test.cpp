// The SQLite store's later schema versions, 3 (settings) and 4 (the outbox's delivery):
// settings survive reopening, a version-2 file is upgraded with its timers and outbox
// intact, the outbox's rebuild keeps every notice of a version-2 or -3 file, all or nothing,
// an up-to-date file is opened without being changed, and version 12 (ids per board) keeps
// every person, agency and sign-in row of a version-11 file.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../storage/sqlite_schema.hpp"  // private to storage/: the migrations
#include "casereview/sqlite_store.hpp"
#include "older_files.hpp"
#include "store_fixtures.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";

std::unique_ptr<Store> OpenExisting(const std::string& path) {
  SqliteStoreOptions options;
  options.create_if_missing = false;
  auto opened = OpenSqliteStore(path, options);
  INFO(opened.status().message());
  REQUIRE(opened.ok());
  return std::move(*opened);
}

int SchemaVersionOf(const std::string& path) {
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  return raw.execAndGet("SELECT version FROM schema_version").getInt();
}

}  // namespace

SCENARIO("The migrations are numbered 1 to 12 in order, ids per board last", "[store][sqlite][migration]") {
  const auto& migrations = storage::Migrations();
  for (std::size_t i = 0; i < migrations.size(); ++i) REQUIRE(migrations[i].version == static_cast<int>(i + 1));
  REQUIRE(storage::LatestSchemaVersion() == 12);
  REQUIRE(migrations.at(6).backfill != nullptr);  // the notified deaths, from the reviews' opening events
}

SCENARIO("Settings survive closing and reopening the database", "[store][sqlite][settings][durability]") {
  TempDir dir;
  std::string path = dir.File("settings.db");
  GIVEN("a setting put, then replaced, and the store closed") {
    {
      auto store = OpenSqliteStore(path);
      REQUIRE(store.ok());
      REQUIRE((*store)->PutSetting("bank-holidays", R"({"v":1})", At(kJan5)).ok());
      REQUIRE((*store)->PutSetting("bank-holidays", R"({"v":2})", At(kJan5 + kDay)).ok());
    }
    WHEN("the database is reopened") {
      auto store = OpenExisting(path);
      THEN("the setting has its last value, and one row records when it was put") {
        REQUIRE(*store->GetSetting("bank-holidays") == std::string(R"({"v":2})"));
        REQUIRE_FALSE(store->GetSetting("other")->has_value());
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM settings").getInt() == 1);
        REQUIRE(raw.execAndGet("SELECT updated_at FROM settings").getInt64() == kJan5 + kDay);
      }
    }
  }
}

SCENARIO("A version-2 database is upgraded to the latest version when opened, its timers and outbox intact",
         "[store][sqlite][migration][settings]") {
  TempDir dir;
  std::string path = dir.File("v2.db");
  ReviewChange referral = Referral(kRef);
  Timer reminder = TimerOn(kRef, "reminder", 10);
  Timer due = TimerOn(kRef, "imr-due", 30);
  referral.timers = std::vector<Timer>{reminder, due};
  referral.notices = {NoticeOn(kRef, 1, 0, 0)};
  GIVEN("a database written with the version-2 schema: a review, its timers and a notice") {
    WriteVersion2File(path, DemoBoardData(), referral);
    { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("UPDATE timers SET status = 'fired' WHERE id = '" +
                                                          reminder.id + "'"); }
    WHEN("the store opens it") {
      auto store = OpenExisting(path);
      THEN("it is at the latest version, with an empty settings table") {
        REQUIRE(SchemaVersionOf(path) == storage::LatestSchemaVersion());
        REQUIRE_FALSE(store->GetSetting("bank-holidays")->has_value());
      }
      THEN("the review, its log, its timers and the outbox are as they were") {
        REQUIRE(*store->GetReview(kRef) == referral.review);
        REQUIRE(*store->LoadEvents(kRef) == referral.events);
        REQUIRE(*store->PendingTimers(kRef) == std::vector<Timer>{due});
        REQUIRE(*store->GetTimerStatus(reminder.id) == TimerStatus::kFired);
        REQUIRE(*store->ListNotices({}) == referral.notices);
      }
      THEN("settings can be put, and reopening the upgraded file changes nothing") {
        REQUIRE(store->PutSetting("bank-holidays", "{}", At(kJan5)).ok());
        store.reset();
        std::string upgraded = ReadBytes(path);
        auto reopened = OpenExisting(path);
        REQUIRE(*reopened->GetSetting("bank-holidays") == std::string("{}"));
        reopened.reset();
        REQUIRE(ReadBytes(path) == upgraded);
      }
    }
  }
  GIVEN("a version-1 database") {
    ReviewChange v1 = Referral(kRef);
    WriteVersion1File(path, DemoBoardData(), v1);
    WHEN("the store opens it") {
      auto store = OpenExisting(path);
      THEN("it goes straight to the latest version, its review intact, settings and timers usable") {
        REQUIRE(SchemaVersionOf(path) == storage::LatestSchemaVersion());
        REQUIRE(*store->LoadEvents(kRef) == v1.events);
        REQUIRE(store->PutSetting("bank-holidays", "{}", At(kJan5)).ok());
        REQUIRE(store->PendingTimers(kRef)->empty());
      }
    }
  }
}

SCENARIO("Opening an up-to-date version-4 database and reading its settings leave it unchanged",
         "[store][sqlite][readonly][settings]") {
  TempDir dir;
  std::string path = dir.File("v4.db");
  {
    auto store = OpenSqliteStore(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->PutSetting("bank-holidays", "{}", At(kJan5)).ok());
  }
  std::string before = ReadBytes(path);
  {
    auto store = OpenExisting(path);
    REQUIRE(*store->GetSetting("bank-holidays") == std::string("{}"));
    REQUIRE_FALSE(store->GetSetting("unset")->has_value());
  }
  REQUIRE(SchemaVersionOf(path) == storage::LatestSchemaVersion());
  REQUIRE(ReadBytes(path) == before);
}

SCENARIO("A version-2 or version-3 outbox is rebuilt for delivery, every notice kept with its board and due at once",
         "[store][sqlite][migration][outbox]") {
  const int version = GENERATE(2, 3);
  TempDir dir;
  std::string path = dir.File("v" + std::to_string(version) + ".db");
  ReviewChange referral = Referral(kRef);
  referral.notices = {NoticeOn(kRef, 1, 0, 0), NoticeOn(kRef, 1, 1, 3, {"p-chair"})};
  GIVEN("a database written with the version-" << version << " schema: a review with two notices") {
    WriteOlderFile(path, version, DemoBoardData(), referral);
    WHEN("the store opens it") {
      auto store = OpenExisting(path);
      THEN("it is at the latest version and the notices are as they were, of the review's board, pending, "
           "no attempts, due when they were created") {
        REQUIRE(SchemaVersionOf(path) == storage::LatestSchemaVersion());
        REQUIRE(*store->ListNotices({}) == referral.notices);  // NoticeOn: board demo, due at creation
        REQUIRE(*store->ListNotices({std::nullopt, std::nullopt, "demo"}) == referral.notices);
        REQUIRE(*store->DueNotices(At(kJan5), 10) == std::vector<Notice>{referral.notices[0]});
        REQUIRE(*store->NextNoticeDue() == std::optional<Instant>{At(kJan5)});
      }
      THEN("the outbox is the new table, under its name, with its indexes, status checked and keys holding") {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        REQUIRE_FALSE(raw.tableExists("outbox_v4"));
        REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'"
                               " AND name IN ('outbox_by_status', 'outbox_by_status_due', 'outbox_by_review')")
                    .getInt() == 3);
        SQLite::Statement violations(raw, "PRAGMA foreign_key_check");
        REQUIRE_FALSE(violations.executeStep());
        REQUIRE_THROWS_AS(raw.exec("UPDATE outbox SET status = 'bounced'"), SQLite::Exception);
      }
      THEN("its notices are delivered, a board's own notice is queued, and reopening changes nothing") {
        REQUIRE(store->RecordAttempt(referral.notices[0].id, 0, At(kJan5), At(kJan5 + kDay)).ok());
        REQUIRE(store->RecordSent(referral.notices[0].id, At(kJan5)).ok());
        Notice digest = NoticeOn(kRef, 1, 9, 4);
        digest.id = "demo/action-plan-digest";
        digest.review_ref.clear();
        REQUIRE(*store->QueueNotice(digest));
        auto listed = store->ListNotices({});
        store.reset();
        std::string upgraded = ReadBytes(path);
        auto reopened = OpenExisting(path);
        REQUIRE(*reopened->ListNotices({}) == *listed);
        REQUIRE(reopened->ListNotices({std::nullopt, "sent", std::nullopt})->size() == 1);
        reopened.reset();
        REQUIRE(ReadBytes(path) == upgraded);
      }
    }
  }
  GIVEN("a version-" << version << " database whose outbox holds a status version 4 does not allow") {
    WriteOlderFile(path, version, DemoBoardData(), referral);
    { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("UPDATE outbox SET status = 'bounced'"); }
    auto opened = OpenSqliteStore(path);
    THEN("opening fails with a StorageError, and the outbox is as it was, at version " << version) {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains("upgrade the database to schema version " + std::to_string(storage::LatestSchemaVersion())));
      REQUIRE(SchemaVersionOf(path) == version);
      SQLite::Database raw(path, SQLite::OPEN_READONLY);
      REQUIRE_FALSE(raw.tableExists("outbox_v4"));
      REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM outbox WHERE status = 'bounced'").getInt() == 2);
      REQUIRE(raw.tableExists("settings") == (version == 3));
    }
  }
}

SCENARIO("A version-11 database keeps every person, agency, password, token, session and idempotency key "
         "when ids become per board (version 12)",
         "[store][sqlite][migration][security]") {
  TempDir dir;
  const std::string path = dir.File("v11.db");
  const BoardData board = DemoBoardData();
  const Person& someone = board.people.front();
  ApiToken token{"tok-kept", board.board.id, someone.id, SecretHash("secret-kept"), "reporting", At(kJan5), std::nullopt};
  Session session{SecretHash("cookie-kept"), board.board.id, someone.id, "csrf", At(kJan5), At(kJan5 + kDay)};
  IdempotencyRecord key{someone.id, "k-1", "digest", board.board.id, "tok-kept", 0, "", At(kJan5)};
  std::vector<Person> people;
  std::vector<Agency> agencies;
  {
    auto store = OpenSqliteStore(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->ImportBoardData(board).ok());
    REQUIRE((*store)->PutPasswordHash(board.board.id, someone.id, "$argon2id$kept", At(kJan5)).ok());
    REQUIRE((*store)->PutApiToken(token).ok());
    REQUIRE((*store)->PutSession(session).ok());
    REQUIRE((*store)->PutIdempotency(key, At(0)).ok());
    people = *(*store)->ListPeople(board.board.id);
    agencies = *(*store)->ListAgencies(board.board.id);
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    RewindSchema(raw, 11);
    // Written as version 11 would: ids unique across boards, rows named by person id alone.
    REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM pragma_table_info('api_tokens') WHERE name = 'board_id'").getInt() == 0);
  }
  WHEN("this build opens it") {
    auto store = OpenExisting(path);
    THEN("it is at version 12 and every row is kept, named by its person's board") {
      CHECK(SchemaVersionOf(path) == 12);
      CHECK(*store->ListPeople(board.board.id) == people);
      CHECK(*store->ListAgencies(board.board.id) == agencies);
      CHECK(store->GetPasswordHash(board.board.id, someone.id)->value() == "$argon2id$kept");
      CHECK(store->FindApiToken(token.token_hash)->value() == token);
      CHECK(store->FindSession(session.id_hash)->value() == session);
      CHECK(store->FindIdempotency(board.board.id, someone.id, "k-1", At(0))->value() == key);
    }
    AND_THEN("another board can now hold the same ids, and the first board's are untouched") {
      REQUIRE(store->PutBoard(Board{"other", "Other board"}).ok());
      Person same = someone;
      same.board_id = "other";
      same.agency_id = "";
      REQUIRE(store->PutPerson(same).ok());
      CHECK(*store->ListPeople(board.board.id) == people);
      CHECK(store->ListPeople("other")->size() == 1);
    }
  }
}
