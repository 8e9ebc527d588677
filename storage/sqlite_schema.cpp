#include "sqlite_schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "sqlite_notified_deaths.hpp"
#include "sqlite_summaries.hpp"

namespace casereview::storage {
namespace {

// Version 1: boards, their agencies and people, reviews and their event logs.
// Lists (roles, required sectors) are comma-separated; an empty list is ''.
// people.agency_id is NULL for people who belong to no agency (the panel chair).
const Migration kBoardsAndReviews{
    1,
    {
        "CREATE TABLE boards ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " policy_profile TEXT NOT NULL,"
        " quorum_chair_required INTEGER NOT NULL CHECK (quorum_chair_required IN (0, 1)),"
        " quorum_min_agencies INTEGER NOT NULL,"
        " quorum_required_sectors TEXT NOT NULL)",

        "CREATE TABLE agencies ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " name TEXT NOT NULL,"
        " sector TEXT NOT NULL)",
        "CREATE INDEX agencies_by_board ON agencies (board_id, id)",

        "CREATE TABLE people ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " name TEXT NOT NULL,"
        " email TEXT NOT NULL,"
        " agency_id TEXT REFERENCES agencies (id),"
        " roles TEXT NOT NULL)",
        "CREATE INDEX people_by_board ON people (board_id, id)",

        "CREATE TABLE reviews ("
        " ref TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " kind TEXT NOT NULL,"
        " stage TEXT NOT NULL,"
        " machine_version INTEGER NOT NULL,"
        " last_seq BIGINT NOT NULL,"
        " open INTEGER NOT NULL CHECK (open IN (0, 1)),"
        " opened_at BIGINT NOT NULL,"
        " updated_at BIGINT NOT NULL,"
        " projection TEXT NOT NULL)",
        // ListReviews filters by board and by open; the recovery pass lists open reviews.
        "CREATE INDEX reviews_by_board ON reviews (board_id, open)",
        "CREATE INDEX reviews_by_open ON reviews (open)",

        // The primary key is also the index LoadEvents reads in seq order.
        "CREATE TABLE review_events ("
        " review_ref TEXT NOT NULL REFERENCES reviews (ref),"
        " seq BIGINT NOT NULL CHECK (seq >= 1),"
        " type TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " actor TEXT NOT NULL,"
        " recorded_at BIGINT NOT NULL,"
        " PRIMARY KEY (review_ref, seq))",
    }};

// Version 2: durable timers and the outbox of notices, both written by Commit in the same
// transaction as the events they come from. Times are Unix seconds in BIGINT (a 32-bit
// INTEGER would end in 2038 on PostgreSQL).
// timers.changed_at: when the timer stopped being pending (fired or cancelled), NULL before.
// The scheduler reads pending timers by due; a commit reads one review's timers.
// outbox.recipients: comma-separated person ids. outbox.status is left unchecked: the
// notifier will add states of its own.
const Migration kTimersAndOutbox{
    2,
    {
        "CREATE TABLE timers ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " review_ref TEXT NOT NULL REFERENCES reviews (ref),"
        " due BIGINT NOT NULL,"
        " event TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled')),"
        " changed_at BIGINT NULL)",
        "CREATE INDEX timers_by_status_due ON timers (status, due, id)",
        "CREATE INDEX timers_by_review ON timers (review_ref, status)",

        "CREATE TABLE outbox ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " review_ref TEXT NOT NULL REFERENCES reviews (ref),"
        " kind TEXT NOT NULL,"
        " recipients TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " status TEXT NOT NULL)",
        "CREATE INDEX outbox_by_status ON outbox (status, created_at, id)",
    }};

// Version 3: deployment settings (an updated bank-holidays.json, say), one text value per
// key. updated_at: when it was last put, Unix seconds.
const Migration kSettings{
    3,
    {
        "CREATE TABLE settings ("
        " key TEXT NOT NULL PRIMARY KEY,"
        " value TEXT NOT NULL,"
        " updated_at BIGINT NOT NULL)",
    }};

// Version 4: the outbox is delivered. A notice names its board (a board's own notice, the
// action-plan digest, has no review: review_ref is NULL) and keeps its delivery: attempts
// since queued or requeued, when the next may be made, when the last was made, when the mail
// server accepted it, why the last attempt failed. status is now checked.
// SQLite cannot change a column's constraints (it has no ALTER COLUMN) nor add a NOT NULL
// column without a default, so the table is rebuilt, in SQL PostgreSQL runs too: create,
// copy, drop, rename, index. The copy takes board_id from the notice's review (every row has
// one: review_ref was NOT NULL with its foreign key enforced) and makes the first attempt due
// when the notice was created. The rebuild runs with foreign keys enforced (SQLite ignores
// PRAGMA foreign_keys inside the migration's transaction), which is safe because no table
// refers to outbox: dropping it deletes no parent row and the rename rewrites no reference.
// Dropping the table drops outbox_by_status, made again under its name.
// DueNotices reads pending notices by next_attempt_at; a review's notices are read by ref.
const Migration kOutboxDelivery{
    4,
    {
        "CREATE TABLE outbox_v4 ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " review_ref TEXT NULL REFERENCES reviews (ref),"
        " kind TEXT NOT NULL,"
        " recipients TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at BIGINT NOT NULL,"
        " last_attempt_at BIGINT NULL,"
        " sent_at BIGINT NULL,"
        " last_error TEXT NOT NULL DEFAULT '')",
        "INSERT INTO outbox_v4 (id, board_id, review_ref, kind, recipients, payload, created_at, status,"
        " next_attempt_at)"
        " SELECT o.id, r.board_id, o.review_ref, o.kind, o.recipients, o.payload, o.created_at, o.status,"
        " o.created_at"
        " FROM outbox o JOIN reviews r ON r.ref = o.review_ref",
        "DROP TABLE outbox",
        "ALTER TABLE outbox_v4 RENAME TO outbox",
        "CREATE INDEX outbox_by_status ON outbox (status, created_at, id)",
        "CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at, id)",
        "CREATE INDEX outbox_by_review ON outbox (review_ref)",
    }};

// Version 5: who may sign in, and the audit log. A password is its Argon2id hash (libsodium's
// encoded string); a token and a session are the SHA-256 of their secret; none is stored in
// clear. audit_log is append-only and hash-chained (include/casereview/access.hpp): seq is
// the primary key, so two processes appending at once cannot both take the same place.
const Migration kAccess{
    5,
    {
        "CREATE TABLE passwords ("
        " person_id TEXT NOT NULL PRIMARY KEY REFERENCES people (id),"
        " hash TEXT NOT NULL,"
        " updated_at BIGINT NOT NULL)",

        "CREATE TABLE api_tokens ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " person_id TEXT NOT NULL REFERENCES people (id),"
        " token_hash TEXT NOT NULL UNIQUE,"
        " label TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " revoked_at BIGINT NULL)",
        "CREATE INDEX api_tokens_by_person ON api_tokens (person_id, id)",

        "CREATE TABLE sessions ("
        " id_hash TEXT NOT NULL PRIMARY KEY,"
        " person_id TEXT NOT NULL REFERENCES people (id),"
        " csrf_token TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " expires_at BIGINT NOT NULL)",
        "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",

