// Database files as earlier casereview builds left them, for the upgrade scenarios. Each is
// written with the released migrations (append only, so their text never changes) and the
// row mappings of tables that version already had.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "../../storage/sqlite_rows.hpp"    // private to storage/
#include "../../storage/sqlite_schema.hpp"  // private to storage/
#include "casereview/board.hpp"
#include "casereview/store.hpp"

namespace casereview::testing {

template <class Row>
void InsertRow(SQLite::Database& db, const char* sql, void (*bind)(SQLite::Statement&, const Row&), const Row& row) {
  SQLite::Statement insert(db, sql);
  bind(insert, row);
  insert.exec();
}

// An outbox row as versions 2 and 3 stored it: no board, no delivery columns.
inline void InsertVersion2Notice(SQLite::Database& db, const Notice& n) {
  SQLite::Statement insert(db,
                           "INSERT INTO outbox (id, review_ref, kind, recipients, payload, created_at, status)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, n.id);
  insert.bind(2, n.review_ref);
  insert.bind(3, n.kind);
  insert.bind(4, storage::JoinList(n.recipients));
  insert.bind(5, n.payload);
  insert.bind(6, storage::SecondsOf(n.created_at));
  insert.bind(7, n.status);
  insert.exec();
}

// Takes a file written by this build back to schema `version` (5 or later), as an older build
// would have left it: the tables and columns of each later migration dropped, newest first.
inline void RewindSchema(SQLite::Database& raw, int version) {
  if (version < 12) {  // ids unique across boards, passwords, tokens and sessions by person id
    for (const char* table : {"agencies", "people", "passwords", "api_tokens", "sessions", "idempotency_keys"})
      raw.exec(std::string("CREATE TABLE r_") + table + " AS SELECT * FROM " + table);
    for (const char* table : {"sessions", "api_tokens", "passwords", "people", "agencies", "idempotency_keys"})
      raw.exec(std::string("DROP TABLE ") + table);
    raw.exec("CREATE TABLE agencies (id TEXT NOT NULL PRIMARY KEY, board_id TEXT NOT NULL REFERENCES boards (id),"
             " name TEXT NOT NULL, sector TEXT NOT NULL)");
    raw.exec("CREATE TABLE people (id TEXT NOT NULL PRIMARY KEY, board_id TEXT NOT NULL REFERENCES boards (id),"
             " name TEXT NOT NULL, email TEXT NOT NULL, agency_id TEXT REFERENCES agencies (id), roles TEXT NOT NULL,"
             " removed_at BIGINT NULL)");
    raw.exec("CREATE TABLE passwords (person_id TEXT NOT NULL PRIMARY KEY REFERENCES people (id), hash TEXT NOT NULL,"
             " updated_at BIGINT NOT NULL)");
    raw.exec("CREATE TABLE api_tokens (id TEXT NOT NULL PRIMARY KEY, person_id TEXT NOT NULL REFERENCES people (id),"
             " token_hash TEXT NOT NULL UNIQUE, label TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT NULL)");
    raw.exec("CREATE TABLE sessions (id_hash TEXT NOT NULL PRIMARY KEY, person_id TEXT NOT NULL REFERENCES people (id),"
             " csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)");
    raw.exec("CREATE TABLE idempotency_keys (actor TEXT NOT NULL, key TEXT NOT NULL, request TEXT NOT NULL,"
             " board_id TEXT NOT NULL, ref TEXT NOT NULL, seq BIGINT NOT NULL, stage TEXT NOT NULL, at BIGINT NOT NULL,"
             " PRIMARY KEY (actor, key))");
    raw.exec("INSERT INTO agencies SELECT id, board_id, name, sector FROM r_agencies");
    raw.exec("INSERT INTO people SELECT id, board_id, name, email, agency_id, roles, removed_at FROM r_people");
    raw.exec("INSERT INTO passwords SELECT person_id, hash, updated_at FROM r_passwords");
    raw.exec("INSERT INTO api_tokens SELECT id, person_id, token_hash, label, created_at, revoked_at FROM r_api_tokens");
    raw.exec("INSERT INTO sessions SELECT id_hash, person_id, csrf_token, created_at, expires_at FROM r_sessions");
    raw.exec("INSERT INTO idempotency_keys SELECT actor, key, request, board_id, ref, seq, stage, at FROM r_idempotency_keys");
    for (const char* table : {"agencies", "people", "passwords", "api_tokens", "sessions", "idempotency_keys"})
      raw.exec(std::string("DROP TABLE r_") + table);
  }
  if (version < 11) {
    raw.exec("ALTER TABLE boards DROP COLUMN revision");
    raw.exec("ALTER TABLE settings DROP COLUMN revision");
  }
  if (version < 10) raw.exec("DROP TABLE idempotency_keys");  // its index with it
  if (version < 9) {
    raw.exec("DROP TABLE failed_sign_ins");
    raw.exec("ALTER TABLE people DROP COLUMN removed_at");
  }
  if (version < 8) {
    raw.exec("DROP INDEX audit_by_board");
    raw.exec("ALTER TABLE audit_log DROP COLUMN board_id");
    raw.exec("ALTER TABLE audit_log DROP COLUMN keyed");
  }
  if (version < 7) raw.exec("DROP TABLE notified_deaths");
  if (version < 6) raw.exec("DROP TABLE review_summaries");
  raw.exec("UPDATE schema_version SET version = " + std::to_string(version));
}

// A file as casereview at schema `version` left it: WAL, the tables of migrations 1 to
// `version`, a board and a review (its record and events, and from version 2 on its timers
// as pending and its notices, in the outbox row of that version).
inline void WriteOlderFile(const std::string& path, int version, const BoardData& board, const ReviewChange& review) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec("PRAGMA journal_mode = WAL");
  SQLite::Transaction tx(raw);
  raw.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  raw.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(version) + ")");
  for (int v = 1; v <= version; ++v)
    for (std::string_view sql : storage::Migrations().at(static_cast<std::size_t>(v - 1)).statements)
      raw.exec(std::string(sql));
  InsertRow(raw, storage::kUpsertBoard, storage::BindBoard, board.board);
  // Agencies and people as every version stored them (the columns of version 1).
  for (const Agency& a : board.agencies)
    InsertRow(raw, "INSERT INTO agencies (id, board_id, name, sector) VALUES (?, ?, ?, ?)", storage::BindAgency, a);
  for (const Person& p : board.people)
    InsertRow(raw, "INSERT INTO people (id, board_id, name, email, agency_id, roles) VALUES (?, ?, ?, ?, ?, ?)",
              storage::BindPerson, p);
  InsertRow(raw, storage::kUpsertReview, storage::BindReview, review.review);
  for (const StoredEvent& e : review.events) InsertRow(raw, storage::kInsertEvent, storage::BindEvent, e);
  if (version >= 2) {
    for (const Timer& t : review.timers.value_or(std::vector<Timer>{}))
      InsertRow(raw, storage::kInsertTimer, storage::BindTimer, t);
    for (const Notice& n : review.notices) {
      if (version >= 4) {
        InsertRow(raw, storage::kInsertNotice, storage::BindNotice, n);
      } else {
        InsertVersion2Notice(raw, n);
      }
    }
  }
  tx.commit();
}

// A version-1 change has no timers or notices.
inline void WriteVersion1File(const std::string& path, const BoardData& board, const ReviewChange& review) {
  WriteOlderFile(path, 1, board, review);
}

// Version 2 added timers and the outbox.
inline void WriteVersion2File(const std::string& path, const BoardData& board, const ReviewChange& review) {
  WriteOlderFile(path, 2, board, review);
}

}  // namespace casereview::testing
