// Prepared statements kept for the life of a connection. Preparing a statement parses and
// plans its SQL; the store runs the same few dozen statements on every command, so a
// connection that asks for it (the store's own) keeps each one prepared and reuses it.
//
// Thread safety: a connection is used from one thread at a time (store.hpp); the registry
// of connections is locked.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>

namespace casereview::storage {

// Keeps prepared statements for `db` until ForgetStatements. REQUIRES: ForgetStatements(db)
// before `db` is closed.
void KeepStatements(SQLite::Database& db);
void ForgetStatements(SQLite::Database& db);

// A statement for `sql` on `db`: the kept one when `db` keeps statements and it is not in
// use already, otherwise one prepared for this use. Either way it starts with no bindings,
// and it is reset (its read snapshot released) when the Prepared goes.
class Prepared {
 public:
  Prepared(SQLite::Database& db, const std::string& sql);
  ~Prepared();
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  SQLite::Statement& operator*() const { return *statement_; }

  struct Kept;  // sqlite_statements.cpp

 private:
  Kept* kept_ = nullptr;                    // borrowed from the connection's cache
  std::unique_ptr<SQLite::Statement> own_;  // when none could be borrowed
  SQLite::Statement* statement_ = nullptr;
};

}  // namespace casereview::storage
