// The SQLite store's review summaries (schema version 6): a version-5 file gains a summary
// for every review from its stored read model when opened, and a board's page of open
// reviews is read through the summaries' own index.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <vector>

#include "../../storage/sqlite_schema.hpp"  // private to storage/: the migrations
#include "casereview/review_summary.hpp"
#include "casereview/sqlite_store.hpp"
#include "older_files.hpp"
#include "store_fixtures.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

constexpr const char* kRef = "SCR-2026-001";

// A read model as the engine writes one: a next step, a deadline met and two not.
constexpr const char* kProjection =
    R"({"stage":"ImrsInProgress","next_step":{"what":"IMRs due","holders":["p-chair"]},)"
    R"("deadlines":[{"key":"panel","what":"panel meets","due":"2026-01-19T17:00:00Z","due_date":"2026-01-19",)"
    R"("status":"met","met_at":"2026-01-12T10:00:00Z","holder_role":"panel-chair"},)"
    R"({"key":"imr-due:csc","what":"IMR from csc","due":"2026-03-16T17:00:00Z","due_date":"2026-03-16",)"
    R"("status":"open","holder_role":"lead-officer","subject":"csc"},)"
    R"({"key":"imr-due:police","what":"IMR from police","due":"2026-03-02T17:00:00Z","due_date":"2026-03-02",)"
    R"("status":"extended","holder_role":"lead-officer","subject":"police"}]})";

std::unique_ptr<Store> OpenExisting(const std::string& path) {
  SqliteStoreOptions options;
  options.create_if_missing = false;
  auto opened = OpenSqliteStore(path, options);
  INFO(opened.status().message());
  REQUIRE(opened.ok());
  return std::move(*opened);
}

}  // namespace

SCENARIO("A version-5 database gains each review's summary from its stored read model",
         "[store][sqlite][migration][summary]") {
  TempDir dir;
  std::string path = dir.File("v5.db");
  ReviewChange referral = Referral(kRef);
  referral.review.stage = "ImrsInProgress";
  referral.review.projection = kProjection;
  referral.review.summary.clear();  // version 5 had nowhere to keep it
  GIVEN("a database written with the version-5 schema, holding a review with deadlines") {
    WriteOlderFile(path, 5, DemoBoardData(), referral);
    WHEN("the store opens it") {
      auto store = OpenExisting(path);
      ReviewRecord expected = referral.review;
      expected.summary = SummarizeProjection(std::string_view(kProjection));
      THEN("the review reads back with the summary of its read model, everything else as it was") {
        REQUIRE(*store->GetReview(kRef) == expected);
        REQUIRE(*store->ListReviewSummaries({}, {}) ==
                std::vector<ReviewSummary>{{kRef, "demo", "scr", "ImrsInProgress", true, At(kJan5), expected.summary}});
      }
      THEN("the summary holds the next step and the two deadlines not met, and no more") {
        auto summary = nlohmann::json::parse(expected.summary);
        REQUIRE(summary["next_step"] == nlohmann::json::parse(kProjection)["next_step"]);
        REQUIRE(summary["deadlines"] ==
                nlohmann::json::parse(R"([{"what":"IMR from csc","due":"2026-03-16T17:00:00Z","due_date":"2026-03-16"},
                                          {"what":"IMR from police","due":"2026-03-02T17:00:00Z","due_date":"2026-03-02"}])"));
      }
      THEN("the file is at the latest version, its keys hold, and reopening it changes nothing") {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        REQUIRE(raw.execAndGet("SELECT version FROM schema_version").getInt() == storage::LatestSchemaVersion());
        SQLite::Statement violations(raw, "PRAGMA foreign_key_check");
        REQUIRE_FALSE(violations.executeStep());
        store.reset();
        std::string upgraded = ReadBytes(path);
        OpenExisting(path).reset();
        REQUIRE(ReadBytes(path) == upgraded);
      }
    }
  }
  GIVEN("a version-5 database whose upgrade cannot finish (someone made a table named review_summaries)") {
    WriteOlderFile(path, 5, DemoBoardData(), referral);
    { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("CREATE TABLE review_summaries (note TEXT)"); }
    auto opened = OpenSqliteStore(path);
    THEN("opening fails with a StorageError and the file stays at version 5") {
      REQUIRE(opened.status().code() == Status::Code::kStorageError);
      REQUIRE_THAT(opened.status().message(), Catch::Contains("upgrade the database to schema version " + std::to_string(storage::LatestSchemaVersion())));
      SQLite::Database raw(path, SQLite::OPEN_READONLY);
      REQUIRE(raw.execAndGet("SELECT version FROM schema_version").getInt() == 5);
      REQUIRE(raw.execAndGet("SELECT COUNT(*) FROM review_summaries").getInt() == 0);
    }
  }
}

SCENARIO("A board's page of open reviews is read through the summaries' index", "[store][sqlite][summary]") {
  TempDir dir;
  std::string path = dir.File("plan.db");
  { REQUIRE(OpenSqliteStore(path).ok()); }
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  SQLite::Statement plan(raw,
                         "EXPLAIN QUERY PLAN SELECT ref, board_id, kind, stage, open, updated_at, summary"
                         " FROM review_summaries WHERE ref > ? AND board_id = ? AND open = 1 ORDER BY ref LIMIT ?");
  std::string steps;
  while (plan.executeStep()) steps += plan.getColumn(3).getString() + "\n";
  INFO(steps);
  REQUIRE_THAT(steps, Catch::Contains("review_summaries_by_board"));
  REQUIRE_THAT(steps, !Catch::Contains("TEMP B-TREE"));  // already in ref order: no sort
}
