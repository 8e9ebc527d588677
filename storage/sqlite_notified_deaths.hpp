// The notified_deaths table (schema version 7): the NHS number each child death review was
// opened for, indexed, so a new notification finds an earlier one of the same death without
// reading any review's log (Store::FindNotifiedDeath). Private to storage/.
//
// Every function throws SQLite::Exception on a database error; the caller translates it.
#pragma once

#include <optional>
#include <string>

#include "casereview/store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

// Indexes the death `c` was opened for, when it opens a child death review with an NHS number
// (NotifiedNhsNumber); nothing otherwise. REQUIRES: inside Commit's write transaction, after
// the review's own row is written (the foreign key points at it).
void IndexNotifiedDeath(SQLite::Database& db, const ReviewChange& c);

// The first review by ref opened for a death with this NHS number; nullopt when none was.
std::optional<std::string> SelectNotifiedDeath(SQLite::Database& db, const std::string& nhs_number);

// Indexes every stored child death review from its opening event. The migration to version 7
// runs it once, in its transaction.
void BackfillNotifiedDeaths(SQLite::Database& db);

}  // namespace casereview::storage
