// The in-memory Store for tests: the SQLite store's contract, held in std::map, nothing
// durable. It checks the same rules with the same messages (sqlite_rows.hpp), so a test
// that passes here says something about the real store.
#include <algorithm>
#include <cassert>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "casereview/store.hpp"
#include "audit_seal.hpp"
#include "notified_deaths.hpp"
#include "sqlite_rows.hpp"

namespace casereview {
namespace {

using namespace casereview::storage;

template <class T>
using ById = std::map<std::string, T, std::less<>>;  // iterates in id order, as SQL ORDER BY id
// A board's own rows (agencies, people, passwords) by (board_id, id): ids are unique within a
// board; a board's rows iterate in id order.
using BoardKey = std::pair<std::string, std::string>;
template <class T>
using ByBoardId = std::map<BoardKey, T>;
BoardKey KeyOf(std::string_view board_id, std::string_view id) { return {std::string(board_id), std::string(id)}; }

// Board set-up, kept apart from the reviews so an import can be staged on a copy.
struct BoardTables {
  ById<Board> boards;
  ByBoardId<Agency> agencies;
  ByBoardId<Person> people;
};

Status WriteBoard(BoardTables& t, const Board& b) {
  CR_RETURN_IF_ERROR(CheckListItems(b.quorum.required_sectors, "board " + b.id + ": required sector"));
  t.boards[b.id] = b;
  return Status::Ok();
}

Status WriteAgency(BoardTables& t, const Agency& a) {
  if (!t.boards.count(a.board_id)) return MissingReference("agency " + a.id, "board '" + a.board_id + "'");
  t.agencies[KeyOf(a.board_id, a.id)] = a;
  return Status::Ok();
}

Status WritePerson(BoardTables& t, const Person& p) {
  CR_RETURN_IF_ERROR(CheckListItems(p.roles, "person " + p.id + ": role"));
  if (!t.boards.count(p.board_id)) return MissingReference("person " + p.id, "board '" + p.board_id + "'");
  if (!p.agency_id.empty() && !t.agencies.count(KeyOf(p.board_id, p.agency_id)))
    return MissingReference("person " + p.id, "agency '" + p.agency_id + "' on board " + p.board_id);
  auto it = t.people.find(KeyOf(p.board_id, p.id));
  Person stored = p;
  stored.removed_at = it != t.people.end() ? it->second.removed_at : std::nullopt;  // Put never changes it
  t.people[KeyOf(p.board_id, p.id)] = std::move(stored);
  return Status::Ok();
}

// The rows of `table` that belong to `board_id`, in id order.
template <class T>
std::vector<T> OnBoard(const ByBoardId<T>& table, std::string_view board_id) {
  std::vector<T> rows;
  for (const auto& [id, row] : table)
    if (row.board_id == board_id) rows.push_back(row);
  return rows;
}

// A stored timer: what it fires and whether it still may.
struct TimerRow {
  Timer timer;
  TimerStatus status = TimerStatus::kPending;
};

// Soonest first, ties by id: the order of DueTimers and PendingTimers.
bool SoonerThan(const Timer& a, const Timer& b) { return std::tie(a.due, a.id) < std::tie(b.due, b.id); }

class MemoryStore final : public Store {
 public:
  Status PutBoard(const Board& b) override { return Bumped(b.id, WriteBoard(tables_, b)); }
  Status PutAgency(const Agency& a) override { return Bumped(a.board_id, WriteAgency(tables_, a)); }
  Status PutPerson(const Person& p) override { return Bumped(p.board_id, WritePerson(tables_, p)); }
  Result<std::int64_t> BoardRevision(std::string_view board_id) override {
    auto it = board_revisions_.find(board_id);
    return it == board_revisions_.end() ? 0 : it->second;
  }

  Status ImportBoardData(const BoardData& d) override {
    BoardTables staged = tables_;  // all or nothing: only a complete import is kept
    CR_RETURN_IF_ERROR(WriteBoard(staged, d.board));
    for (const Agency& a : d.agencies) CR_RETURN_IF_ERROR(WriteAgency(staged, a));
    for (const Person& p : d.people) CR_RETURN_IF_ERROR(WritePerson(staged, p));
    tables_ = std::move(staged);
    return Bumped(d.board.id, Status::Ok());
  }

