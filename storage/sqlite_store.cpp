// The SQLite Store: one file, WAL journal, every write in a BEGIN IMMEDIATE transaction.
//
// SQLite::Exception never leaves this file: Translate() turns it into a StorageError that
// names the operation, the review and the database. Writes take the write lock up front,
// so the check-then-write of Commit cannot interleave with another process's.
#include "casereview/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cassert>
#include <climits>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "audit_seal.hpp"
#include "sqlite_access.hpp"
#include "sqlite_outbox.hpp"
#include "sqlite_rows.hpp"
#include "sqlite_schema.hpp"
#include "sqlite_statements.hpp"
#include "sqlite_notified_deaths.hpp"
#include "sqlite_summaries.hpp"
#include "sqlite_timers.hpp"
#include "sqlite_writer_turn.hpp"

namespace casereview {
namespace {

using namespace casereview::storage;

// The one place a library error becomes a Status. `writing`: the failed operation was a
// write, which the transaction rolled back.
Status Translate(const std::string& what, const std::string& path, std::chrono::milliseconds busy_timeout,
                 const std::exception& e, bool writing) {
  const auto* db_error = dynamic_cast<const SQLite::Exception*>(&e);
  int code = db_error ? (db_error->getErrorCode() & 0xff) : SQLITE_ERROR;
  std::string text = "could not " + what + ": ";
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    text += "the database " + path + " is busy: another process held it for longer than the " +
            std::to_string(busy_timeout.count()) + " ms timeout";
  } else if (code == SQLITE_NOTADB) {
    text += "the file " + path + " is not a casereview database (" + e.what() + ")";
  } else {
    text += std::string(e.what()) + " (database " + path + ")";
  }
  if (writing) text += "; nothing was recorded";
  return Status::StorageError(text);
}

class SqliteStore final : public Store {
 public:
  SqliteStore(SQLite::Database db, std::string path, std::chrono::milliseconds busy_timeout,
              std::unique_ptr<AuditSealKeeper> seal)
      : db_(std::move(db)),
        path_(std::move(path)),
        busy_timeout_(busy_timeout),
        writer_turn_(WriterTurnFor(path_)),
        seal_(std::move(seal)) {
    KeepStatements(db_);  // every command runs the same statements: prepare each once
  }
  ~SqliteStore() override { ForgetStatements(db_); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status PutBoard(const Board& b) override {
    return Write("save board " + b.id, [&] { return WriteBoard(b); });
  }
  Status PutAgency(const Agency& a) override {
    return Write("save agency " + a.id, [&] { return WriteAgency(a); });
  }
  Status PutPerson(const Person& p) override {
    return Write("save person " + p.id, [&] { return WritePerson(p); });
  }
  Status ImportBoardData(const BoardData& d) override;

  Result<std::vector<Board>> ListBoards() override;
  Result<std::vector<Agency>> ListAgencies(std::string_view board_id) override;
  Result<std::vector<Person>> ListPeople(std::string_view board_id) override;
  Result<std::int64_t> BoardRevision(std::string_view board_id) override {
    return Revision("board", "SELECT revision FROM boards WHERE id = ?", std::string(board_id));
  }

  Result<ReviewRecord> GetReview(std::string_view ref) override;
  Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) override;
  Result<std::vector<ReviewSummary>> ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) override;
  Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) override;
  Result<std::int64_t> CountReviewsWithPrefix(std::string_view prefix) override;
  Result<std::optional<std::string>> FindNotifiedDeath(std::string_view nhs_number) override {
    std::string nhs(nhs_number);
    return Read<std::optional<std::string>>("look for an earlier notification of this death",
                                            [&] { return SelectNotifiedDeath(db_, nhs); });
  }
  Status Commit(const ReviewChange& change) override;
  Status CommitAll(std::span<const ReviewChange> changes) override;

  Result<std::vector<Timer>> DueTimers(Instant now, std::size_t limit) override;
  Result<std::optional<Instant>> NextTimerDue() override;
  Result<std::vector<Timer>> PendingTimers(std::string_view ref) override;
  Result<TimerStatus> GetTimerStatus(std::string_view timer_id) override;
  Result<std::vector<Notice>> ListNotices(const NoticeFilter& f) override;
  Result<bool> QueueNotice(const Notice& n) override;
  Result<std::vector<Notice>> DueNotices(Instant now, std::size_t limit) override;
  Result<std::optional<Instant>> NextNoticeDue() override;
  Status RecordAttempt(std::string_view id, int attempts_before, Instant at, Instant retry_at) override;
  Status RecordSent(std::string_view id, Instant at) override;
  Status RecordFailure(std::string_view id, std::string_view error, bool give_up) override;
  Result<std::size_t> RequeueFailed(std::optional<std::string> id, Instant at,
                                    std::optional<std::string> board_id) override;

  Status PutSetting(std::string_view key, std::string_view value, Instant at) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Result<std::int64_t> SettingRevision(std::string_view key) override {
    return Revision("setting", "SELECT revision FROM settings WHERE key = ?", std::string(key));
  }

  Status PutPasswordHash(std::string_view board_id, std::string_view person_id, std::string_view hash,
                         Instant at) override {
    std::string board(board_id), id(person_id), h(hash);
    return Write("save the password of " + id, [&] { return UpsertPasswordHash(db_, board, id, h, at); });
  }
  Result<std::optional<std::string>> GetPasswordHash(std::string_view board_id, std::string_view person_id) override {
    std::string board(board_id), id(person_id);
    return Read<std::optional<std::string>>("read the password of " + id,
                                            [&] { return SelectPasswordHash(db_, board, id); });
  }
  Status PutApiToken(const ApiToken& t) override {
    CR_RETURN_IF_ERROR(CheckNewToken(t));
    return Write("save token " + t.id, [&] { return InsertToken(db_, t); });
  }
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    std::string h(token_hash);
    return Read<std::optional<ApiToken>>("find a token", [&] { return SelectTokenByHash(db_, h); });
  }
  Result<std::vector<ApiToken>> ListApiTokens(std::string_view board_id, std::string_view person_id) override {
    std::string board(board_id), id(person_id);
    return Read<std::vector<ApiToken>>("list tokens", [&] { return SelectTokens(db_, board, id); });
  }
  Status RevokeApiToken(std::string_view id, Instant at) override {
    std::string i(id);
    return Write("revoke token " + i, [&] { return UpdateTokenRevoked(db_, i, at); });
  }
  Status PutSession(const Session& session) override {
    CR_RETURN_IF_ERROR(CheckNewSession(session));
    return Write("start a session", [&] { return InsertSession(db_, session); });
  }
  Result<std::optional<Session>> FindSession(std::string_view id_hash) override {
    std::string h(id_hash);
    return Read<std::optional<Session>>("find a session", [&] { return SelectSession(db_, h); });
  }
  Status DeleteSession(std::string_view id_hash) override {
    std::string h(id_hash);
    return Write("end a session", [&] {
      DeleteSessionRow(db_, h);
      return Status::Ok();
    });
  }
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override {
    std::int64_t deleted = 0;
    CR_RETURN_IF_ERROR(Write("end expired sessions", [&] {
      deleted = DeleteSessionsExpiredBy(db_, now);
      return Status::Ok();
    }));
    return deleted;
  }
  Status RemovePerson(std::string_view board_id, std::string_view person_id, Instant at) override {
    std::string board(board_id), id(person_id);
    return Write("remove person " + id, [&] {
      CR_RETURN_IF_ERROR(UpdatePersonRemoved(db_, board, id, at));
      BumpBoardRevision(board);
      return Status::Ok();
    });
  }
  Status RecordFailedSignIn(std::string_view account, std::string_view address, Instant at,
                            Instant window_start) override {
    std::string a(account), ip(address);
    return Write("count a wrong password", [&] {
      UpsertFailedSignIn(db_, a, ip, at, window_start);
      return Status::Ok();
    });
  }
  Result<SignInFailures> CountFailedSignIns(std::string_view account, std::string_view address,
                                            Instant window_start) override {
    std::string a(account), ip(address);
    return Read<SignInFailures>("count wrong passwords", [&] { return SelectFailedSignIns(db_, a, ip, window_start); });
  }
  Status CountThrottledSignIn(std::string_view account, std::string_view address) override {
    std::string a(account), ip(address);
    return Write("count a throttled sign-in", [&] {
      UpdateThrottledSignIn(db_, a, ip);
      return Status::Ok();
    });
  }
  Status ClearFailedSignIns(std::string_view account, std::string_view address) override {
    std::string a(account), ip(address);
    return Write("clear wrong passwords", [&] {
      DeleteFailedSignIns(db_, a, ip);
      return Status::Ok();
    });
  }
  Result<AuditEntry> AppendAudit(const AuditEntry& e) override {
    CR_RETURN_IF_ERROR(CheckNewAuditEntry(e));
    AuditEntry written;
    AuditKey key;
    CR_RETURN_IF_ERROR(Write("append to the audit log", [&] {
      auto inserted = InsertAuditEntry(db_, e, *seal_, key);
      if (!inserted.ok()) return inserted.status();
      written = *inserted;
      return Status::Ok();
    }));
    // After the commit: the witness may lag the log, never lead it.
    CR_RETURN_IF_ERROR(seal_->Advance(key, written.seq, written.hash));
    return written;
  }
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override {
    return Read<std::vector<AuditEntry>>("read the audit log", [&] { return SelectAudit(db_, f); });
  }
  Result<AuditSeal> ReadAuditSeal() override { return seal_->Read(); }

  Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view board_id, std::string_view actor,
                                                            std::string_view key, Instant since) override {
    std::string b(board_id), a(actor), k(key);
    return Read<std::optional<IdempotencyRecord>>("look up a request's Idempotency-Key",
                                                  [&] { return SelectIdempotency(db_, b, a, k, since); });
  }
  Status PutIdempotency(const IdempotencyRecord& r, Instant forget_before) override {
    CR_RETURN_IF_ERROR(CheckIdempotencyRecord(r));
    return Write("keep a request's Idempotency-Key", [&] { return InsertIdempotency(db_, r, forget_before); });
  }

 private:
  // Runs `read` (which returns T) and translates a database error about `what`.
  template <class T, class F>
  Result<T> Read(const std::string& what, F&& read) {
    try {
      return read();
    } catch (const std::exception& e) {
      return Translate(what, path_, busy_timeout_, e, /*writing=*/false);
    }
  }

  // Runs `write` (which returns Status) in a BEGIN IMMEDIATE transaction, committed only if
  // it returns Ok: all or nothing. The lock is taken before anything is read, waiting up to
  // busy_timeout_ for this process's other writers (their turn), then as long for another
  // process's.
  template <class F>
  Status Write(const std::string& what, F&& write) {
    std::unique_lock turn(*writer_turn_, std::defer_lock);
    if (!turn.try_lock_for(busy_timeout_))
      return Status::StorageError("could not " + what + ": the database " + path_ + " is busy: this process's other writers held it for longer than the " +
                                  std::to_string(busy_timeout_.count()) + " ms timeout; nothing was recorded");
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      Status s = write();
      if (s.ok()) tx.commit();  // otherwise ~Transaction rolls back
      return s;
    } catch (const std::exception& e) {
      return Translate(what, path_, busy_timeout_, e, /*writing=*/true);
    }
  }

  // The last audit entry a write appended, to move the witness to once it is committed.
  struct AuditHead {
    bool appended = false;
    AuditKey key;
    std::int64_t seq = 0;
    std::string hash;
  };
  // The change's audit entries, after the last entry (InsertAuditEntry); the target of an
  // entry that names none is the change's review.
  Status AppendChangeAudit(const ReviewChange& c, AuditHead& head);
  // After the commit: the witness may lag the log, never lead it.
  Status AdvanceWitness(const AuditHead& head) {
    return head.appended ? seal_->Advance(head.key, head.seq, head.hash) : Status::Ok();
  }

  // The revision `sql` selects for `key` (Store::BoardRevision, SettingRevision); 0 when none.
  Result<std::int64_t> Revision(const char* what, const char* sql, const std::string& key) {
    return Read<std::int64_t>(std::string("read the revision of ") + what + " " + key, [&]() -> std::int64_t {
      Prepared q(db_, sql);
      (*q).bind(1, key);
      return (*q).executeStep() ? (*q).getColumn(0).getInt64() : 0;
    });
  }

  // The Write* helpers run inside Write(): they check references, then upsert one row.
  Status WriteChange(const ReviewChange& c, AuditHead& head);
  Status WriteBoard(const Board& b);
  Status WriteAgency(const Agency& a);
  Status WritePerson(const Person& p);
  // Counts up the board's revision (Store::BoardRevision), in the write under way.
  void BumpBoardRevision(const std::string& board_id);
  bool Exists(const char* sql, std::initializer_list<std::string> params);
  std::int64_t StoredLastSeq(const std::string& ref);

  template <class Row>
  std::vector<Row> Select(const std::string& sql, Row (*read)(const SQLite::Statement&),
                          const std::vector<std::string>& params) {
    Prepared q_prepared(db_, sql);
  SQLite::Statement& q = *q_prepared;
    for (std::size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
    std::vector<Row> rows;
    while (q.executeStep()) rows.push_back(read(q));
    return rows;
  }

  SQLite::Database db_;
  std::string path_;
  std::chrono::milliseconds busy_timeout_;
  std::shared_ptr<std::timed_mutex> writer_turn_;  // shared with this process's other connections to the file
  std::unique_ptr<AuditSealKeeper> seal_;          // the audit log's key and witness, outside the file
};

