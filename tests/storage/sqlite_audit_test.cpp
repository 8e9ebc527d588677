// The audit log in a SQLite file against someone who can write the file but not read the key
// beside it (storage/audit.cpp, storage/audit_seal.cpp): entries deleted from the end or all
// of them, an entry rewritten with every later hash recomputed, a missing or wrong key, a
// missing witness; several connections appending at once; a version-7 file's unkeyed entries
// kept verifying after the upgrade, the keyed chain continuing them.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../../storage/sqlite_access.hpp"  // private to storage/
#include "older_files.hpp"
#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

AuditEntry Read(const std::string& actor, std::int64_t at, const std::string& board = "demo") {
  AuditEntry e;
  e.at = At(at);
  e.board_id = board;
  e.actor = actor;
  e.action = "review.read";
  e.target = "SCR-2026-001";
  e.outcome = "ok";
  return e;
}

std::unique_ptr<Store> Open(const std::string& path, const std::string& key_path = "") {
  SqliteStoreOptions options;
  options.audit_key_path = key_path;
  auto store = OpenSqliteStore(path, options);
  INFO(store.status().message());
  REQUIRE(store.ok());
  return std::move(*store);
}

// A database with the demo board and `n` audit entries, as the store wrote them.
void WriteLog(const std::string& path, int n) {
  auto store = Open(path);
  REQUIRE(store->ImportBoardData(DemoBoardData()).ok());
  for (int i = 0; i < n; ++i) REQUIRE(store->AppendAudit(Read(i % 2 ? "p-chair" : "p-spoc", kJan5 + i)).ok());
}

std::vector<AuditEntry> Rows(SQLite::Database& db) {
  AuditFilter every;
  every.limit = 1'000'000;
  return storage::SelectAudit(db, every);  // as the store reads them, by seq
}

// Sets each entry from `from` on to follow its predecessor with a plain SHA-256 hash (what
// someone without the key can compute), keeping or clearing its keyed flag.
void RechainFrom(SQLite::Database& db, std::int64_t from, bool mark_unkeyed) {
  std::string prev;
  for (AuditEntry e : Rows(db)) {
    if (e.seq >= from) {
      e.prev_hash = prev;
      e.hash = AuditHash(prev, e);
      SQLite::Statement u(db, "UPDATE audit_log SET prev_hash = ?, hash = ?, keyed = ? WHERE seq = ?");
      u.bind(1, e.prev_hash);
      u.bind(2, e.hash);
      u.bind(3, mark_unkeyed ? 0 : 1);
      u.bind(4, e.seq);
      u.exec();
    }
    prev = e.hash;
  }
}

AuditVerification Verified(const std::string& path) {
  auto store = Open(path);
  auto v = VerifyAuditChain(*store);
  INFO(v.status().message());
  REQUIRE(v.ok());
  return *v;
}

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

SCENARIO("The key and the head witness are files of mode 0600 outside the database, made at the first entry",
         "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  GIVEN("a new database") {
    auto store = Open(path);
    REQUIRE(store->ImportBoardData(DemoBoardData()).ok());
    THEN("no key is made until an entry is written") { CHECK_FALSE(std::filesystem::exists(path + ".audit-key")); }
    WHEN("an entry is written") {
      REQUIRE(store->AppendAudit(Read("p-chair", kJan5)).ok());
      THEN("the key and the witness are beside it, readable by their owner only") {
        CHECK(ModeOf(path + ".audit-key") == 0600);
        CHECK(ModeOf(path + ".audit-head") == 0600);
        CHECK(ReadBytes(path + ".audit-key").size() == 65);  // 64 hex digits and a newline
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        CHECK(raw.execAndGet("SELECT COUNT(*) FROM audit_log WHERE keyed = 1").getInt() == 1);
      }
    }
  }
  GIVEN("a key file of the operator's choosing") {
    const std::string key = dir.File("elsewhere.key");
    auto store = Open(path, key);
    REQUIRE(store->ImportBoardData(DemoBoardData()).ok());
    REQUIRE(store->AppendAudit(Read("p-chair", kJan5)).ok());
    THEN("the key is there and not beside the database; opened without it, the log cannot be verified") {
      CHECK(std::filesystem::exists(key));
      CHECK_FALSE(std::filesystem::exists(path + ".audit-key"));
      CHECK(VerifyAuditChain(*Open(path, key))->problem.empty());
      auto without = VerifyAuditChain(*Open(path));
      CHECK(without.status().code() == Status::Code::kStorageError);
    }
  }
}