  Result<std::vector<Board>> ListBoards() override {
    std::vector<Board> rows;
    for (const auto& [id, b] : tables_.boards) rows.push_back(b);
    return rows;
  }
  Result<std::vector<Agency>> ListAgencies(std::string_view board_id) override {
    return OnBoard(tables_.agencies, board_id);
  }
  Result<std::vector<Person>> ListPeople(std::string_view board_id) override {
    return OnBoard(tables_.people, board_id);
  }

  Result<ReviewRecord> GetReview(std::string_view ref) override {
    auto it = reviews_.find(ref);
    if (it == reviews_.end()) return Status::NotFound("no review " + std::string(ref));
    return it->second;
  }

  Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) override {
    std::vector<ReviewRecord> rows;
    for (const auto& [ref, r] : reviews_) {
      if (f.board_id && r.board_id != *f.board_id) continue;
      if (f.open_only && !r.open) continue;
      rows.push_back(r);
    }
    return rows;
  }

  Result<std::vector<ReviewSummary>> ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) override {
    std::vector<ReviewSummary> rows;
    for (auto it = reviews_.upper_bound(page.after); it != reviews_.end() && rows.size() < page.limit; ++it) {
      const ReviewRecord& r = it->second;
      if (f.board_id && r.board_id != *f.board_id) continue;
      if (f.open_only && !r.open) continue;
      rows.push_back({r.ref, r.board_id, r.kind, r.stage, r.open, r.updated_at, r.summary});
    }
    return rows;
  }

  Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) override {
    auto it = events_.find(ref);
    if (it == events_.end()) return std::vector<StoredEvent>{};
    return it->second;
  }

  Result<std::int64_t> CountReviewsWithPrefix(std::string_view prefix) override {
    std::int64_t n = 0;
    for (auto it = reviews_.lower_bound(prefix); it != reviews_.end() && it->first.starts_with(prefix); ++it)
      ++n;
    return n;
  }

  // A scan of every review's opening event: the rule SQLite indexes, fine for tests.
  Result<std::optional<std::string>> FindNotifiedDeath(std::string_view nhs_number) override {
    if (nhs_number.empty()) return std::optional<std::string>();  // never indexed
    for (const auto& [ref, log] : events_) {
      if (log.empty() || log.front().seq != 1) continue;
      if (storage::NotifiedNhsNumber(reviews_.at(ref).kind, log.front().payload) == nhs_number)
        return std::optional<std::string>(ref);
    }
    return std::optional<std::string>();
  }

  Status Commit(const ReviewChange& c) override { return CommitAll(std::span<const ReviewChange>(&c, 1)); }

  Status CommitAll(std::span<const ReviewChange> changes) override {
    // All or none: on a refusal, everything goes back as it was.
    auto reviews = reviews_;
    auto events = events_;
    auto timers = timers_;
    auto notices = notices_;
    auto idempotency = idempotency_;
    const std::size_t audit_before = audit_.size();
    auto undo = [&](Status s) {
      reviews_ = std::move(reviews);
      events_ = std::move(events);
      timers_ = std::move(timers);
      notices_ = std::move(notices);
      idempotency_ = std::move(idempotency);
      audit_.resize(audit_before);
      return s;
    };
    for (const ReviewChange& c : changes) {
      Status s = WriteChange(c);
      if (!s.ok()) return undo(s);
    }
    // Last, as SqliteStore appends them inside the same transaction as the changes.
    for (const ReviewChange& c : changes)
      for (AuditEntry e : c.audit) {
        if (e.target.empty()) e.target = c.review.ref;
        auto written = AppendAudit(e);
        if (!written.ok()) return undo(written.status());
      }
    return Status::Ok();
  }

  Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view board_id, std::string_view actor,
                                                            std::string_view key, Instant since) override {
    auto it = idempotency_.find({std::string(board_id), std::string(actor), std::string(key)});
    if (it == idempotency_.end() || it->second.at < since) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(it->second);
  }
  Status PutIdempotency(const IdempotencyRecord& r, Instant forget_before) override {
    CR_RETURN_IF_ERROR(CheckIdempotencyRecord(r));
    std::erase_if(idempotency_, [&](const auto& kv) { return kv.second.at < forget_before; });
    if (idempotency_.count(IdempotencyKey(r))) return IdempotencyKeyTaken(r.key);
    idempotency_[IdempotencyKey(r)] = r;
    return Status::Ok();
  }

  Result<std::vector<Timer>> DueTimers(Instant now, std::size_t limit) override {
    auto due = Pending([&](const Timer& t) { return t.due <= now; });
    if (due.size() > limit) due.resize(limit);
    return due;
  }

  Result<std::optional<Instant>> NextTimerDue() override {
    auto pending = Pending([](const Timer&) { return true; });
    if (pending.empty()) return std::optional<Instant>{};
    return std::optional<Instant>{pending.front().due};
  }

  Result<std::vector<Timer>> PendingTimers(std::string_view ref) override {
    return Pending([&](const Timer& t) { return t.review_ref == ref; });
  }

  Result<TimerStatus> GetTimerStatus(std::string_view timer_id) override {
    auto it = timers_.find(timer_id);
    if (it == timers_.end()) return Status::NotFound("no timer " + std::string(timer_id));
    return it->second.status;
  }

  Result<std::vector<Notice>> ListNotices(const NoticeFilter& f) override {
    std::vector<Notice> rows;
    for (const auto& [id, n] : notices_) {
      if (f.review_ref && n.review_ref != *f.review_ref) continue;
      if (f.status && n.status != *f.status) continue;
      if (f.board_id && n.board_id != *f.board_id) continue;
      rows.push_back(n);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Notice& a, const Notice& b) {
      return a.created_at < b.created_at;  // ties stay in id order
    });
    return rows;
  }

  // The checks of InsertNoticeOnce (sqlite_outbox.cpp), in the same order.
  Result<bool> QueueNotice(const Notice& n) override {
    CR_RETURN_IF_ERROR(CheckNewNotice(n));
    if (!tables_.boards.count(n.board_id)) return MissingReference("notice " + n.id, "board '" + n.board_id + "'");
    if (!n.review_ref.empty()) {
      auto review = reviews_.find(n.review_ref);
      if (review == reviews_.end()) return MissingReference("notice " + n.id, "review " + n.review_ref);
      if (review->second.board_id != n.board_id) return NoticeOfAnotherBoard(n, review->second.board_id);
    }
    return notices_.try_emplace(n.id, n).second;
  }

  Result<std::vector<Notice>> DueNotices(Instant now, std::size_t limit) override {
    std::vector<Notice> due;
    for (const auto& [id, n] : notices_)
      if (n.status == kNoticePending && n.next_attempt_at <= now) due.push_back(n);
    std::stable_sort(due.begin(), due.end(), [](const Notice& a, const Notice& b) {
      return a.next_attempt_at < b.next_attempt_at;  // ties stay in id order
    });
    if (due.size() > limit) due.resize(limit);
    return due;
  }

  Result<std::optional<Instant>> NextNoticeDue() override {
    std::optional<Instant> next;
    for (const auto& [id, n] : notices_)
      if (n.status == kNoticePending && (!next || n.next_attempt_at < *next)) next = n.next_attempt_at;
    return next;
  }

  // The delivery steps check as UpdateAttempt and the others do (sqlite_outbox.cpp).
  Status RecordAttempt(std::string_view id, int attempts_before, Instant at, Instant retry_at) override {
    auto it = notices_.find(id);
    if (it == notices_.end()) return NoSuchNotice(std::string(id));
    Notice& n = it->second;
    if (n.status != kNoticePending || n.attempts != attempts_before)
      return NoticeClaimedMeanwhile(n.id, attempts_before, n.status, n.attempts);
    ++n.attempts;
    n.last_attempt_at = at;
    n.next_attempt_at = retry_at;
    n.last_error.clear();
    return Status::Ok();
  }

  Status RecordSent(std::string_view id, Instant at) override {
    auto it = notices_.find(id);
    if (it == notices_.end()) return NoSuchNotice(std::string(id));
    Notice& n = it->second;
    if (n.status == kNoticeSent) return Status::Ok();  // left as it is
    n.status = kNoticeSent;
    n.sent_at = at;
    return Status::Ok();
  }

  Status RecordFailure(std::string_view id, std::string_view error, bool give_up) override {
    auto it = notices_.find(id);
    if (it == notices_.end()) return NoSuchNotice(std::string(id));
    Notice& n = it->second;
    if (n.status != kNoticePending) return Status::Ok();  // left as it is
    n.last_error = error;
    if (give_up) n.status = kNoticeFailed;
    return Status::Ok();
  }

  Result<std::size_t> RequeueFailed(std::optional<std::string> id, Instant at,
                                    std::optional<std::string> board_id) override {
    if (id) {
      auto it = notices_.find(*id);
      if (it == notices_.end() || (board_id && it->second.board_id != *board_id)) return NoSuchNotice(*id);
      if (it->second.status != kNoticeFailed) return NoticeNotFailed(*id, it->second.status);
    }
    std::size_t requeued = 0;
    for (auto& [key, n] : notices_) {
      if (n.status != kNoticeFailed || (id && key != *id) || (board_id && n.board_id != *board_id)) continue;
      n.status = kNoticePending;
      n.attempts = 0;
      n.next_attempt_at = at;
      ++requeued;
    }
    return requeued;
  }

  Status PutSetting(std::string_view key, std::string_view value, Instant) override {
    CR_RETURN_IF_ERROR(CheckSettingKey(key));
    settings_.insert_or_assign(std::string(key), std::string(value));
    ++setting_revisions_[std::string(key)];
    return Status::Ok();
  }
  Result<std::int64_t> SettingRevision(std::string_view key) override {
    auto it = setting_revisions_.find(key);
    return it == setting_revisions_.end() ? 0 : it->second;
  }

  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    auto it = settings_.find(key);
    if (it == settings_.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
  }

  Status PutPasswordHash(std::string_view board_id, std::string_view person_id, std::string_view hash,
                         Instant at) override {
    if (!tables_.people.count(KeyOf(board_id, person_id))) return MissingReference("a password", PersonNamed(board_id, person_id));
    if (hash.empty()) return Status::InvalidArgument("a password hash cannot be empty");
    passwords_.insert_or_assign(KeyOf(board_id, person_id), std::string(hash));
    EndSignInsOf(board_id, person_id, at);
    return Status::Ok();
  }

  static std::string PersonNamed(std::string_view board_id, std::string_view id) {
    return "person '" + std::string(id) + "' of board " + std::string(board_id);
  }

  // Deletes the person's sessions and revokes their tokens (at `at`).
  void EndSignInsOf(std::string_view board_id, std::string_view person_id, Instant at) {
    auto theirs = [&](const auto& row) { return row.board_id == board_id && row.person_id == person_id; };
    std::erase_if(sessions_, [&](const auto& row) { return theirs(row.second); });
    for (auto& [id, t] : tokens_)
      if (theirs(t) && !t.revoked_at) t.revoked_at = at;
  }
  Result<std::optional<std::string>> GetPasswordHash(std::string_view board_id, std::string_view person_id) override {
    auto it = passwords_.find(KeyOf(board_id, person_id));
    if (it == passwords_.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
  }

  Status RemovePerson(std::string_view board_id, std::string_view person_id, Instant at) override {
    auto it = tables_.people.find(KeyOf(board_id, person_id));
    if (it == tables_.people.end()) return Status::NotFound("there is no " + PersonNamed(board_id, person_id));
    if (!it->second.removed_at) it->second.removed_at = at;
    EndSignInsOf(board_id, person_id, at);
    return Bumped(it->second.board_id, Status::Ok());
  }

  Status RecordFailedSignIn(std::string_view account, std::string_view address, Instant at,
                            Instant window_start) override {
    std::erase_if(failed_sign_ins_, [&](const auto& row) { return row.second.last_at < window_start; });
    FailedSignInRow& row = failed_sign_ins_[{std::string(account), std::string(address)}];
    row.failures++;
    row.last_at = at;
    return Status::Ok();
  }
  Result<SignInFailures> CountFailedSignIns(std::string_view account, std::string_view address,
                                            Instant window_start) override {
    SignInFailures out;
    for (const auto& [key, row] : failed_sign_ins_) {
      if (key.first != account || row.last_at < window_start) continue;
      out.from_anywhere += row.failures;
      out.last_from_anywhere = std::max(out.last_from_anywhere, row.last_at);
      if (key.second != address) continue;
      out.from_address = row.failures;
      out.last_from_address = row.last_at;
      out.throttled = row.throttled;
    }
    return out;
  }
  Status CountThrottledSignIn(std::string_view account, std::string_view address) override {
    auto it = failed_sign_ins_.find({std::string(account), std::string(address)});
    if (it != failed_sign_ins_.end()) it->second.throttled++;
    return Status::Ok();
  }
  Status ClearFailedSignIns(std::string_view account, std::string_view address) override {
    failed_sign_ins_.erase({std::string(account), std::string(address)});
    return Status::Ok();
  }

  Status PutApiToken(const ApiToken& t) override {
    CR_RETURN_IF_ERROR(CheckNewToken(t));
    if (!tables_.people.count(KeyOf(t.board_id, t.person_id)))
      return MissingReference("token " + t.id, PersonNamed(t.board_id, t.person_id));
    if (tokens_.count(t.id)) return TokenTaken(t.id);
    for (const auto& [id, stored] : tokens_)
      if (stored.token_hash == t.token_hash) return TokenTaken(t.id);
    tokens_[t.id] = t;
    return Status::Ok();
  }
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    for (const auto& [id, t] : tokens_)
      if (t.token_hash == token_hash) return std::optional<ApiToken>{t};
    return std::optional<ApiToken>{};
  }
  Result<std::vector<ApiToken>> ListApiTokens(std::string_view board_id, std::string_view person_id) override {
    std::vector<ApiToken> rows;
    for (const auto& [id, t] : tokens_)
      if ((board_id.empty() || t.board_id == board_id) && (person_id.empty() || t.person_id == person_id))
        rows.push_back(t);
    return rows;
  }
  Status RevokeApiToken(std::string_view id, Instant at) override {
    auto it = tokens_.find(id);
    if (it == tokens_.end()) return NoSuchToken(std::string(id));
    if (!it->second.revoked_at) it->second.revoked_at = at;
    return Status::Ok();
  }

  Status PutSession(const Session& s) override {
    CR_RETURN_IF_ERROR(CheckNewSession(s));
    if (!tables_.people.count(KeyOf(s.board_id, s.person_id)))
      return MissingReference("a session", PersonNamed(s.board_id, s.person_id));
    sessions_[s.id_hash] = s;
    return Status::Ok();
  }
  Result<std::optional<Session>> FindSession(std::string_view id_hash) override {
    auto it = sessions_.find(id_hash);
    if (it == sessions_.end()) return std::optional<Session>{};
    return std::optional<Session>{it->second};
  }
  Status DeleteSession(std::string_view id_hash) override {
    if (auto it = sessions_.find(id_hash); it != sessions_.end()) sessions_.erase(it);
    return Status::Ok();
  }
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override {
    return static_cast<std::int64_t>(std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires_at <= now; }));
  }

  Result<AuditEntry> AppendAudit(const AuditEntry& e) override {
    CR_RETURN_IF_ERROR(CheckNewAuditEntry(e));
    AuditEntry entry = e;
    entry.seq = static_cast<std::int64_t>(audit_.size()) + 1;
    entry.prev_hash = audit_.empty() ? std::string(GenesisAuditHash()) : audit_.back().hash;
    auto key = seal_.KeyForAppend(entry.seq - 1, entry.prev_hash, !audit_.empty() && audit_.back().keyed);
    if (!key.ok()) return key.status();
    entry.keyed = true;
    entry.hash = AuditMac(*key, entry.prev_hash, entry);
    audit_.push_back(entry);
    CR_RETURN_IF_ERROR(seal_.Advance(*key, entry.seq, entry.hash));
    return entry;
  }
  Result<AuditSeal> ReadAuditSeal() override { return seal_.Read(); }
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override {
    std::vector<AuditEntry> rows;
    for (const AuditEntry& e : audit_) {
      if (rows.size() >= f.limit) break;
      if (e.seq <= f.after_seq || !Matches(f, e)) continue;
      rows.push_back(e);
    }
    return rows;
  }

 private:
  // `s`, after counting up the board's revision when it is Ok (BoardRevision).
  Status Bumped(const std::string& board_id, Status s) {
    if (s.ok()) ++board_revisions_[board_id];
    return s;
  }

  // One change of CommitAll, but its audit entries: every check before the first write.
  Status WriteChange(const ReviewChange& c) {
    assert(ContinuesLog(c) && "a ReviewChange must continue the log without gaps (store.hpp)");
    CR_RETURN_IF_ERROR(CheckTimersAndNoticesOf(c));
    const std::string& ref = c.review.ref;
    auto it = reviews_.find(ref);
    std::int64_t found = it == reviews_.end() ? 0 : it->second.last_seq;
    if (c.events.empty() && found == 0) return NoReviewToReproject(ref);
    if (found != c.expected_last_seq) return ReviewChangedMeanwhile(ref, c.expected_last_seq, found);
    if (c.idempotency) {
      CR_RETURN_IF_ERROR(CheckIdempotencyRecord(*c.idempotency));
      if (idempotency_.count(IdempotencyKey(*c.idempotency))) return IdempotencyKeyTaken(c.idempotency->key);
    }
    if (!tables_.boards.count(c.review.board_id))
      return MissingReference("review " + ref, "board '" + c.review.board_id + "'");
    CR_RETURN_IF_ERROR(CheckTimersAndNoticesAgainstStored(c));
    for (const AuditEntry& e : c.audit) CR_RETURN_IF_ERROR(CheckNewAuditEntry(e));
    // Every check is done: from here nothing can refuse, so the change is all or nothing.
    reviews_[ref] = c.review;
    auto& log = events_[ref];
    log.insert(log.end(), c.events.begin(), c.events.end());
    if (c.firing) timers_[c.firing->id].status = TimerStatus::kFired;  // before reconciling, as SQLite
    if (c.timers) ReconcileTimers(ref, *c.timers);
    for (const Notice& n : c.notices) notices_[n.id] = n;
    if (c.idempotency) {
      std::erase_if(idempotency_, [&](const auto& kv) { return kv.second.at < c.idempotency->at - kIdempotencyKept; });
      idempotency_[IdempotencyKey(*c.idempotency)] = *c.idempotency;
    }
    return Status::Ok();
  }

  // The checks SqliteStore makes in CheckTimersAndNoticesAgainst, in the same order.
  Status CheckTimersAndNoticesAgainstStored(const ReviewChange& c) const {
    if (c.firing) {
      auto it = timers_.find(c.firing->id);
      if (it == timers_.end() || it->second.status != TimerStatus::kPending ||
          it->second.timer.review_ref != c.firing->review_ref || it->second.timer.due != c.firing->due)
        return TimerMovedMeanwhile(*c.firing);
    }
    if (c.timers) {
      for (const Timer& t : *c.timers) {
        auto it = timers_.find(t.id);
        if (it != timers_.end() && it->second.timer.review_ref != t.review_ref)
          return TimerOfAnotherReview(t, it->second.timer.review_ref);
      }
    }
    std::set<std::string, std::less<>> queued;
    for (const Notice& n : c.notices)
      if (!queued.insert(n.id).second || notices_.count(n.id)) return NoticeAlreadyQueued(n);
    return Status::Ok();
  }

  // Pending timers not listed are cancelled; listed ones are added, or moved while pending;
  // fired and cancelled ones stay as they are.
  void ReconcileTimers(const std::string& ref, const std::vector<Timer>& listed) {
    std::set<std::string, std::less<>> ids;
    for (const Timer& t : listed) ids.insert(t.id);
    for (auto& [id, row] : timers_) {
      if (row.timer.review_ref == ref && row.status == TimerStatus::kPending && !ids.count(id))
        row.status = TimerStatus::kCancelled;
    }
    for (const Timer& t : listed) {
      auto [it, added] = timers_.try_emplace(t.id, TimerRow{t, TimerStatus::kPending});
      if (!added && it->second.status == TimerStatus::kPending) it->second.timer = t;
    }
  }

  // Pending timers that `keep` accepts, soonest first.
  template <class Predicate>
  std::vector<Timer> Pending(Predicate keep) const {
    std::vector<Timer> rows;
    for (const auto& [id, row] : timers_)
      if (row.status == TimerStatus::kPending && keep(row.timer)) rows.push_back(row.timer);
    std::sort(rows.begin(), rows.end(), SoonerThan);
    return rows;
  }

  BoardTables tables_;
  ById<std::int64_t> board_revisions_;
  ById<std::int64_t> setting_revisions_;
  ById<ReviewRecord> reviews_;
  ById<std::vector<StoredEvent>> events_;
  ById<TimerRow> timers_;
  ById<Notice> notices_;
  ById<std::string> settings_;
  ByBoardId<std::string> passwords_;
  ById<ApiToken> tokens_;
  ById<Session> sessions_;
  struct FailedSignInRow {
    int failures = 0;
    Instant last_at{};
    std::int64_t throttled = 0;
  };
  std::map<std::pair<std::string, std::string>, FailedSignInRow> failed_sign_ins_;  // by (account, address)
  std::vector<AuditEntry> audit_;
  static std::tuple<std::string, std::string, std::string> IdempotencyKey(const IdempotencyRecord& r) {
    return {r.board_id, r.actor, r.key};
  }
  std::map<std::tuple<std::string, std::string, std::string>, IdempotencyRecord> idempotency_;  // by (board, actor, key)
  storage::AuditSealKeeper seal_;  // the key and witness, in memory
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace casereview