// ---------------------------------------------------------------------------------------
// Board set-up

constexpr const char* kBoardExists = "SELECT 1 FROM boards WHERE id = ?";
constexpr const char* kAgencyOnBoard = "SELECT 1 FROM agencies WHERE id = ? AND board_id = ?";

bool SqliteStore::Exists(const char* sql, std::initializer_list<std::string> params) {
  Prepared q_prepared(db_, sql);
  SQLite::Statement& q = *q_prepared;
  int index = 0;
  for (const std::string& p : params) q.bind(++index, p);
  return q.executeStep();
}

Status SqliteStore::WriteBoard(const Board& b) {
  CR_RETURN_IF_ERROR(CheckListItems(b.quorum.required_sectors, "board " + b.id + ": required sector"));
  Prepared upsert_prepared(db_, kUpsertBoard);
  SQLite::Statement& upsert = *upsert_prepared;
  BindBoard(upsert, b);
  upsert.exec();
  BumpBoardRevision(b.id);
  return Status::Ok();
}

void SqliteStore::BumpBoardRevision(const std::string& board_id) {
  Prepared bump(db_, "UPDATE boards SET revision = revision + 1 WHERE id = ?");
  (*bump).bind(1, board_id);
  (*bump).exec();
}

Status SqliteStore::WriteAgency(const Agency& a) {
  if (!Exists(kBoardExists, {a.board_id}))
    return MissingReference("agency " + a.id, "board '" + a.board_id + "'");
  Prepared upsert_prepared(db_, kUpsertAgency);
  SQLite::Statement& upsert = *upsert_prepared;
  BindAgency(upsert, a);
  upsert.exec();
  BumpBoardRevision(a.board_id);
  return Status::Ok();
}