        "CREATE TABLE audit_log ("
        " seq BIGINT NOT NULL PRIMARY KEY,"
        " at BIGINT NOT NULL,"
        " actor TEXT NOT NULL,"
        " action TEXT NOT NULL,"
        " target TEXT NOT NULL,"
        " outcome TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL,"
        " hash TEXT NOT NULL)",
        "CREATE INDEX audit_by_actor ON audit_log (actor, seq)",
        "CREATE INDEX audit_by_target ON audit_log (target, seq)",
    }};

// Version 6: each review's row in a list, kept beside its read model so a list of thousands
// of reviews reads neither the projections nor their JSON (docs/performance.md, figure 5).
// The record's list facts are copied (board, kind, stage, open, updated_at) so the list reads
// this table alone; summary is SummarizeProjection of the projection (review_summary.hpp).
// Commit writes the row with the review's; existing reviews get theirs from their stored
// projections (BackfillReviewSummaries). A list filters by board and open, in ref order.
const Migration kReviewSummaries{
    6,
    {
        "CREATE TABLE review_summaries ("
        " ref TEXT NOT NULL PRIMARY KEY REFERENCES reviews (ref),"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " kind TEXT NOT NULL,"
        " stage TEXT NOT NULL,"
        " open INTEGER NOT NULL CHECK (open IN (0, 1)),"
        " updated_at BIGINT NOT NULL,"
        " summary TEXT NOT NULL)",
        "CREATE INDEX review_summaries_by_board ON review_summaries (board_id, open, ref)",
    },
    BackfillReviewSummaries};

