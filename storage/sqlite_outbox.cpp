#include "sqlite_outbox.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <limits>

#include "sqlite_rows.hpp"
#include "sqlite_statements.hpp"

namespace casereview::storage {
namespace {

std::vector<Notice> ReadAll(SQLite::Statement& q) {
  std::vector<Notice> rows;
  while (q.executeStep()) rows.push_back(ReadNotice(q));
  return rows;
}

// What a delivery write that changed no row returns: Ok (the notice was left as it is) if
// the notice is stored, NotFound if not.
Status NotFoundUnlessStored(SQLite::Database& db, const std::string& id) {
  return NoticeStored(db, id) ? Status::Ok() : NoSuchNotice(id);
}

// The board of a stored review; nullopt if the review is not stored.
std::optional<std::string> BoardOfReview(SQLite::Database& db, const std::string& ref) {
  Prepared q_prepared(db, "SELECT board_id FROM reviews WHERE ref = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, ref);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

}  // namespace

bool NoticeStored(SQLite::Database& db, const std::string& id) {
  Prepared q_prepared(db, "SELECT 1 FROM outbox WHERE id = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, id);
  return q.executeStep();
}

std::vector<Notice> SelectNotices(SQLite::Database& db, const NoticeFilter& f) {
  std::string sql = std::string("SELECT ") + kNoticeColumns + " FROM outbox WHERE 1 = 1";
  if (f.review_ref) sql += " AND review_ref = ?";
  if (f.status) sql += " AND status = ?";
  if (f.board_id) sql += " AND board_id = ?";
  sql += " ORDER BY created_at, id";
  Prepared q_prepared(db, sql);
  SQLite::Statement& q = *q_prepared;
  int index = 0;
  if (f.review_ref) q.bind(++index, *f.review_ref);
  if (f.status) q.bind(++index, *f.status);
  if (f.board_id) q.bind(++index, *f.board_id);
  return ReadAll(q);
}

Result<bool> InsertNoticeOnce(SQLite::Database& db, const Notice& n) {
  Prepared board_prepared(db, "SELECT 1 FROM boards WHERE id = ?");
  SQLite::Statement& board = *board_prepared;
  board.bind(1, n.board_id);
  if (!board.executeStep()) return MissingReference("notice " + n.id, "board '" + n.board_id + "'");
  if (!n.review_ref.empty()) {
    auto review_board = BoardOfReview(db, n.review_ref);
    if (!review_board) return MissingReference("notice " + n.id, "review " + n.review_ref);
    if (*review_board != n.board_id) return NoticeOfAnotherBoard(n, *review_board);
  }
  if (NoticeStored(db, n.id)) return false;
  Prepared insert_prepared(db, kInsertNotice);
  SQLite::Statement& insert = *insert_prepared;
  BindNotice(insert, n);
  insert.exec();
  return true;
}

std::vector<Notice> SelectDueNotices(SQLite::Database& db, Instant now, std::size_t limit) {
  Prepared q_prepared(db, std::string("SELECT ") + kNoticeColumns +
                              " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
                              " ORDER BY next_attempt_at, id LIMIT ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, SecondsOf(now));
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  q.bind(2, static_cast<std::int64_t>(limit < kMax ? limit : kMax));
  return ReadAll(q);
}

std::optional<Instant> SelectNextNoticeDue(SQLite::Database& db) {
  SQLite::Column due = db.execAndGet("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
  if (due.isNull()) return std::nullopt;
  return InstantAt(due.getInt64());
}

Status UpdateAttempt(SQLite::Database& db, const std::string& id, int attempts_before, Instant at,
                     Instant retry_at) {
  // The claim: one conditional UPDATE, so of two dispatchers that read the same attempts
  // only the first changes the row. An attempt now under way is the last; its error is not
  // known yet.
  SQLite::Statement claim(db,
                          "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?,"
                          " last_error = '' WHERE id = ? AND status = 'pending' AND attempts = ?");
  claim.bind(1, SecondsOf(at));
  claim.bind(2, SecondsOf(retry_at));
  claim.bind(3, id);
  claim.bind(4, attempts_before);
  if (claim.exec() == 1) return Status::Ok();
  Prepared q_prepared(db, "SELECT status, attempts FROM outbox WHERE id = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, id);
  if (!q.executeStep()) return NoSuchNotice(id);
  return NoticeClaimedMeanwhile(id, attempts_before, q.getColumn(0).getString(), q.getColumn(1).getInt());
}

Status UpdateSent(SQLite::Database& db, const std::string& id, Instant at) {
  SQLite::Statement update(db,
                           "UPDATE outbox SET status = 'sent', sent_at = ?"
                           " WHERE id = ? AND status IN ('pending', 'failed')");
  update.bind(1, SecondsOf(at));
  update.bind(2, id);
  if (update.exec() == 1) return Status::Ok();
  return NotFoundUnlessStored(db, id);  // already sent: left as it is
}

Status UpdateFailure(SQLite::Database& db, const std::string& id, const std::string& error, bool give_up) {
  // next_attempt_at stays as RecordAttempt set it: the attempt's retry_at.
  Prepared update_prepared(db, give_up ? "UPDATE outbox SET status = 'failed', last_error = ?"
                                         " WHERE id = ? AND status = 'pending'"
                                       : "UPDATE outbox SET last_error = ? WHERE id = ? AND status = 'pending'");
  SQLite::Statement& update = *update_prepared;
  update.bind(1, error);
  update.bind(2, id);
  if (update.exec() == 1) return Status::Ok();
  return NotFoundUnlessStored(db, id);  // no longer pending: left as it is
}

Result<std::size_t> RequeueFailedNotices(SQLite::Database& db, const std::optional<std::string>& id, Instant at,
                                         const std::optional<std::string>& board_id) {
  if (id) {
    Prepared q_prepared(db, "SELECT status, board_id FROM outbox WHERE id = ?");
    SQLite::Statement& q = *q_prepared;
    q.bind(1, *id);
    if (!q.executeStep() || (board_id && q.getColumn(1).getString() != *board_id)) return NoSuchNotice(*id);
    std::string status = q.getColumn(0).getString();
    if (status != kNoticeFailed) return NoticeNotFailed(*id, status);
  }
  // The last error and last attempt stay: they say why it failed until it is tried again.
  std::string sql = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE status = 'failed'";
  if (id) sql += " AND id = ?";
  if (board_id) sql += " AND board_id = ?";
  Prepared update_prepared(db, sql);
  SQLite::Statement& update = *update_prepared;
  int index = 1;
  update.bind(index++, SecondsOf(at));
  if (id) update.bind(index++, *id);
  if (board_id) update.bind(index++, *board_id);
  return static_cast<std::size_t>(update.exec());
}

}  // namespace casereview::storage
