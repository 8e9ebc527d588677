// What only the SQLite store promises: durability across reopen, the connection settings
// it rests on, an untouched file when only reading, an older file upgraded all or nothing,
// a clear failure when another process holds the database, and clear refusals for files
// it cannot use.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "../../storage/sqlite_schema.hpp"  // private to storage/: the connection settings
#include "casereview/review_summary.hpp"
#include "casereview/sqlite_store.hpp"
#include "older_files.hpp"
#include "store_fixtures.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;
using casereview::testing::TimerOn;
using casereview::testing::WriteVersion1File;

namespace {

Instant At(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }

std::unique_ptr<Store> Open(const std::string& path, bool create_if_missing = true,
                            std::chrono::milliseconds busy_timeout = std::chrono::milliseconds{5000}) {
  SqliteStoreOptions options;
  options.create_if_missing = create_if_missing;
  options.busy_timeout = busy_timeout;
  auto opened = OpenSqliteStore(path, options);
  INFO(opened.status().message());
  REQUIRE(opened.ok());
  return std::move(*opened);
}

BoardData Board1() {
  return {{"b1", "Board One", "seed-2010", {}},
          {{"csc", "b1", "Children's Social Care", "childrens-social-care"}, {"police", "b1", "Police", "police"}},
          {{"p-chair", "b1", "Alex", "alex@example.org", "", {"panel-chair"}},
           {"p-spoc", "b1", "Sam", "sam@example.org", "police", {"spoc", "panel-member"}}}};
}

ReviewChange Referral(const std::string& ref) {
  ReviewChange c;
  const std::string projection = R"({"imrs":[]})";
  c.review = {ref,        "b1", "scr", "Referred", 1, 1, true, At(1767605400), At(1767605400),
              projection, SummarizeProjection(std::string_view(projection))};  // as the engine writes it
  c.events = {{ref, 1, "CaseReferred", R"({"agency":"csc"})", "p-spoc", At(1767605400)}};
  return c;
}

// The next event on the review `before` left, touching neither timers nor notices.
ReviewChange Next(const ReviewChange& before, const std::string& type) {
  ReviewChange c;
  c.review = before.review;
  c.expected_last_seq = before.review.last_seq;
  c.review.last_seq += 1;
  c.review.stage = type;
  c.review.updated_at += std::chrono::hours{24};
  c.events = {{c.review.ref, c.review.last_seq, type, "{}", "p-chair", c.review.updated_at}};
  return c;
}

// Notice `index` of event `seq` on review `ref` of board b1 (store_fixtures.hpp's are demo's).
Notice NoticeOn(const std::string& ref, std::int64_t seq, int index, std::int64_t day) {
  Notice n = casereview::testing::NoticeOn(ref, seq, index, day);
  n.board_id = "b1";
  return n;
}

int SchemaObjectsNamed(SQLite::Database& db, const std::string& names) {
  return db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name IN (" + names + ")").getInt();
}

constexpr const char* kVersion2Objects =
    "'timers', 'timers_by_status_due', 'timers_by_review', 'outbox', 'outbox_by_status'";

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

SCENARIO("A board and its review survive closing and reopening the database", "[store][sqlite][durability]") {
  TempDir dir;
  std::string path = dir.File("durable.db");
  ReviewChange referral = Referral("SCR-2026-001");
  ReviewChange meeting = Next(referral, "PanelMeetingHeld");

  Timer fired = TimerOn("SCR-2026-001", "fired", 1), moved = TimerOn("SCR-2026-001", "moved", 10);
  Timer cancelled = TimerOn("SCR-2026-001", "cancelled", 20);
  referral.timers = std::vector<Timer>{fired, moved, cancelled};
  referral.notices = {NoticeOn("SCR-2026-001", 1, 0, 0)};
  moved.due += std::chrono::days{7};
  meeting.timers = std::vector<Timer>{moved};
  meeting.firing = fired;
  meeting.notices = {NoticeOn("SCR-2026-001", 2, 0, 0)};

  GIVEN("a database with a board and a review two events long, with timers and notices, then closed") {
    {
      auto store = Open(path);
      REQUIRE(store->ImportBoardData(Board1()).ok());
      REQUIRE(store->Commit(referral).ok());
      REQUIRE(store->Commit(meeting).ok());
    }
    WHEN("the database is reopened, without permission to create it") {
      auto store = Open(path, /*create_if_missing=*/false);
      THEN("the board, its agencies and its people are still there") {
        REQUIRE(store->ListBoards()->at(0) == Board1().board);
        REQUIRE(*store->ListAgencies("b1") == Board1().agencies);
        REQUIRE(*store->ListPeople("b1") == Board1().people);
      }
      THEN("the review and both events are still there, unchanged") {
        REQUIRE(*store->GetReview("SCR-2026-001") == meeting.review);
        REQUIRE(*store->LoadEvents("SCR-2026-001") ==
                std::vector<StoredEvent>{referral.events[0], meeting.events[0]});
      }
      THEN("the timers are as the second commit left them: one fired, one moved, one cancelled") {
        REQUIRE(*store->PendingTimers("SCR-2026-001") == std::vector<Timer>{moved});
        REQUIRE(*store->GetTimerStatus(fired.id) == TimerStatus::kFired);
        REQUIRE(*store->GetTimerStatus(cancelled.id) == TimerStatus::kCancelled);
        REQUIRE(*store->NextTimerDue() == std::optional<Instant>{moved.due});
      }
      THEN("both notices are still in the outbox") {
        REQUIRE(*store->ListNotices({}) == std::vector<Notice>{referral.notices[0], meeting.notices[0]});
      }
      THEN("the log carries on from where it stopped") {
        REQUIRE(store->Commit(Next(meeting, "ScrAgreed")).ok());
        REQUIRE(store->GetReview("SCR-2026-001")->last_seq == 3);
      }
    }
  }
}

SCENARIO("Every connection runs with WAL, synchronous=FULL and foreign keys", "[store][sqlite][pragma]") {
  TempDir dir;
  std::string path = dir.File("pragmas.db");
  GIVEN("a store opened on a new file") {
    auto store = Open(path);
    THEN("the file is in WAL mode and at the latest schema version") {
      SQLite::Database raw(path, SQLite::OPEN_READONLY);
      REQUIRE(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
      REQUIRE(raw.execAndGet("SELECT version FROM schema_version").getInt() == storage::LatestSchemaVersion());
      REQUIRE(std::filesystem::exists(path + "-wal"));
    }
  }
  GIVEN("a connection configured the way the store configures its own") {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    REQUIRE(storage::ConfigureConnection(raw, path).ok());
    THEN("journal_mode is wal, synchronous is 2 (FULL) and foreign keys are on") {
      REQUIRE(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
      REQUIRE(raw.execAndGet("PRAGMA synchronous").getInt() == 2);
      REQUIRE(raw.execAndGet("PRAGMA foreign_keys").getInt() == 1);
    }
  }
}

SCENARIO("Opening and reading leave the database file byte-for-byte unchanged", "[store][sqlite][readonly]") {
  TempDir dir;
  std::string path = dir.File("read.db");
  ReviewChange referral = Referral("SCR-2026-001");
  Timer reminder = TimerOn("SCR-2026-001", "reminder", 10);
  referral.timers = std::vector<Timer>{reminder};
  referral.notices = {NoticeOn("SCR-2026-001", 1, 0, 0)};
  {
    auto store = Open(path);
    REQUIRE(store->ImportBoardData(Board1()).ok());
    REQUIRE(store->Commit(referral).ok());
    REQUIRE(store->PutSetting("bank-holidays", "{}", At(1767605400)).ok());
  }
  GIVEN("the bytes of the closed file") {
    std::string before = ReadBytes(path);
    WHEN("it is opened, read every way, sent commits that are refused, and closed") {
      {
        auto store = Open(path, /*create_if_missing=*/false);
        std::string wal = ReadBytes(path + "-wal");
        REQUIRE(store->ListBoards()->size() == 1);
        REQUIRE(store->ListAgencies("b1")->size() == 2);
        REQUIRE(store->ListPeople("b1")->size() == 2);
        REQUIRE(store->GetReview("SCR-2026-001").ok());
        REQUIRE(store->ListReviews({"b1", true})->size() == 1);
        REQUIRE(store->LoadEvents("SCR-2026-001")->size() == 1);
        REQUIRE(*store->CountReviewsWithPrefix("SCR-2026-") == 1);
        REQUIRE(store->DueTimers(reminder.due, 10)->size() == 1);
        REQUIRE(store->NextTimerDue()->has_value());
        REQUIRE(store->PendingTimers("SCR-2026-001")->size() == 1);
        REQUIRE(*store->GetTimerStatus(reminder.id) == TimerStatus::kPending);
        REQUIRE(store->GetTimerStatus("no-such-timer").status().code() == Status::Code::kNotFound);
        REQUIRE(store->ListNotices({"SCR-2026-001", "pending", {}})->size() == 1);
        REQUIRE(store->ListNotices({{}, {}, "b1"})->size() == 1);
        REQUIRE(store->DueNotices(At(1767605400), 10)->size() == 1);
        REQUIRE(store->NextNoticeDue()->has_value());
        const std::string& notice = referral.notices[0].id;
        REQUIRE_FALSE(*store->QueueNotice(referral.notices[0]));  // queued with the referral
        REQUIRE(store->RecordAttempt(notice, 1, At(1767605400), At(1767691800)).code() == Status::Code::kConflict);
        REQUIRE(store->RecordSent("no-such-notice", At(1767605400)).code() == Status::Code::kNotFound);
        REQUIRE(store->RecordFailure("no-such-notice", "550", true).code() == Status::Code::kNotFound);
        REQUIRE(store->RequeueFailed(notice, At(1767605400), std::nullopt).status().code() == Status::Code::kInvalidArgument);
        REQUIRE(*store->RequeueFailed(std::nullopt, At(1767605400), std::nullopt) == 0);
        REQUIRE(*store->GetSetting("bank-holidays") == std::string("{}"));
        REQUIRE_FALSE(store->GetSetting("no-such-setting")->has_value());
        REQUIRE(store->PutSetting("", "refused", At(1767605400)).code() == Status::Code::kInvalidArgument);
        REQUIRE(store->Commit(referral).code() == Status::Code::kConflict);
        ReviewChange stale = Next(referral, "DeadlineReminderDue");
        stale.firing = reminder;
        stale.firing->due += std::chrono::days{1};
        REQUIRE(store->Commit(stale).code() == Status::Code::kConflict);
        ReviewChange again = Next(referral, "DeadlineReminderDue");
        again.notices = referral.notices;
        REQUIRE(store->Commit(again).code() == Status::Code::kConflict);  // the same notice id
        ReviewChange elsewhere = Referral("SCR-2026-002");
        elsewhere.review.board_id = "nowhere";
        REQUIRE(store->Commit(elsewhere).code() == Status::Code::kNotFound);
        REQUIRE(ReadBytes(path + "-wal") == wal);
      }
      THEN("the file is exactly as it was") { REQUIRE(ReadBytes(path) == before); }
    }
  }
}

SCENARIO("A version-1 database is upgraded when opened, all or nothing, its data intact",
         "[store][sqlite][migration]") {
  TempDir dir;
  std::string path = dir.File("v1.db");
  ReviewChange referral = Referral("SCR-2026-001");
  GIVEN("a database written with the version-1 schema, holding a board and a review") {
    WriteVersion1File(path, Board1(), referral);
    WHEN("the store opens it") {
      auto store = Open(path, /*create_if_missing=*/false);
      THEN("it is at the latest version, with the timers, outbox and settings tables and their indexes") {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        REQUIRE(raw.execAndGet("SELECT version FROM schema_version").getInt() == storage::LatestSchemaVersion());
        REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM schema_version").getInt() == 1);
        REQUIRE(SchemaObjectsNamed(raw, kVersion2Objects) == 5);
        REQUIRE(raw.tableExists("settings"));
      }
      THEN("the board, the review and its log are as they were") {
        REQUIRE(store->ListBoards()->at(0) == Board1().board);
        REQUIRE(*store->ListPeople("b1") == Board1().people);
        REQUIRE(*store->GetReview("SCR-2026-001") == referral.review);
        REQUIRE(*store->LoadEvents("SCR-2026-001") == referral.events);
        REQUIRE(store->PendingTimers("SCR-2026-001")->empty());
      }
      THEN("the old review takes timers and notices, and reopening the upgraded file changes nothing") {
        ReviewChange next = Next(referral, "ImrsCommissioned");
        next.timers = std::vector<Timer>{TimerOn("SCR-2026-001", "imr-due", 30)};
        next.notices = {NoticeOn("SCR-2026-001", 2, 0, 0)};
        REQUIRE(store->Commit(next).ok());
        store.reset();
        std::string upgraded = ReadBytes(path);
        auto reopened = Open(path, /*create_if_missing=*/false);
        REQUIRE(*reopened->PendingTimers("SCR-2026-001") == *next.timers);
        REQUIRE(*reopened->ListNotices({}) == next.notices);
        reopened.reset();
        REQUIRE(ReadBytes(path) == upgraded);
      }
    }
  }
  GIVEN("a version-1 database whose upgrade cannot finish (someone made a table named outbox)") {
    WriteVersion1File(path, Board1(), referral);
    { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("CREATE TABLE outbox (note TEXT)"); }
    auto opened = OpenSqliteStore(path);
    THEN("opening fails with a StorageError, and no part of versions 2 to 8 was applied") {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains("upgrade the database to schema version " + std::to_string(storage::LatestSchemaVersion())) &&
                                                    Catch::Contains("outbox") && Catch::Contains(path));
      SQLite::Database raw(path, SQLite::OPEN_READONLY);
      REQUIRE(raw.execAndGet("SELECT version FROM schema_version").getInt() == 1);
      std::string later = ", 'settings', 'outbox_v4', 'outbox_by_status_due', 'outbox_by_review', 'review_summaries', 'notified_deaths'";
      REQUIRE(SchemaObjectsNamed(raw, kVersion2Objects + later) == 1);  // the stray outbox
      REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM review_events").getInt() == 1);
    }
  }
}

SCENARIO("A timer's row records when it stopped being pending, and is never rewritten after",
         "[store][sqlite][timers]") {
  TempDir dir;
  std::string path = dir.File("timers.db");
  auto store = Open(path);
  REQUIRE(store->ImportBoardData(Board1()).ok());
  Timer fired = TimerOn("SCR-2026-001", "fired", 10), cancelled = TimerOn("SCR-2026-001", "cancelled", 20);
  Timer pending = TimerOn("SCR-2026-001", "pending", 30);
  ReviewChange referral = Referral("SCR-2026-001");
  referral.timers = std::vector<Timer>{fired, cancelled, pending};
  REQUIRE(store->Commit(referral).ok());
  ReviewChange reminded = Next(referral, "DeadlineReminderDue");
  reminded.firing = fired;
  reminded.timers = std::vector<Timer>{pending};
  REQUIRE(store->Commit(reminded).ok());
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  auto row = [&](const Timer& t) {
    SQLite::Statement q(raw, "SELECT due, event, payload, status, COALESCE(changed_at, -1) FROM timers"
                             " WHERE id = ?");
    q.bind(1, t.id);
    REQUIRE(q.executeStep());
    return std::to_string(q.getColumn(0).getInt64()) + "|" + q.getColumn(1).getString() + "|" +
           q.getColumn(2).getString() + "|" + q.getColumn(3).getString() + "|" +
           std::to_string(q.getColumn(4).getInt64());
  };
  std::string when = std::to_string(reminded.events.back().recorded_at.time_since_epoch().count());

  THEN("the fired and cancelled rows say when, from the change's event; the pending one says nothing yet") {
    REQUIRE(row(fired) == std::to_string(fired.due.time_since_epoch().count()) + "|DeadlineReminderDue|" +
                              fired.payload + "|fired|" + when);
    REQUIRE(row(cancelled).ends_with("|cancelled|" + when));
    REQUIRE(row(pending).ends_with("|pending|-1"));
  }
  WHEN("a later change lists the fired and cancelled timers again, with other times, events and payloads") {
    std::string fired_row = row(fired), cancelled_row = row(cancelled);
    ReviewChange relisted = Next(reminded, "ExtensionGranted");
    relisted.timers.emplace();
    for (Timer t : {fired, cancelled, pending}) {
      t.due += std::chrono::days{30};
      t.event = "DeadlineOverdue";
      t.payload = "{}";
      relisted.timers->push_back(t);
    }
    REQUIRE(store->Commit(relisted).ok());
    THEN("their rows are exactly as they were; only the pending one moved") {
      REQUIRE(row(fired) == fired_row);
      REQUIRE(row(cancelled) == cancelled_row);
      Instant moved_to = pending.due + std::chrono::days{30};
      REQUIRE(row(pending) == std::to_string(moved_to.time_since_epoch().count()) + "|DeadlineOverdue|{}|pending|-1");
    }
  }
}

SCENARIO("A commit waits for another process's write lock, then fails saying the database is busy",
         "[store][sqlite][busy]") {
  TempDir dir;
  std::string path = dir.File("busy.db");
  {
    auto store = Open(path);
    REQUIRE(store->ImportBoardData(Board1()).ok());
  }
  GIVEN("a store with a 200 ms busy timeout, and another connection holding the write lock") {
    auto store = Open(path, /*create_if_missing=*/false, std::chrono::milliseconds{200});
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");

    WHEN("the store commits a new review") {
      auto start = std::chrono::steady_clock::now();
      Status s = store->Commit(Referral("SCR-2026-001"));
      auto waited = std::chrono::steady_clock::now() - start;
      THEN("it fails after about the timeout with a StorageError that says why") {
        REQUIRE(s.code() == Status::Code::kStorageError);
        REQUIRE_THAT(s.message(), Catch::Contains("SCR-2026-001") && Catch::Contains("busy") &&
                                      Catch::Contains("200 ms") && Catch::Contains("nothing was recorded"));
        REQUIRE(waited >= std::chrono::milliseconds{150});
        REQUIRE(waited < std::chrono::seconds{5});
      }
      THEN("reading still works meanwhile, and nothing was written") {
        REQUIRE(store->ListBoards()->size() == 1);
        REQUIRE(store->GetReview("SCR-2026-001").status().code() == Status::Code::kNotFound);
        REQUIRE(store->LoadEvents("SCR-2026-001")->empty());
      }
      AND_WHEN("the other connection lets go") {
        other.exec("ROLLBACK");
        THEN("the same commit succeeds") { REQUIRE(store->Commit(Referral("SCR-2026-001")).ok()); }
      }
    }
  }
}

SCENARIO("Files the store cannot use are refused with a clear message", "[store][sqlite][open]") {
  TempDir dir;
  GIVEN("a file that is not a database") {
    std::string path = dir.File("notes.db");
    std::string text(4096, 'x');
    WriteFile(path, "These are meeting notes, not a database.\n" + text);
    auto opened = OpenSqliteStore(path);
    THEN("opening fails with a StorageError naming the file, which is left alone") {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains(path) && Catch::Contains("not a casereview database"));
      REQUIRE(ReadBytes(path) == "These are meeting notes, not a database.\n" + text);
    }
  }
  GIVEN("a SQLite database of some other program") {
    std::string path = dir.File("other.db");
    { SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE t (x INTEGER)"); }
    std::string before = ReadBytes(path);
    auto opened = OpenSqliteStore(path);
    THEN("it is refused and the file is left exactly as it was") {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains("some other program"));
      REQUIRE(ReadBytes(path) == before);
    }
  }
  GIVEN("a database written by a newer casereview") {
    std::string path = dir.File("newer.db");
    { auto store = Open(path); }
    { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("UPDATE schema_version SET version = 99"); }
    auto opened = OpenSqliteStore(path);
    THEN("it is refused, naming both versions") {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains("version 99") && Catch::Contains("newer casereview"));
    }
  }
  GIVEN("a path with no file, and create_if_missing off") {
    std::string path = dir.File("missing.db");
    SqliteStoreOptions options;
    options.create_if_missing = false;
    auto opened = OpenSqliteStore(path, options);
    THEN("it is NotFound, naming the path, and no file is created") {
      REQUIRE(opened.status().code() == Status::Code::kNotFound);
      REQUIRE_THAT(opened.status().message(), Catch::Contains(path));
      REQUIRE_FALSE(std::filesystem::exists(path));
    }
  }
}

