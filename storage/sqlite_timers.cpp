#include "sqlite_timers.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "sqlite_outbox.hpp"
#include "sqlite_rows.hpp"
#include "sqlite_statements.hpp"

namespace casereview::storage {
namespace {

constexpr const char* kPending = "pending";

// When a timer stopped being pending: the moment the change was recorded (a re-projection
// records no event: the moment it rewrote the review).
std::int64_t ChangedAt(const ReviewChange& c) {
  return SecondsOf(c.events.empty() ? c.review.updated_at : c.events.back().recorded_at);
}

template <class Row>
std::vector<Row> SelectRows(SQLite::Statement& q, Row (*read)(const SQLite::Statement&)) {
  std::vector<Row> rows;
  while (q.executeStep()) rows.push_back(read(q));
  return rows;
}

// The timer of that id still is the one the caller saw, waiting to fire.
bool StillPending(SQLite::Database& db, const Timer& firing) {
  Prepared q_prepared(db, "SELECT review_ref, due, status FROM timers WHERE id = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, firing.id);
  if (!q.executeStep()) return false;
  return q.getColumn(0).getString() == firing.review_ref && q.getColumn(1).getInt64() == SecondsOf(firing.due) &&
         q.getColumn(2).getString() == kPending;
}

// The review a stored timer belongs to; nullopt if the id is new.
std::optional<std::string> StoredTimerReview(SQLite::Database& db, const std::string& id) {
  Prepared q_prepared(db, "SELECT review_ref FROM timers WHERE id = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

StoredTimers SelectReviewTimers(SQLite::Database& db, const std::string& ref) {
  StoredTimers stored;
  Prepared q_prepared(db, "SELECT id, status, due, event, payload FROM timers WHERE review_ref = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, ref);
  while (q.executeStep())
    stored.emplace(q.getColumn(0).getString(), StoredTimer{q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                                                           q.getColumn(3).getString(), q.getColumn(4).getString()});
  return stored;
}

void SetStatus(SQLite::Database& db, const std::string& id, const char* status, std::int64_t at) {
  Prepared update_prepared(db, "UPDATE timers SET status = ?, changed_at = ? WHERE id = ?");
  SQLite::Statement& update = *update_prepared;
  update.bind(1, status);
  update.bind(2, at);
  update.bind(3, id);
  update.exec();
}

// Pending timers not listed are cancelled; listed ones are added, or moved while pending
// (a listed timer already as stored is left alone: a command re-lists every pending timer of
// its review, and most are unchanged). A timer that fired or was cancelled keeps its row as
// it is, listed or not. `stored`: the review's timers as they now stand.
void ReconcileTimers(SQLite::Database& db, const ReviewChange& c, const StoredTimers& stored) {
  std::set<std::string_view> listed;
  for (const Timer& t : *c.timers) listed.insert(t.id);
  for (const auto& [id, row] : stored) {
    if (row.status == kPending && !listed.count(id))
      SetStatus(db, id, TimerStatusName(TimerStatus::kCancelled), ChangedAt(c));
  }

  Prepared insert_prepared(db, kInsertTimer);
  SQLite::Statement& insert = *insert_prepared;
  Prepared move_prepared(db, "UPDATE timers SET due = ?, event = ?, payload = ? WHERE id = ?");
  SQLite::Statement& move = *move_prepared;
  for (const Timer& t : *c.timers) {
    auto found = stored.find(t.id);
    if (found == stored.end()) {
      insert.reset();
      BindTimer(insert, t);
      insert.exec();
    } else if (const StoredTimer& row = found->second; row.status == kPending &&
               (row.due != SecondsOf(t.due) || row.event != t.event || row.payload != t.payload)) {
      move.reset();
      move.bind(1, SecondsOf(t.due));
      move.bind(2, t.event);
      move.bind(3, t.payload);
      move.bind(4, t.id);
      move.exec();
    }
  }
}

}  // namespace

Status CheckTimersAndNoticesAgainst(SQLite::Database& db, const ReviewChange& c, StoredTimers& stored) {
  if (c.firing && !StillPending(db, *c.firing)) return TimerMovedMeanwhile(*c.firing);
  if (c.timers) {
    // Most listed timers are the review's own, already stored: read those once (for the
    // reconciling too), and look up only the others (new ones, or one another review holds).
    stored = SelectReviewTimers(db, c.review.ref);
    for (const Timer& t : *c.timers) {
      if (t.review_ref == c.review.ref && stored.count(t.id)) continue;
      auto owner = StoredTimerReview(db, t.id);
      if (owner && *owner != t.review_ref) return TimerOfAnotherReview(t, *owner);
    }
  }
  std::set<std::string, std::less<>> queued;
  for (const Notice& n : c.notices)
    if (!queued.insert(n.id).second || NoticeStored(db, n.id)) return NoticeAlreadyQueued(n);
  return Status::Ok();
}

void WriteTimersAndNotices(SQLite::Database& db, const ReviewChange& c, StoredTimers stored) {
  // First, so that reconciling sees the fired timer as fired and leaves it so.
  if (c.firing) {
    SetStatus(db, c.firing->id, TimerStatusName(TimerStatus::kFired), ChangedAt(c));
    if (auto fired = stored.find(c.firing->id); fired != stored.end())
      fired->second.status = TimerStatusName(TimerStatus::kFired);
  }
  if (c.timers) ReconcileTimers(db, c, stored);
  Prepared insert_prepared(db, kInsertNotice);
  SQLite::Statement& insert = *insert_prepared;
  for (const Notice& n : c.notices) {
    insert.reset();
    BindNotice(insert, n);
    insert.exec();
  }
}

std::vector<Timer> SelectDueTimers(SQLite::Database& db, Instant now, std::size_t limit) {
  Prepared q_prepared(db, std::string("SELECT ") + kTimerColumns +
                              " FROM timers WHERE status = 'pending' AND due <= ? ORDER BY due, id LIMIT ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, SecondsOf(now));
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  q.bind(2, static_cast<std::int64_t>(limit < kMax ? limit : kMax));
  return SelectRows(q, ReadTimer);
}

std::optional<Instant> SelectNextTimerDue(SQLite::Database& db) {
  SQLite::Column due = db.execAndGet("SELECT MIN(due) FROM timers WHERE status = 'pending'");
  if (due.isNull()) return std::nullopt;
  return InstantAt(due.getInt64());
}

std::vector<Timer> SelectPendingTimers(SQLite::Database& db, const std::string& ref) {
  // Sorted here, not by ORDER BY: given ORDER BY due, id, SQLite prefers the (status, due, id)
  // index that yields that order and walks every pending timer of every review (a million of
  // them, national scale) instead of this review's few through timers_by_review.
  Prepared q_prepared(db, std::string("SELECT ") + kTimerColumns +
                              " FROM timers WHERE review_ref = ? AND status = 'pending'");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, ref);
  std::vector<Timer> timers = SelectRows(q, ReadTimer);
  std::sort(timers.begin(), timers.end(),
            [](const Timer& a, const Timer& b) { return std::tie(a.due, a.id) < std::tie(b.due, b.id); });
  return timers;
}

std::optional<std::string> SelectTimerStatus(SQLite::Database& db, const std::string& id) {
  Prepared q_prepared(db, "SELECT status FROM timers WHERE id = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

}  // namespace casereview::storage