SCENARIO("Entries deleted from the end of the log, or every entry, are found without a noted head",
         "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  WriteLog(path, 5);
  const int deleted = GENERATE(1, 3, 5);
  { SQLite::Database(path, SQLite::OPEN_READWRITE).exec("DELETE FROM audit_log WHERE seq > " + std::to_string(5 - deleted)); }
  AuditVerification v = Verified(path);
  INFO(deleted << " deleted: " << v.problem);
  CHECK_FALSE(v.problem.empty());
  CHECK(v.bad_seq == 6 - deleted);
  CHECK(v.entries == 5 - deleted);
  CHECK_THAT(v.problem, Catch::Contains("were deleted") && Catch::Contains("vouches for entry 5"));
}

SCENARIO("An entry rewritten with every later hash recomputed in plain SHA-256 is found", "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  WriteLog(path, 5);
  const bool mark_unkeyed = GENERATE(false, true);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE audit_log SET actor = 'p-nobody' WHERE seq = 3");
    RechainFrom(db, 3, mark_unkeyed);
  }
  AuditVerification v = Verified(path);
  INFO((mark_unkeyed ? "marked unkeyed: " : "still marked keyed: ") << v.problem);
  CHECK_FALSE(v.problem.empty());
  CHECK(v.bad_seq == 3);
  CHECK(v.entries == 2);
}

SCENARIO("A missing key is an error that says so, and no new key is made", "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  WriteLog(path, 3);
  std::filesystem::remove(path + ".audit-key");
  auto store = Open(path);
  auto v = VerifyAuditChain(*store);
  CHECK(v.status().code() == Status::Code::kStorageError);
  CHECK_THAT(v.status().message(), Catch::Contains(path + ".audit-key") && Catch::Contains("missing"));
  auto appended = store->AppendAudit(Read("p-chair", kJan5 + 10));
  CHECK(appended.status().code() == Status::Code::kStorageError);
  CHECK_THAT(appended.status().message(), Catch::Contains("restore the key file"));
  CHECK_FALSE(std::filesystem::exists(path + ".audit-key"));
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM audit_log").getInt() == 3);

  // The witness gone too: the keyed entries themselves still refuse a new key.
  std::filesystem::remove(path + ".audit-head");
  CHECK(store->AppendAudit(Read("p-chair", kJan5 + 10)).status().code() == Status::Code::kStorageError);
  CHECK_FALSE(std::filesystem::exists(path + ".audit-key"));
  CHECK(VerifyAuditChain(*store).status().code() == Status::Code::kStorageError);
}

SCENARIO("A wrong key, a changed witness or a missing witness is reported as tampering", "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  WriteLog(path, 3);
  const std::string how = GENERATE(as<std::string>{}, "wrong key", "witness edited", "witness deleted");
  if (how == "wrong key") {
    std::ofstream(path + ".audit-key", std::ios::trunc) << std::string(64, 'a') << "\n";
  } else if (how == "witness edited") {
    std::string w = ReadBytes(path + ".audit-head");
    w.replace(w.find("seq 3"), 5, "seq 2");
    std::ofstream(path + ".audit-head", std::ios::trunc) << w;
  } else {
    std::filesystem::remove(path + ".audit-head");
  }
  AuditVerification v = Verified(path);
  INFO(how << ": " << v.problem);
  CHECK_FALSE(v.problem.empty());
  // Nothing more is appended to a log that cannot be vouched for.
  CHECK_FALSE(Open(path)->AppendAudit(Read("p-chair", kJan5 + 10)).ok());
}

