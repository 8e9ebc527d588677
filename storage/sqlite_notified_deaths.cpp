#include "sqlite_notified_deaths.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include "notified_deaths.hpp"
#include "sqlite_statements.hpp"

namespace casereview::storage {
namespace {

constexpr const char* kInsertNotifiedDeath = "INSERT INTO notified_deaths (nhs_number, review_ref) VALUES (?, ?)";

void Insert(SQLite::Statement& insert, const std::string& nhs_number, const std::string& ref) {
  insert.bind(1, nhs_number);
  insert.bind(2, ref);
  insert.exec();
}

}  // namespace

void IndexNotifiedDeath(SQLite::Database& db, const ReviewChange& c) {
  std::string nhs = NotifiedNhsNumber(c);
  if (nhs.empty()) return;
  Prepared insert(db, kInsertNotifiedDeath);
  Insert(*insert, nhs, c.review.ref);
}

// The primary key (nhs_number, review_ref) is the index: one seek, the first ref in order.
std::optional<std::string> SelectNotifiedDeath(SQLite::Database& db, const std::string& nhs_number) {
  Prepared prepared(db, "SELECT review_ref FROM notified_deaths WHERE nhs_number = ? ORDER BY review_ref LIMIT 1");
  SQLite::Statement& q = *prepared;
  q.bind(1, nhs_number);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

void BackfillNotifiedDeaths(SQLite::Database& db) {
  SQLite::Statement openings(db,
                             "SELECT r.ref, r.kind, e.payload FROM reviews r"
                             " JOIN review_events e ON e.review_ref = r.ref AND e.seq = 1"
                             " WHERE r.kind = 'cdop'");
  SQLite::Statement insert(db, kInsertNotifiedDeath);
  while (openings.executeStep()) {
    std::string nhs = NotifiedNhsNumber(openings.getColumn(1).getString(), openings.getColumn(2).getString());
    if (nhs.empty()) continue;
    insert.reset();
    Insert(insert, nhs, openings.getColumn(0).getString());
  }
}

}  // namespace casereview::storage