// Version 7: the NHS number each child death review was opened for, so a notification finds
// an earlier one of the same death with one indexed read (Store::FindNotifiedDeath) instead
// of reading every child death review's log (docs/performance.md, figure 1). Not unique: two
// notifications racing each other may both have been opened; the first by ref is the one
// named. Commit writes the row with a new review's; existing reviews get theirs from their
// opening events (BackfillNotifiedDeaths).
const Migration kNotifiedDeaths{
    7,
    {
        "CREATE TABLE notified_deaths ("
        " nhs_number TEXT NOT NULL,"
        " review_ref TEXT NOT NULL REFERENCES reviews (ref),"
        " PRIMARY KEY (nhs_number, review_ref))",
    },
    BackfillNotifiedDeaths};

// Version 8: the audit log is separated by board and keyed (include/casereview/access.hpp).
// board_id: the board whose log an entry is in ('' when none is known). keyed: 1 for an entry
// MACed with the key kept outside the database; the entries written before this version keep
// 0 and their plain SHA-256 chain, which the first keyed entry continues. Their board is
// filled in from the acting person, else the person the entry is about: their hash does not
// cover it, so they verify as before. An administrator's list reads one board's entries.
const Migration kAuditByBoard{
    8,
    {
        "ALTER TABLE audit_log ADD COLUMN board_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1))",
        "UPDATE audit_log SET board_id = COALESCE((SELECT p.board_id FROM people p WHERE p.id = audit_log.actor),"
        " (SELECT p.board_id FROM people p WHERE p.id = audit_log.target), '')",
        "CREATE INDEX audit_by_board ON audit_log (board_id, seq)",
    }};

// Version 9: sign-in throttling per (account, client address), counted here rather than read
// from the audit log, so an attempt answered "wait" writes no audit row (engine/access.hpp);
// account is a hash of what was typed, never the email itself. And people who were removed
// from a board: kept for the history that names them, no longer able to act.
const Migration kThrottlingAndRemoval{
    9,
    {
        "CREATE TABLE failed_sign_ins ("
        " account TEXT NOT NULL,"
        " address TEXT NOT NULL,"
        " failures INTEGER NOT NULL,"
        " last_at BIGINT NOT NULL,"
        " throttled BIGINT NOT NULL,"
        " PRIMARY KEY (account, address))",
        "CREATE INDEX failed_sign_ins_by_last ON failed_sign_ins (last_at)",
        "ALTER TABLE people ADD COLUMN removed_at BIGINT NULL",
    }};

// 10: the requests that created or recorded something, by their sender's Idempotency-Key
// (store.hpp, IdempotencyRecord), each kept with its change so a retry is answered, not redone.
const Migration kIdempotencyKeys{
    10,
    {
        "CREATE TABLE idempotency_keys ("
        " actor TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " request TEXT NOT NULL,"
        " board_id TEXT NOT NULL,"
        " ref TEXT NOT NULL,"
        " seq BIGINT NOT NULL,"
        " stage TEXT NOT NULL,"
        " at BIGINT NOT NULL,"
        " PRIMARY KEY (actor, key))",
        "CREATE INDEX idempotency_keys_by_at ON idempotency_keys (at)",
    }};

// 11: revisions, counted up by every change to a board's agencies and people and to a setting,
// so an engine keeps what it read between commands and reads again only what changed.
const Migration kRevisions{
    11,
    {
        "ALTER TABLE boards ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE settings ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
    }};