SCENARIO("Several connections appending at once form one chain, the witness at its head", "[store][sqlite][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  WriteLog(path, 0);
  constexpr int kWriters = 4, kEach = 15;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto store = OpenSqliteStore(path);
      if (!store.ok()) { ++failures; return; }
      for (int i = 0; i < kEach; ++i)
        if (!(*store)->AppendAudit(Read("p-chair", kJan5 + w * 100 + i)).ok()) ++failures;
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failures.load() == 0);
  AuditVerification v = Verified(path);
  CHECK(v.problem.empty());
  CHECK(v.entries == kWriters * kEach);
  CHECK(v.witness_seq == kWriters * kEach);
}

SCENARIO("A version-7 log keeps verifying after the upgrade, and the keyed chain continues it",
         "[store][sqlite][audit][migration]") {
  TempDir dir;
  const std::string path = dir.File("v7.db");
  GIVEN("a version-7 file with three entries chained with plain SHA-256, one by a person, one anonymous, one cli") {
    WriteOlderFile(path, 7, DemoBoardData(), Referral("SCR-2026-001"));
    {
      SQLite::Database raw(path, SQLite::OPEN_READWRITE);
      std::string prev(GenesisAuditHash());
      std::int64_t seq = 0;
      for (auto [actor, target] : std::vector<std::pair<std::string, std::string>>{
               {"p-chair", "SCR-2026-001"}, {"anonymous", "p-spoc"}, {"cli", "tok-1"}}) {
        AuditEntry e = Read(actor, kJan5 + seq, "");
        e.seq = ++seq;
        e.target = target;
        e.prev_hash = prev;
        e.hash = AuditHash(prev, e);
        SQLite::Statement q(raw, "INSERT INTO audit_log (seq, at, actor, action, target, outcome, prev_hash, hash)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, e.seq);
        q.bind(2, kJan5 + e.seq - 1);
        q.bind(3, e.actor);
        q.bind(4, e.action);
        q.bind(5, e.target);
        q.bind(6, e.outcome);
        q.bind(7, e.prev_hash);
        q.bind(8, e.hash);
        q.exec();
        prev = e.hash;
      }
    }
    WHEN("the store opens it") {
      auto store = Open(path);
      THEN("the entries verify as they were, unkeyed, each in the board of its person") {
        auto v = VerifyAuditChain(*store);
        REQUIRE(v.ok());
        CHECK(v->problem.empty());
        CHECK(v->entries == 3);
        CHECK(v->keyed_from == 0);
        auto rows = *store->ListAudit({});
        REQUIRE(rows.size() == 3);
        CHECK_FALSE(rows[0].keyed);
        CHECK(rows[0].board_id == "demo");  // the acting person's
        CHECK(rows[1].board_id == "demo");  // the person signing in
        CHECK(rows[2].board_id.empty());    // a token id: no board known
      }
      AND_WHEN("an entry is appended") {
        auto appended = store->AppendAudit(Read("p-spoc", kJan5 + 100));
        REQUIRE(appended.ok());
        THEN("it is keyed, chained from the last unkeyed hash, and the chain says it is keyed from entry 4") {
          CHECK(appended->seq == 4);
          CHECK(appended->keyed);
          CHECK(appended->prev_hash == store->ListAudit({})->at(2).hash);
          auto v = VerifyAuditChain(*store);
          REQUIRE(v.ok());
          CHECK(v->problem.empty());
          CHECK(v->keyed_from == 4);
          CHECK(v->witness_seq == 4);
        }
        AND_WHEN("the unkeyed entries are rewritten, their plain hashes recomputed") {
          {
            SQLite::Database db(path, SQLite::OPEN_READWRITE);
            db.exec("UPDATE audit_log SET actor = 'p-nobody' WHERE seq = 1");
            RechainFrom(db, 1, /*mark_unkeyed=*/true);
          }
          THEN("the first keyed entry no longer follows them, or its MAC fails") {
            AuditVerification v = Verified(path);
            INFO(v.problem);
            CHECK_FALSE(v.problem.empty());
            CHECK(v.bad_seq <= 4);
          }
        }
      }
    }
  }
}
