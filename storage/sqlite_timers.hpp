// What Commit writes besides the log — a review's durable timers and its notices in the
// outbox — and the reads the scheduler makes of the timers (the outbox after Commit is
// sqlite_outbox.hpp's). Private to storage/.
//
// Every function throws SQLite::Exception on a database error; the caller (SqliteStore)
// translates it. The rules are store.hpp's, with the messages of sqlite_rows.hpp, so the
// memory store gives the same answers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

// A stored timer as reconciling needs it: its status, and what a move would rewrite.
struct StoredTimer {
  std::string status;
  std::int64_t due = 0;
  std::string event;
  std::string payload;
};
// Every timer a review has stored, pending or not, by id.
using StoredTimers = std::map<std::string, StoredTimer, std::less<>>;

// Reads only. Conflict if the timer being fired is no longer pending with the due time the
// caller saw, or a notice id is already in the outbox (or listed twice); InvalidArgument if
// a listed timer's id is another review's timer. When the change lists timers, `stored` is
// set to the review's stored timers, read once for this check and WriteTimersAndNotices.
// REQUIRES: inside Commit's write transaction, CheckTimersAndNoticesOf(c) is Ok.
Status CheckTimersAndNoticesAgainst(SQLite::Database& db, const ReviewChange& c, StoredTimers& stored);

// Marks the fired timer fired, reconciles the review's timers with c.timers (store.hpp)
// and queues the notices.
// REQUIRES: CheckTimersAndNoticesAgainst(db, c, stored) was Ok in this transaction, nothing
// has written the review's timers since, and the review's row is written (the foreign keys
// point at it).
void WriteTimersAndNotices(SQLite::Database& db, const ReviewChange& c, StoredTimers stored);

// Pending timers due at or before `now`, by due then id, at most `limit`.
std::vector<Timer> SelectDueTimers(SQLite::Database& db, Instant now, std::size_t limit);
std::optional<Instant> SelectNextTimerDue(SQLite::Database& db);
std::vector<Timer> SelectPendingTimers(SQLite::Database& db, const std::string& ref);
// The stored status text of timer `id`; nullopt if there is no such timer.
std::optional<std::string> SelectTimerStatus(SQLite::Database& db, const std::string& id);

}  // namespace casereview::storage