Status SqliteStore::WritePerson(const Person& p) {
  CR_RETURN_IF_ERROR(CheckListItems(p.roles, "person " + p.id + ": role"));
  if (!Exists(kBoardExists, {p.board_id}))
    return MissingReference("person " + p.id, "board '" + p.board_id + "'");
  if (!p.agency_id.empty() && !Exists(kAgencyOnBoard, {p.agency_id, p.board_id}))
    return MissingReference("person " + p.id, "agency '" + p.agency_id + "' on board " + p.board_id);
  Prepared upsert_prepared(db_, kUpsertPerson);
  SQLite::Statement& upsert = *upsert_prepared;
  BindPerson(upsert, p);
  upsert.exec();
  BumpBoardRevision(p.board_id);
  return Status::Ok();
}

Status SqliteStore::ImportBoardData(const BoardData& d) {
  return Write("import board " + d.board.id, [&] {
    CR_RETURN_IF_ERROR(WriteBoard(d.board));
    for (const Agency& a : d.agencies) CR_RETURN_IF_ERROR(WriteAgency(a));
    for (const Person& p : d.people) CR_RETURN_IF_ERROR(WritePerson(p));
    return Status::Ok();
  });
}

Result<std::vector<Board>> SqliteStore::ListBoards() {
  return Read<std::vector<Board>>("list the boards", [&] {
    return Select(std::string("SELECT ") + kBoardColumns + " FROM boards ORDER BY id", ReadBoard, {});
  });
}

