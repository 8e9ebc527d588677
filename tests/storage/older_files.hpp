// Database files as earlier casereview builds left them, for the upgrade scenarios. Each is
// written with the released migrations (append only, so their text never changes) and the
// row mappings of tables that version already had.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>

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

// A file as a version-1 casereview left it: WAL, the version-1 tables, a board and a
// review (its record and events; a version-1 change has no timers or notices).
inline void WriteVersion1File(const std::string& path, const BoardData& board, const ReviewChange& review) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec("PRAGMA journal_mode = WAL");
  SQLite::Transaction tx(raw);
  raw.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  raw.exec("INSERT INTO schema_version (version) VALUES (1)");
  for (std::string_view sql : storage::Migrations().at(0).statements) raw.exec(std::string(sql));
  InsertRow(raw, storage::kUpsertBoard, storage::BindBoard, board.board);
  for (const Agency& a : board.agencies) InsertRow(raw, storage::kUpsertAgency, storage::BindAgency, a);
  for (const Person& p : board.people) InsertRow(raw, storage::kUpsertPerson, storage::BindPerson, p);
  InsertRow(raw, storage::kUpsertReview, storage::BindReview, review.review);
  for (const StoredEvent& e : review.events) InsertRow(raw, storage::kInsertEvent, storage::BindEvent, e);
  tx.commit();
}

}  // namespace casereview::testing