// 12: a board's agencies and people are its own. Their ids are unique within the board, not
// across boards, so one board can neither take nor overwrite another's "police" or its panel
// chair: the key is (board_id, id). Passwords, tokens and sessions name their person by
// (board_id, person_id), and an idempotency key is its sender's within their board. Every
// table is rebuilt, its rows kept: copied aside without constraints, dropped (children
// first, so foreign keys, enforced during migrations, hold at every step), made again and
// filled from the copies. Until now ids were unique across boards, so each row's board is
// its person's.
const Migration kIdsPerBoard{
    12,
    {
        "CREATE TABLE v12_agencies AS SELECT id, board_id, name, sector FROM agencies",
        "CREATE TABLE v12_people AS SELECT id, board_id, name, email, agency_id, roles, removed_at FROM people",
        "CREATE TABLE v12_passwords AS SELECT p.board_id AS board_id, w.person_id AS person_id, w.hash AS hash,"
        " w.updated_at AS updated_at FROM passwords w JOIN people p ON p.id = w.person_id",
        "CREATE TABLE v12_api_tokens AS SELECT t.id AS id, p.board_id AS board_id, t.person_id AS person_id,"
        " t.token_hash AS token_hash, t.label AS label, t.created_at AS created_at, t.revoked_at AS revoked_at"
        " FROM api_tokens t JOIN people p ON p.id = t.person_id",
        "CREATE TABLE v12_sessions AS SELECT s.id_hash AS id_hash, p.board_id AS board_id, s.person_id AS person_id,"
        " s.csrf_token AS csrf_token, s.created_at AS created_at, s.expires_at AS expires_at"
        " FROM sessions s JOIN people p ON p.id = s.person_id",
        "CREATE TABLE v12_idempotency_keys AS SELECT actor, key, request, board_id, ref, seq, stage, at FROM idempotency_keys",
        "DROP TABLE sessions",
        "DROP TABLE api_tokens",
        "DROP TABLE passwords",
        "DROP TABLE people",
        "DROP TABLE agencies",
        "DROP TABLE idempotency_keys",

        "CREATE TABLE agencies ("
        " id TEXT NOT NULL,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " name TEXT NOT NULL,"
        " sector TEXT NOT NULL,"
        " PRIMARY KEY (board_id, id))",
        "CREATE TABLE people ("
        " id TEXT NOT NULL,"
        " board_id TEXT NOT NULL REFERENCES boards (id),"
        " name TEXT NOT NULL,"
        " email TEXT NOT NULL,"
        " agency_id TEXT NULL,"
        " roles TEXT NOT NULL,"
        " removed_at BIGINT NULL,"
        " PRIMARY KEY (board_id, id),"
        " FOREIGN KEY (board_id, agency_id) REFERENCES agencies (board_id, id))",
        "CREATE TABLE passwords ("
        " board_id TEXT NOT NULL,"
        " person_id TEXT NOT NULL,"
        " hash TEXT NOT NULL,"
        " updated_at BIGINT NOT NULL,"
        " PRIMARY KEY (board_id, person_id),"
        " FOREIGN KEY (board_id, person_id) REFERENCES people (board_id, id))",
        "CREATE TABLE api_tokens ("
        " id TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL,"
        " person_id TEXT NOT NULL,"
        " token_hash TEXT NOT NULL UNIQUE,"
        " label TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " revoked_at BIGINT NULL,"
        " FOREIGN KEY (board_id, person_id) REFERENCES people (board_id, id))",
        "CREATE INDEX api_tokens_by_person ON api_tokens (board_id, person_id, id)",
        "CREATE TABLE sessions ("
        " id_hash TEXT NOT NULL PRIMARY KEY,"
        " board_id TEXT NOT NULL,"
        " person_id TEXT NOT NULL,"
        " csrf_token TEXT NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " expires_at BIGINT NOT NULL,"
        " FOREIGN KEY (board_id, person_id) REFERENCES people (board_id, id))",
        "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
        "CREATE INDEX sessions_by_person ON sessions (board_id, person_id)",
        "CREATE TABLE idempotency_keys ("
        " actor TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " request TEXT NOT NULL,"
        " board_id TEXT NOT NULL,"
        " ref TEXT NOT NULL,"
        " seq BIGINT NOT NULL,"
        " stage TEXT NOT NULL,"
        " at BIGINT NOT NULL,"
        " PRIMARY KEY (board_id, actor, key))",
        "CREATE INDEX idempotency_keys_by_at ON idempotency_keys (at)",

        "INSERT INTO agencies (id, board_id, name, sector) SELECT id, board_id, name, sector FROM v12_agencies",
        "INSERT INTO people (id, board_id, name, email, agency_id, roles, removed_at)"
        " SELECT id, board_id, name, email, agency_id, roles, removed_at FROM v12_people",
        "INSERT INTO passwords (board_id, person_id, hash, updated_at)"
        " SELECT board_id, person_id, hash, updated_at FROM v12_passwords",
        "INSERT INTO api_tokens (id, board_id, person_id, token_hash, label, created_at, revoked_at)"
        " SELECT id, board_id, person_id, token_hash, label, created_at, revoked_at FROM v12_api_tokens",
        "INSERT INTO sessions (id_hash, board_id, person_id, csrf_token, created_at, expires_at)"
        " SELECT id_hash, board_id, person_id, csrf_token, created_at, expires_at FROM v12_sessions",
        "INSERT INTO idempotency_keys (actor, key, request, board_id, ref, seq, stage, at)"
        " SELECT actor, key, request, board_id, ref, seq, stage, at FROM v12_idempotency_keys",
        "DROP TABLE v12_agencies",
        "DROP TABLE v12_people",
        "DROP TABLE v12_passwords",
        "DROP TABLE v12_api_tokens",
        "DROP TABLE v12_sessions",
        "DROP TABLE v12_idempotency_keys",
    }};