Result<std::vector<Agency>> SqliteStore::ListAgencies(std::string_view board_id) {
  std::string board(board_id);
  return Read<std::vector<Agency>>("list the agencies of board " + board, [&] {
    return Select(std::string("SELECT ") + kAgencyColumns + " FROM agencies WHERE board_id = ? ORDER BY id",
                  ReadAgency, {board});
  });
}

Result<std::vector<Person>> SqliteStore::ListPeople(std::string_view board_id) {
  std::string board(board_id);
  return Read<std::vector<Person>>("list the people of board " + board, [&] {
    return Select(std::string("SELECT ") + kPersonColumns + " FROM people WHERE board_id = ? ORDER BY id",
                  ReadPerson, {board});
  });
}

// ---------------------------------------------------------------------------------------
// Reviews

Result<ReviewRecord> SqliteStore::GetReview(std::string_view ref) {
  std::string key(ref);
  auto rows = Read<std::vector<ReviewRecord>>("read review " + key, [&] {
    return Select(std::string("SELECT ") + kReviewColumns + " FROM " + kReviewTables + " WHERE r.ref = ?", ReadReview,
                  {key});
  });
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no review " + key);
  return std::move(rows->front());
}

Result<std::vector<ReviewRecord>> SqliteStore::ListReviews(const ReviewFilter& f) {
  std::string sql = std::string("SELECT ") + kReviewColumns + " FROM " + kReviewTables + " WHERE 1 = 1";
  std::vector<std::string> params;
  if (f.board_id) {
    sql += " AND r.board_id = ?";
    params.push_back(*f.board_id);
  }
  if (f.open_only) sql += " AND r.open = 1";
  sql += " ORDER BY r.ref";
  return Read<std::vector<ReviewRecord>>("list the reviews", [&] { return Select(sql, ReadReview, params); });
}

