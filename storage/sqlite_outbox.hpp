// The outbox after Commit has queued its notices: a board's own notices queued on their own,
// the notifier's reads, and each step of a delivery. Private to storage/.
//
// Every function throws SQLite::Exception on a database error; the caller (SqliteStore)
// translates it. The writes run in the caller's write transaction. The rules are store.hpp's,
// with the messages of sqlite_rows.hpp, so the memory store gives the same answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

// Whether a notice with this id was ever queued.
bool NoticeStored(SQLite::Database& db, const std::string& id);

// By created_at then id.
std::vector<Notice> SelectNotices(SQLite::Database& db, const NoticeFilter& f);

// Queues `n` unless its id is stored (false). NotFound if its board or its review is not
// stored; InvalidArgument if the review is another board's.
// REQUIRES: inside a write transaction, CheckNewNotice(n) is Ok.
Result<bool> InsertNoticeOnce(SQLite::Database& db, const Notice& n);

// Pending notices whose next attempt is due at or before `now`, by next_attempt_at then id,
// at most `limit`.
std::vector<Notice> SelectDueNotices(SQLite::Database& db, Instant now, std::size_t limit);
std::optional<Instant> SelectNextNoticeDue(SQLite::Database& db);

// The delivery steps of store.hpp. REQUIRES: inside a write transaction.
Status UpdateAttempt(SQLite::Database& db, const std::string& id, int attempts_before, Instant at,
                     Instant retry_at);
Status UpdateSent(SQLite::Database& db, const std::string& id, Instant at);
Status UpdateFailure(SQLite::Database& db, const std::string& id, const std::string& error, bool give_up);
Result<std::size_t> RequeueFailedNotices(SQLite::Database& db, const std::optional<std::string>& id, Instant at,
                                         const std::optional<std::string>& board_id);

}  // namespace casereview::storage