SCENARIO("--db names a store by a path or sqlite:PATH, and another scheme is refused by name", "[store][sqlite][location]") {
  auto plain = ParseStoreLocation("board.db");
  REQUIRE(plain.ok());
  CHECK(plain->scheme == "sqlite");
  CHECK(plain->path == "board.db");
  auto url = ParseStoreLocation("sqlite:/var/lib/casereview/board.db");
  REQUIRE(url.ok());
  CHECK(url->path == "/var/lib/casereview/board.db");
  CHECK(ParseStoreLocation("./with:colon.db")->path == "./with:colon.db");  // a path that holds a colon
  auto other = ParseStoreLocation("postgresql://casereview@localhost/casereview");
  CHECK(other.status().code() == Status::Code::kInvalidArgument);
  CHECK_THAT(other.status().message(), Catch::Contains("postgresql") && Catch::Contains("SQLite files only"));
  CHECK(ParseStoreLocation("sqlite:").status().code() == Status::Code::kInvalidArgument);
  CHECK(ParseStoreLocation("").status().code() == Status::Code::kInvalidArgument);
  TempDir dir;
  auto opened = OpenStore("sqlite:" + dir.File("x.db"));
  REQUIRE(opened.ok());
  CHECK((*opened)->ListBoards()->empty());
}