Result<std::vector<ReviewSummary>> SqliteStore::ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) {
  return Read<std::vector<ReviewSummary>>("list the reviews' summaries",
                                          [&] { return SelectReviewSummaries(db_, f, page); });
}

Result<std::vector<StoredEvent>> SqliteStore::LoadEvents(std::string_view ref) {
  std::string key(ref);
  return Read<std::vector<StoredEvent>>("read the events of review " + key, [&] {
    return Select(std::string("SELECT ") + kEventColumns + " FROM review_events WHERE review_ref = ? ORDER BY seq",
                  ReadEvent, {key});
  });
}

Result<std::int64_t> SqliteStore::CountReviewsWithPrefix(std::string_view prefix) {
  std::string p(prefix);
  return Read<std::int64_t>("count the reviews numbered " + p, [&] {
    // substr/length rather than LIKE: no wildcards to escape, and case-sensitive everywhere.
    Prepared q_prepared(db_, "SELECT COUNT(*) FROM reviews WHERE substr(ref, 1, length(?)) = ?");
  SQLite::Statement& q = *q_prepared;
    q.bind(1, p);
    q.bind(2, p);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

std::int64_t SqliteStore::StoredLastSeq(const std::string& ref) {
  Prepared q_prepared(db_, "SELECT last_seq FROM reviews WHERE ref = ?");
  SQLite::Statement& q = *q_prepared;
  q.bind(1, ref);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

// Inside Write(): under the write lock, so nobody can move the review or fire its timers
// between check and write. Every check of `c` comes before its first write.
Status SqliteStore::WriteChange(const ReviewChange& c, AuditHead& head) {
  const std::string& ref = c.review.ref;
  std::int64_t found = StoredLastSeq(ref);
  if (c.events.empty() && found == 0) return NoReviewToReproject(ref);
  if (found != c.expected_last_seq) return ReviewChangedMeanwhile(ref, c.expected_last_seq, found);
  if (c.idempotency) {
    CR_RETURN_IF_ERROR(CheckIdempotencyRecord(*c.idempotency));
    if (SelectIdempotency(db_, c.idempotency->board_id, c.idempotency->actor, c.idempotency->key, Instant{}))
      return IdempotencyKeyTaken(c.idempotency->key);
  }
  if (!Exists(kBoardExists, {c.review.board_id}))
    return MissingReference("review " + ref, "board '" + c.review.board_id + "'");
  StoredTimers timers;  // read by the check, for the write
  CR_RETURN_IF_ERROR(CheckTimersAndNoticesAgainst(db_, c, timers));
  Prepared upsert_prepared(db_, kUpsertReview);
  SQLite::Statement& upsert = *upsert_prepared;  // first: the events' foreign key needs it
  BindReview(upsert, c.review);
  upsert.exec();
  UpsertReviewSummary(db_, c.review);
  IndexNotifiedDeath(db_, c);
  Prepared insert_prepared(db_, kInsertEvent);
  SQLite::Statement& insert = *insert_prepared;
  for (const StoredEvent& e : c.events) {
    insert.reset();
    BindEvent(insert, e);
    insert.exec();
  }
  WriteTimersAndNotices(db_, c, std::move(timers));
  if (c.idempotency) CR_RETURN_IF_ERROR(InsertIdempotency(db_, *c.idempotency, c.idempotency->at - kIdempotencyKept));
  return AppendChangeAudit(c, head);
}

Status SqliteStore::AppendChangeAudit(const ReviewChange& c, AuditHead& head) {
  for (AuditEntry e : c.audit) {
    if (e.target.empty()) e.target = c.review.ref;
    CR_RETURN_IF_ERROR(CheckNewAuditEntry(e));
    auto written = InsertAuditEntry(db_, e, *seal_, head.key);
    if (!written.ok()) return written.status();
    head.appended = true;
    head.seq = written->seq;
    head.hash = written->hash;
  }
  return Status::Ok();
}

Status SqliteStore::Commit(const ReviewChange& c) {
  assert(ContinuesLog(c) && "a ReviewChange must continue the log without gaps (store.hpp)");
  const std::string& ref = c.review.ref;
  CR_RETURN_IF_ERROR(CheckTimersAndNoticesOf(c));  // needs no lock: it reads nothing stored
  std::string what = c.events.empty() ? "re-project review " + ref
                                      : "record " + std::to_string(c.events.size()) + " event(s) on review " + ref;
  AuditHead head;
  CR_RETURN_IF_ERROR(Write(what, [&] { return WriteChange(c, head); }));
  return AdvanceWitness(head);
}

// A refusal of a later change rolls back the earlier ones with it (Write commits only Ok).
Status SqliteStore::CommitAll(std::span<const ReviewChange> changes) {
  std::string refs;
  for (const ReviewChange& c : changes) {
    assert(ContinuesLog(c) && "a ReviewChange must continue the log without gaps (store.hpp)");
    CR_RETURN_IF_ERROR(CheckTimersAndNoticesOf(c));
    refs += (refs.empty() ? "" : " and ") + c.review.ref;
  }
  AuditHead head;
  CR_RETURN_IF_ERROR(Write("record the linked changes to " + refs, [&] {
    for (const ReviewChange& c : changes) CR_RETURN_IF_ERROR(WriteChange(c, head));
    return Status::Ok();
  }));
  return AdvanceWitness(head);
}

// ---------------------------------------------------------------------------------------
// Timers

Result<std::vector<Timer>> SqliteStore::DueTimers(Instant now, std::size_t limit) {
  return Read<std::vector<Timer>>("list the timers that are due", [&] { return SelectDueTimers(db_, now, limit); });
}

Result<std::optional<Instant>> SqliteStore::NextTimerDue() {
  return Read<std::optional<Instant>>("find when the next timer falls due", [&] { return SelectNextTimerDue(db_); });
}

Result<std::vector<Timer>> SqliteStore::PendingTimers(std::string_view ref) {
  std::string key(ref);
  return Read<std::vector<Timer>>("list the pending timers of review " + key,
                                  [&] { return SelectPendingTimers(db_, key); });
}

Result<TimerStatus> SqliteStore::GetTimerStatus(std::string_view timer_id) {
  std::string id(timer_id);
  auto stored = Read<std::optional<std::string>>("read timer " + id, [&] { return SelectTimerStatus(db_, id); });
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::NotFound("no timer " + id);
  auto status = ParseTimerStatus(**stored);
  if (!status) return Status::Corruption("timer " + id + " has the unknown status '" + **stored + "'");
  return *status;
}

// ---------------------------------------------------------------------------------------
// The outbox and its delivery

Result<std::vector<Notice>> SqliteStore::ListNotices(const NoticeFilter& f) {
  return Read<std::vector<Notice>>("list the outbox", [&] { return SelectNotices(db_, f); });
}

Result<bool> SqliteStore::QueueNotice(const Notice& n) {
  CR_RETURN_IF_ERROR(CheckNewNotice(n));  // needs no lock: it reads nothing stored
  bool queued = false;
  CR_RETURN_IF_ERROR(Write("queue notice " + n.id, [&] {
    auto inserted = InsertNoticeOnce(db_, n);
    if (!inserted.ok()) return inserted.status();
    queued = *inserted;
    return Status::Ok();
  }));
  return queued;
}

Result<std::vector<Notice>> SqliteStore::DueNotices(Instant now, std::size_t limit) {
  return Read<std::vector<Notice>>("list the notices due to be sent",
                                   [&] { return SelectDueNotices(db_, now, limit); });
}

Result<std::optional<Instant>> SqliteStore::NextNoticeDue() {
  return Read<std::optional<Instant>>("find when the next notice is due to be sent",
                                      [&] { return SelectNextNoticeDue(db_); });
}

Status SqliteStore::RecordAttempt(std::string_view id, int attempts_before, Instant at, Instant retry_at) {
  std::string key(id);
  return Write("record an attempt to send notice " + key,
               [&] { return UpdateAttempt(db_, key, attempts_before, at, retry_at); });
}

Status SqliteStore::RecordSent(std::string_view id, Instant at) {
  std::string key(id);
  return Write("record notice " + key + " as sent", [&] { return UpdateSent(db_, key, at); });
}

Status SqliteStore::RecordFailure(std::string_view id, std::string_view error, bool give_up) {
  std::string key(id);
  return Write("record a failed attempt to send notice " + key,
               [&] { return UpdateFailure(db_, key, std::string(error), give_up); });
}

Result<std::size_t> SqliteStore::RequeueFailed(std::optional<std::string> id, Instant at,
                                               std::optional<std::string> board_id) {
  std::size_t requeued = 0;
  CR_RETURN_IF_ERROR(Write(id ? "queue notice " + *id + " again" : "queue the failed notices again", [&] {
    auto updated = RequeueFailedNotices(db_, id, at, board_id);
    if (!updated.ok()) return updated.status();
    requeued = *updated;
    return Status::Ok();
  }));
  return requeued;
}

// ---------------------------------------------------------------------------------------
// Settings

Status SqliteStore::PutSetting(std::string_view key, std::string_view value, Instant at) {
  CR_RETURN_IF_ERROR(CheckSettingKey(key));
  std::string k(key);
  return Write("save setting " + k, [&] {
    Prepared upsert_prepared(db_, kUpsertSetting);
  SQLite::Statement& upsert = *upsert_prepared;
    upsert.bind(1, k);
    upsert.bind(2, std::string(value));
    upsert.bind(3, SecondsOf(at));
    upsert.exec();
    Prepared bump(db_, "UPDATE settings SET revision = revision + 1 WHERE key = ?");
    (*bump).bind(1, k);
    (*bump).exec();
    return Status::Ok();
  });
}

Result<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  std::string k(key);
  return Read<std::optional<std::string>>("read setting " + k, [&]() -> std::optional<std::string> {
    Prepared q_prepared(db_, "SELECT value FROM settings WHERE key = ?");
  SQLite::Statement& q = *q_prepared;
    q.bind(1, k);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

// Brings an older file's schema up to date, saying so if that fails (it is rolled back).
Status Upgrade(SQLite::Database& db, const std::string& path, std::chrono::milliseconds busy_timeout) {
  try {
    return MigrateToLatest(db, path);
  } catch (const std::exception& e) {
    return Translate("upgrade the database to schema version " + std::to_string(LatestSchemaVersion()), path,
                     busy_timeout, e, /*writing=*/true);
  }
}

}  // namespace

namespace {

// The key and witness of a database file; an in-memory database keeps them in memory.
std::unique_ptr<AuditSealKeeper> SealFor(const std::string& path, const SqliteStoreOptions& options) {
  if (path.empty() || path == ":memory:") return std::make_unique<AuditSealKeeper>();
  return std::make_unique<AuditSealKeeper>(
      options.audit_key_path.empty() ? DefaultAuditKeyPath(path) : options.audit_key_path,
      DefaultAuditWitnessPath(path));
}

}  // namespace

Result<AuditVerification> ReanchorAuditWitness(const std::string& path, const SqliteStoreOptions& options) {
  SqliteStoreOptions existing = options;
  existing.create_if_missing = false;
  auto store = OpenSqliteStore(path, existing);
  if (!store.ok()) return store.status();
  auto keeper = SealFor(path, options);
  auto seal = keeper->Read();
  if (!seal.ok()) return seal.status();
  AuditSeal own{seal->key, std::nullopt, "", seal->key_place, seal->witness_place};
  auto v = VerifyAuditLog(**store, own, std::nullopt, /*witness_required=*/false);
  if (!v.ok() || !v->problem.empty() || !own.key) return v;
  AuditWitness w{v->keyed_from != 0 ? v->keyed_from : v->head_seq + 1, v->head_seq, v->head_hash};
  CR_RETURN_IF_ERROR(keeper->Reanchor(*own.key, w));
  v->witness_seq = w.seq;
  return v;
}

Result<StoreLocation> ParseStoreLocation(std::string_view db) {
  std::string_view path = db;
  if (auto colon = db.find(':'); colon != std::string_view::npos && colon > 1) {  // not "C:\..."
    std::string_view scheme = db.substr(0, colon);
    const bool word = std::all_of(scheme.begin(), scheme.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
    if (word && scheme != "sqlite")
      return Status::InvalidArgument("--db " + std::string(scheme) + ":...: this build opens SQLite files only "
                                     "(a path, or sqlite:PATH)");
    if (word) path = db.substr(colon + 1);
  }
  if (path.empty()) return Status::InvalidArgument("--db names no file: give a path, or sqlite:PATH");
  return StoreLocation{"sqlite", std::string(path)};
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view db, const SqliteStoreOptions& options) {
  auto where = ParseStoreLocation(db);
  if (!where.ok()) return where.status();
  return OpenSqliteStore(where->path, options);
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const SqliteStoreOptions& options) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(path, ec))
    return Status::NotFound("no database at " + path);
  try {
    int flags = SQLite::OPEN_READWRITE | (options.create_if_missing ? SQLite::OPEN_CREATE : 0);
    auto busy_ms = std::clamp<std::chrono::milliseconds::rep>(options.busy_timeout.count(), 0, INT_MAX);
    SQLite::Database db(path, flags, static_cast<int>(busy_ms));
    // Before any setting is changed: switching another program's file to WAL would alter it.
    CR_RETURN_IF_ERROR(CheckOwnership(db, path));
    CR_RETURN_IF_ERROR(ConfigureConnection(db, path));
    CR_RETURN_IF_ERROR(Upgrade(db, path, options.busy_timeout));
    return std::unique_ptr<Store>(
        std::make_unique<SqliteStore>(std::move(db), path, options.busy_timeout, SealFor(path, options)));
  } catch (const std::exception& e) {
    return Translate("open the database", path, options.busy_timeout, e, /*writing=*/false);
  }
}

}  // namespace casereview
