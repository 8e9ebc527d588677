#include "bare_sqlite.hpp"

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace casereview::bench {
namespace {

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("open " + path);
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = FULL");
    Exec("PRAGMA foreign_keys = ON");
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db_));
  }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db.get()));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Int(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  void Run() {
    if (sqlite3_step(s_) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_.get()));
    sqlite3_reset(s_);
  }
  sqlite3_stmt* get() { return s_; }

 private:
  Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

// The NHS number each new child death review was notified with, found before the clock
// starts: the bare program writes the index row, it does not parse payloads.
std::map<std::string, std::string> NotifiedNhsNumbers(const std::vector<std::vector<ReviewChange>>& transactions) {
  std::map<std::string, std::string> nhs;
  for (const auto& tx : transactions)
    for (const ReviewChange& c : tx) {
      if (c.review.kind != "cdop" || c.expected_last_seq != 0 || c.events.empty()) continue;
      auto payload = nlohmann::json::parse(c.events.front().payload, nullptr, false);
      if (payload.is_object() && payload.contains("nhs_number") && payload["nhs_number"].is_string())
        nhs[c.review.ref] = payload["nhs_number"].get<std::string>();
    }
  return nhs;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

double BareReplay(const std::string& path, const std::vector<std::vector<ReviewChange>>& transactions) {
  Db db(path);
  Stmt review(db,
              "INSERT INTO reviews (ref, board_id, kind, stage, machine_version, last_seq, open, opened_at,"
              " updated_at, projection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
              " ON CONFLICT (ref) DO UPDATE SET board_id = excluded.board_id, kind = excluded.kind,"
              " stage = excluded.stage, machine_version = excluded.machine_version,"
              " last_seq = excluded.last_seq, open = excluded.open, opened_at = excluded.opened_at,"
              " updated_at = excluded.updated_at, projection = excluded.projection");
  Stmt summary(db,
               "INSERT INTO review_summaries (ref, board_id, kind, stage, open, updated_at, summary)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (ref) DO UPDATE SET board_id = excluded.board_id, kind = excluded.kind,"
               " stage = excluded.stage, open = excluded.open, updated_at = excluded.updated_at,"
               " summary = excluded.summary");
  Stmt event(db, "INSERT INTO review_events (review_ref, seq, type, payload, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?)");
  Stmt timer(db, "INSERT INTO timers (id, review_ref, due, event, payload, status, changed_at)"
                 " VALUES (?, ?, ?, ?, ?, 'pending', NULL)");
  Stmt move(db, "UPDATE timers SET due = ?, event = ?, payload = ? WHERE id = ?");
  Stmt status(db, "UPDATE timers SET status = ?, changed_at = ? WHERE id = ?");
  Stmt notice(db, "INSERT INTO outbox (id, review_ref, kind, recipients, payload, created_at, status, board_id,"
                  " attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?)");
  Stmt notified(db, "INSERT INTO notified_deaths (nhs_number, review_ref) VALUES (?, ?)");
  const std::map<std::string, std::string> nhs = NotifiedNhsNumbers(transactions);
  std::map<std::string, std::map<std::string, std::pair<Timer, bool>>> known;
  auto start = std::chrono::steady_clock::now();
  for (const auto& tx : transactions) {
    db.Exec("BEGIN IMMEDIATE");
    for (const ReviewChange& c : tx) {
      const ReviewRecord& r = c.review;
      review.Text(1, r.ref).Text(2, r.board_id).Text(3, r.kind).Text(4, r.stage).Int(5, r.machine_version);
      review.Int(6, r.last_seq).Int(7, r.open ? 1 : 0).Int(8, Secs(r.opened_at)).Int(9, Secs(r.updated_at));
      review.Text(10, r.projection).Run();
      summary.Text(1, r.ref).Text(2, r.board_id).Text(3, r.kind).Text(4, r.stage).Int(5, r.open ? 1 : 0);
      summary.Int(6, Secs(r.updated_at)).Text(7, r.summary).Run();
      if (auto death = nhs.find(r.ref); c.expected_last_seq == 0 && death != nhs.end())
        notified.Text(1, death->second).Text(2, r.ref).Run();
      for (const StoredEvent& e : c.events)
        event.Text(1, e.review_ref).Int(2, e.seq).Text(3, e.type).Text(4, e.payload).Text(5, e.actor)
            .Int(6, Secs(e.recorded_at)).Run();
      std::int64_t at = Secs(c.events.empty() ? r.updated_at : c.events.back().recorded_at);
      auto& mine = known[r.ref];  // every timer of the review ever written: id -> (timer, pending)
      if (c.firing) {
        status.Text(1, "fired").Int(2, at).Text(3, c.firing->id).Run();
        mine[c.firing->id].second = false;
      }
      if (c.timers) {
        std::map<std::string, const Timer*> listed;
        for (const Timer& t : *c.timers) listed[t.id] = &t;
        for (auto& [id, entry] : mine) {
          if (entry.second && !listed.count(id)) {
            status.Text(1, "cancelled").Int(2, at).Text(3, id).Run();
            entry.second = false;
          }
        }
        for (const auto& [id, t] : listed) {
          auto old = mine.find(id);
          if (old == mine.end()) {
            timer.Text(1, t->id).Text(2, t->review_ref).Int(3, Secs(t->due)).Text(4, t->event).Text(5, t->payload).Run();
            mine[id] = {*t, true};
          } else if (old->second.second && !(old->second.first == *t)) {
            move.Int(1, Secs(t->due)).Text(2, t->event).Text(3, t->payload).Text(4, t->id).Run();
            old->second.first = *t;
          }
        }
      }
      for (const Notice& n : c.notices) {
        std::string recipients = Join(n.recipients);
        notice.Text(1, n.id).Text(2, n.review_ref).Text(3, n.kind).Text(4, recipients).Text(5, n.payload)
            .Int(6, Secs(n.created_at)).Text(7, n.board_id).Int(8, Secs(n.next_attempt_at)).Run();
      }
    }
    db.Exec("COMMIT");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double BareReadAll(const std::string& path, std::int64_t& rows) {
  auto start = std::chrono::steady_clock::now();
  Db db(path);
  rows = 0;
  std::int64_t bytes = 0;
  for (const char* sql : {"SELECT ref, board_id, kind, stage, machine_version, last_seq, open, opened_at,"
                          " updated_at, projection FROM reviews ORDER BY ref",
                          "SELECT review_ref, seq, type, payload, actor, recorded_at FROM review_events"
                          " ORDER BY review_ref, seq"}) {
    Stmt q(db, sql);
    const int columns = sqlite3_column_count(q.get());
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
      ++rows;
      for (int i = 0; i < columns; ++i) bytes += sqlite3_column_bytes(q.get(), i);
    }
  }
  if (bytes < 0) rows = -1;  // keeps the reads from being optimised away
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BulkTimers(const std::string& path, std::int64_t reviews, int per_review, Instant first_due) {
  Db db(path);
  Stmt review(db, "INSERT INTO reviews (ref, board_id, kind, stage, machine_version, last_seq, open, opened_at,"
                  " updated_at, projection) VALUES (?, 'nat', 'scr', 'Closed', 1, 0, 0, 0, 0, '{}')");
  Stmt timer(db, "INSERT INTO timers (id, review_ref, due, event, payload, status, changed_at)"
                 " VALUES (?, ?, ?, 'DeadlineReminderDue', '{}', 'pending', NULL)");
  const std::int64_t spread = 2 * 365 * 86400;
  const std::int64_t total = reviews * per_review;
  db.Exec("BEGIN IMMEDIATE");
  for (std::int64_t r = 0; r < reviews; ++r) {
    std::string ref = "BULK-" + std::to_string(r);
    review.Text(1, ref).Run();
    for (int k = 0; k < per_review; ++k) {
      std::int64_t n = r * per_review + k;
      std::string id = ref + "/t" + std::to_string(k);
      // Spread evenly (a multiplicative hash of n), so due order is not insertion order.
      std::int64_t offset = (n * 2654435761LL) % total * spread / total;
      timer.Text(1, id).Text(2, ref).Int(3, Secs(first_due) + offset).Run();
    }
  }
  db.Exec("COMMIT");
}

std::int64_t BareMoveDue(const std::string& path, const std::vector<Timer>& timers, Instant due) {
  Db db(path);
  Stmt move(db, "UPDATE timers SET due = ? WHERE id = ? AND status = 'pending'");
  std::int64_t changed = 0;
  db.Exec("BEGIN IMMEDIATE");
  for (const Timer& t : timers) {
    move.Int(1, Secs(due)).Text(2, t.id).Run();
    changed += sqlite3_changes(db.get());
  }
  db.Exec("COMMIT");
  return changed;
}

}  // namespace casereview::bench