int StoredVersion(SQLite::Database& db) {
  if (!db.tableExists("schema_version")) return 0;
  SQLite::Column v = db.execAndGet("SELECT MAX(version) FROM schema_version");
  return v.isNull() ? 0 : v.getInt();
}

// A file with tables but no schema_version belongs to some other program: leave it alone.
bool HoldsOtherTables(SQLite::Database& db) {
  return db.execAndGet("SELECT COUNT(*) FROM sqlite_master").getInt() > 0;
}

Status NewerThanThisBuild(const std::string& path, int found) {
  return Status::StorageError("the database " + path + " has schema version " +
                              std::to_string(found) + ", written by a newer casereview; this build " +
                              "knows versions up to " + std::to_string(LatestSchemaVersion()));
}

// REQUIRES: inside the migration transaction, with current < LatestSchemaVersion().
void ApplyMigrationsAfter(SQLite::Database& db, int current) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  for (const Migration& m : Migrations()) {
    if (m.version <= current) continue;
    for (std::string_view sql : m.statements) db.exec(std::string(sql));
    if (m.backfill) m.backfill(db);
  }
  db.exec("DELETE FROM schema_version");
  SQLite::Statement insert(db, "INSERT INTO schema_version (version) VALUES (?)");
  insert.bind(1, LatestSchemaVersion());
  insert.exec();
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {kBoardsAndReviews, kTimersAndOutbox, kSettings, kOutboxDelivery, kAccess,
                                               kReviewSummaries, kNotifiedDeaths, kAuditByBoard,
                                               kThrottlingAndRemoval, kIdempotencyKeys,
                                               kRevisions, kIdsPerBoard};
  return kAll;
}

int LatestSchemaVersion() { return Migrations().back().version; }

Status ConfigureConnection(SQLite::Database& db, const std::string& path) {
  // journal_mode answers with the mode now in force; "memory" is an in-memory database.
  std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal" && mode != "memory")
    return Status::StorageError("the database " + path + " cannot use a write-ahead log (journal mode '" +
                                mode + "'), which casereview needs for durable commits");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  return Status::Ok();
}

Status CheckOwnership(SQLite::Database& db, const std::string& path) {
  int current = StoredVersion(db);
  if (current > LatestSchemaVersion()) return NewerThanThisBuild(path, current);
  if (current == 0 && HoldsOtherTables(db))
    return Status::StorageError("the file " + path +
                                " is a SQLite database of some other program, not a casereview database");
  return Status::Ok();
}

Status MigrateToLatest(SQLite::Database& db, const std::string& path) {
  // Read first, outside any write transaction: an up-to-date file must not be touched.
  if (StoredVersion(db) == LatestSchemaVersion()) return Status::Ok();
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Checked again under the write lock: another process may have migrated meanwhile.
  CR_RETURN_IF_ERROR(CheckOwnership(db, path));
  int current = StoredVersion(db);
  if (current == LatestSchemaVersion()) return Status::Ok();
  ApplyMigrationsAfter(db, current);
  tx.commit();
  return Status::Ok();
}

}  // namespace casereview::storage
