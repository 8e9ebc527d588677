// The store's schema and how a SQLite connection is prepared for it. Private to storage/.
//
// The schema is portable SQL (TEXT, INTEGER, BIGINT; timestamps as Unix seconds; booleans as
// 0/1; no AUTOINCREMENT), so a PostgreSQL store can apply the same migrations. The
// `schema_version` table holds one row: the version of the last migration applied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

// The functions below that touch a database throw SQLite::Exception on a database error;
// the caller (OpenSqliteStore) translates it into a Status with context.

// One step of the schema. Each statement is a single portable SQL statement.
struct Migration {
  int version;  // 1, 2, ... with no gaps: Migrations()[i].version == i + 1
  std::vector<std::string_view> statements;
  // Rows that SQL alone cannot derive (they need a JSON read model parsed), written after the
  // statements in the same transaction; nullptr for most versions. Portable SQL too: another
  // store's migration runs the same step in its own code.
  void (*backfill)(SQLite::Database& db) = nullptr;
};

// Every migration, oldest first. Append only: a released migration never changes.
const std::vector<Migration>& Migrations();
int LatestSchemaVersion();

// Applies the connection settings the store's durability rests on: WAL journal,
// synchronous=FULL, foreign keys enforced. (The busy timeout is given when the connection
// is opened.) Writes nothing unless the file is not yet in WAL mode.
// REQUIRES: db is open read-write. `path` only names the file in messages.
Status ConfigureConnection(SQLite::Database& db, const std::string& path);

// Refuses, reading only, a file that holds some other program's tables or a schema
// newer than this build's. An empty file, or one of ours, is Ok.
Status CheckOwnership(SQLite::Database& db, const std::string& path);

// Brings the schema up to LatestSchemaVersion() in one IMMEDIATE transaction. When the
// schema is already current it only reads, so opening a database never changes the file.
// Runs CheckOwnership again under the write lock before changing anything.
Status MigrateToLatest(SQLite::Database& db, const std::string& path);

}  // namespace casereview::storage
