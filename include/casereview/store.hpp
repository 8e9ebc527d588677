// Store: where every fact about a board and its reviews is kept.
//
// The append-only event log of each review is the truth; the review record (stage,
// projection) serves reads and can be rebuilt from the log. Implementations:
// storage/sqlite_store (embedded default) and storage/memory_store (tests). Every
// implementation passes tests/storage/store_contract_test.cpp.
//
// Thread safety: an implementation may be used from one thread at a time.
// Portability: implementations keep their SQL portable (a PostgreSQL implementation
// will share one database between several engine processes).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/access.hpp"
#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

// One fact in a review's log. seq starts at 1 and has no gaps.
struct StoredEvent {
  std::string review_ref;
  std::int64_t seq = 0;
  std::string type;     // the event's stable name, e.g. "ImrSubmitted"
  std::string payload;  // JSON object
  std::string actor;    // person id who recorded it
  Instant recorded_at{};

  bool operator==(const StoredEvent&) const = default;
};

// The read model of one review, rebuilt from its log.
struct ReviewRecord {
  std::string ref;  // "SCR-2026-001"
  std::string board_id;
  std::string kind;   // "scr"
  std::string stage;  // stable state name, e.g. "ImrsInProgress"
  int machine_version = 0;  // definition version of the machine that produced `stage`
  std::int64_t last_seq = 0;
  bool open = true;  // false once in a final stage (Closed, NotToProceed)
  Instant opened_at{};
  Instant updated_at{};
  std::string projection;  // JSON object: the review's current facts for reads
  // JSON object: what a list of reviews shows of it, SummarizeProjection(projection)
  // (review_summary.hpp). The engine writes it with the projection; a store keeps it as given.
  std::string summary;

  bool operator==(const ReviewRecord&) const = default;
};

// A review as a list shows it: the record's own facts and its summary, without the projection.
struct ReviewSummary {
  std::string ref;
  std::string board_id;
  std::string kind;
  std::string stage;
  bool open = true;
  Instant updated_at{};
  std::string summary;  // as ReviewRecord::summary

  bool operator==(const ReviewSummary&) const = default;
};

// A durable timer: when it falls due it fires once, as an ordinary event on its review
// (a reminder before a due date, an escalation after it). Derived from the review's
// deadlines; the id names the deadline, the step and the due date it was made for, so a
// deadline moved by an extension gets timers of its own.
struct Timer {
  std::string id;  // "SCR-2026-001/imr-due:csc/reminder-1@2026-03-16"
  std::string review_ref;
  Instant due{};
  std::string event;    // the event it fires, e.g. "DeadlineReminderDue"
  std::string payload;  // that event's fields, JSON object

  bool operator==(const Timer&) const = default;
};

enum class TimerStatus { kPending, kFired, kCancelled };

// A notice to people, waiting in the outbox for the notifier. Never carries a child's
// name or identifying detail: only the review reference, stage, task, due date.
//
// Delivery: pending until the mail server accepts it (sent); an attempt that fails leaves it
// pending until its next attempt falls due; after the notifier's last attempt it is failed,
// kept and listed until someone asks for it to be tried again. Never dropped.
struct Notice {
  std::string id;  // stable: review ref, event seq and index ("SCR-2026-001#12.0")
  std::string review_ref;  // empty for a board's own notice (the action-plan digest)
  std::string kind;                     // "deadline-reminder", "imr-commissioned", ...
  std::vector<std::string> recipients;  // person ids
  std::string payload;                  // JSON object: what the message needs
  Instant created_at{};
  std::string status = "pending";  // pending | sent | failed
  std::string board_id;            // whose people the recipients are
  int attempts = 0;                // delivery attempts since queued (or last requeued)
  Instant next_attempt_at{};       // when it may next be tried (queued: created_at)
  std::optional<Instant> last_attempt_at;
  std::optional<Instant> sent_at;
  std::string last_error;  // why the last attempt failed; empty when none has

  bool operator==(const Notice&) const = default;
};

// What one accepted command changes, written in ONE transaction.
//
// A change with no events is a re-projection: the review's read model and timers rebuilt
// (after the board's calendar changed, say) with its log untouched. It requires
// review.last_seq == expected_last_seq == the stored last_seq, and may not fire a timer.
// A request that created or recorded something, kept under the key its sender gave it (the
// API's Idempotency-Key header): a retry of the same request finds it and is answered with the
// first result instead of being done again. Kept with the change it made, in its transaction.
struct IdempotencyRecord {
  std::string actor;    // who sent it: a key is its sender's own
  std::string key;      // as sent
  std::string request;  // a digest of the request (method, path, body): the key with another request is refused
  std::string board_id;  // the sender's board (and so the review's): with actor, whose key it is
  std::string ref;       // the review opened or recorded on; a token's id for a token
  std::int64_t seq = 0;  // the review's last event after the change
  std::string stage;     // the review's stage after the change
  Instant at{};

  bool operator==(const IdempotencyRecord&) const = default;
};

// How long a request's IdempotencyRecord answers a retry; older ones are forgotten.
inline constexpr std::chrono::hours kIdempotencyKept{24};

struct ReviewChange {
  // The record after the change. REQUIRES: review.last_seq == events.back().seq (or, with
  // no events, == expected_last_seq).
  ReviewRecord review;
  // The new events, seq continuing from expected_last_seq + 1.
  std::vector<StoredEvent> events;
  // The last_seq the caller loaded; 0 for a new review. If the stored review has moved on
  // (another process recorded an event meanwhile) Commit returns Conflict and writes nothing.
  std::int64_t expected_last_seq = 0;
  // The review's pending timers after the change, when it changes them: pending timers not
  // listed are cancelled, listed ones are added or moved, and a timer that has fired or
  // been cancelled is never armed again under the same id. nullopt: timers untouched.
  std::optional<std::vector<Timer>> timers;
  // Notices to put in the outbox: pending, no attempts, next_attempt_at == created_at,
  // board_id == review.board_id.
  std::vector<Notice> notices;
  // The timer this change fires. Commit marks it fired only if it is still pending with
  // this due time; if it was moved, cancelled or fired meanwhile, Commit returns Conflict
  // and writes nothing (so a timer never fires stale or twice).
  std::optional<Timer> firing;
  // The audit entries of the command that made the change, appended to the audit log (as
  // AppendAudit does: seq, hashes and the witness set by the store) in the change's own
  // transaction, so a change is never kept without the entry that records it.
  std::vector<AuditEntry> audit;
  // The request that made the change, kept with it. If a record with the same actor and key is
  // already stored, Commit returns Conflict and writes nothing: the request was done before.
  std::optional<IdempotencyRecord> idempotency;
};

struct NoticeFilter {
  std::optional<std::string> review_ref;
  std::optional<std::string> status;  // pending | sent | failed
  std::optional<std::string> board_id;
};

struct ReviewFilter {
  std::optional<std::string> board_id;
  bool open_only = false;
};

// One page of a list in ref order: the refs after `after` ("" for the first page), at most
// `limit` of them. The next page starts after the last ref of this one.
struct ReviewPage {
  std::string after;
  std::size_t limit = SIZE_MAX;
};

class Store {
 public:
  virtual ~Store() = default;

  // Board set-up. A board's agencies and people are its own: their ids are unique within the
  // board, and another board may use the same ids for its own. Put* insert or replace by
  // (board_id, id), so nothing a board does reaches another board's agencies or people.
  virtual Status PutBoard(const Board& b) = 0;
  virtual Result<std::vector<Board>> ListBoards() = 0;
  virtual Status PutAgency(const Agency& a) = 0;
  virtual Result<std::vector<Agency>> ListAgencies(std::string_view board_id) = 0;
  virtual Status PutPerson(const Person& p) = 0;
  virtual Result<std::vector<Person>> ListPeople(std::string_view board_id) = 0;
  // A number that grows with every change to the board's agencies and people (a board saved,
  // an agency or person put or removed, an import), in the same transaction; 0 for no board.
  // A reader that kept what it listed reads again only when it has moved.
  virtual Result<std::int64_t> BoardRevision(std::string_view board_id) = 0;
  // Board, agencies and people in one transaction: all or nothing.
  virtual Status ImportBoardData(const BoardData& d) = 0;
  // Put* never changes removed_at.
  //
  // The board's person can no longer act: removed at `at`, and in the same transaction their sessions
  // deleted and their tokens revoked. They stay in ListPeople (the history names them).
  // NotFound if unknown; a person already removed keeps their first removal time.
  virtual Status RemovePerson(std::string_view board_id, std::string_view person_id, Instant at) = 0;

  // Reviews.
  virtual Result<ReviewRecord> GetReview(std::string_view ref) = 0;  // NotFound if absent
  virtual Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) = 0;  // by ref
  // The summaries of the reviews the filter selects, by ref, one page of them: what a list of
  // reviews reads, without loading any projection. Written by Commit and CommitAll in the same
  // transaction as the record, so it is never older than the record.
  virtual Result<std::vector<ReviewSummary>> ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) = 0;
  virtual Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) = 0;  // by seq
  // How many reviews have a ref starting with `prefix` (to number the next one).
  virtual Result<std::int64_t> CountReviewsWithPrefix(std::string_view prefix) = 0;
  // The child death review opened for the death with this NHS number: a review of kind
  // "cdop" whose opening event's payload has "nhs_number" equal to it (a JSON string), the
  // first by ref when several were; nullopt when none was, or nhs_number is empty. Indexed:
  // it reads no review's log. Commit records it with the opening event.
  virtual Result<std::optional<std::string>> FindNotifiedDeath(std::string_view nhs_number) = 0;
  // Appends the events and writes the record, timers and notices, atomically and durably.
  virtual Status Commit(const ReviewChange& change) = 0;
  // Several changes, each to a different review, in ONE transaction: all or none (a child
  // death review referred into an SCR, and the SCR it opens). Each is checked as Commit
  // checks it; the first refusal is returned and nothing is written.
  virtual Status CommitAll(std::span<const ReviewChange> changes) = 0;

  // Timers.
  // Pending timers due at or before `now`, soonest first (ties by id), at most `limit`.
  virtual Result<std::vector<Timer>> DueTimers(Instant now, std::size_t limit) = 0;
  // When the soonest pending timer falls due; nullopt when none is pending.
  virtual Result<std::optional<Instant>> NextTimerDue() = 0;
  // One review's pending timers, soonest first.
  virtual Result<std::vector<Timer>> PendingTimers(std::string_view ref) = 0;
  virtual Result<TimerStatus> GetTimerStatus(std::string_view timer_id) = 0;  // NotFound if unknown

  // The outbox, oldest first (ties by id).
  virtual Result<std::vector<Notice>> ListNotices(const NoticeFilter& f) = 0;
  // Queues a notice no review event causes (a board's action-plan digest), once: false, and
  // nothing written, if a notice with its id was ever queued. REQUIRES: as for
  // ReviewChange::notices, with review_ref empty or naming a review of board_id.
  virtual Result<bool> QueueNotice(const Notice& n) = 0;

  // Delivery. Several dispatchers may share one database: RecordAttempt is the claim, so
  // each attempt is made by exactly one of them.
  //
  // Pending notices whose next attempt is due at or before `now`, oldest first (ties by
  // id), at most `limit`.
  virtual Result<std::vector<Notice>> DueNotices(Instant now, std::size_t limit) = 0;
  // When the soonest pending notice may next be tried; nullopt when none is pending.
  virtual Result<std::optional<Instant>> NextNoticeDue() = 0;
  // Records attempt number attempts_before + 1, made at `at`, BEFORE the message is handed
  // to the mail server; if no outcome is ever recorded (the process died mid-send), the
  // notice falls due again at retry_at. Conflict, and nothing written, unless the notice is
  // pending with exactly attempts_before attempts (another dispatcher claimed it first).
  virtual Status RecordAttempt(std::string_view id, int attempts_before, Instant at,
                               Instant retry_at) = 0;
  // The mail server accepted the message: the notice is sent (from pending or failed; a
  // notice already sent is left as it is).
  virtual Status RecordSent(std::string_view id, Instant at) = 0;
  // The last attempt failed with `error`. With give_up a pending notice becomes failed;
  // otherwise it stays pending, due again at its attempt's retry_at. A notice no longer
  // pending is left as it is.
  virtual Status RecordFailure(std::string_view id, std::string_view error, bool give_up) = 0;
  // Puts failed notices back in the queue, due at `at` with no attempts counted (the last
  // error is kept until the next attempt): the one named, or every failed notice when `id`
  // is nullopt. With board_id, only that board's notices: one of another board's is NotFound,
  // as an unknown one is. Returns how many; NotFound if the one named is unknown,
  // InvalidArgument if it has not failed.
  virtual Result<std::size_t> RequeueFailed(std::optional<std::string> id, Instant at,
                                            std::optional<std::string> board_id) = 0;

  // Deployment settings, e.g. "bank-holidays" (an updated bank-holidays.json). Put
  // inserts or replaces.
  virtual Status PutSetting(std::string_view key, std::string_view value, Instant at) = 0;
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  // A number that grows each time the setting is put; 0 for a setting never put.
  virtual Result<std::int64_t> SettingRevision(std::string_view key) = 0;  // nullopt if unset

  // ---- Sign-in (access.hpp). Nothing here is a secret in clear. ----
  // People are named by (board_id, person_id): a person id is unique only within its board.
  // A person's password as its Argon2id hash, replacing any earlier one, and in the same
  // transaction every way they were signed in ends: their sessions are deleted and their API
  // tokens revoked at `at` (whoever knew the old password may have made them). NotFound if
  // the person is not stored.
  virtual Status PutPasswordHash(std::string_view board_id, std::string_view person_id, std::string_view hash,
                                 Instant at) = 0;
  virtual Result<std::optional<std::string>> GetPasswordHash(std::string_view board_id,
                                                             std::string_view person_id) = 0;
  // A new token: InvalidArgument if its id or hash is taken, NotFound if its person is not stored.
  virtual Status PutApiToken(const ApiToken& t) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  // Tokens by id: one board's (every board's when board_id is empty), of one person of it
  // (everyone's when person_id is empty).
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::string_view board_id, std::string_view person_id) = 0;
  // NotFound if unknown; a token already revoked keeps its first revocation time.
  virtual Status RevokeApiToken(std::string_view id, Instant at) = 0;
  // A new session (NotFound if its person is not stored), found by the hash of its secret,
  // ended when its person signs out, and swept once expired.
  virtual Status PutSession(const Session& s) = 0;
  virtual Result<std::optional<Session>> FindSession(std::string_view id_hash) = 0;
  virtual Status DeleteSession(std::string_view id_hash) = 0;  // Ok if there was none
  virtual Result<std::int64_t> DeleteExpiredSessions(Instant now) = 0;  // expires_at <= now

  // Sign-in throttling: wrong passwords counted per (account, client address), where account
  // is a hash of what was typed (never the email itself). A failure more than a window after
  // the pair's last one starts its count again; rows older than the window are swept.
  virtual Status RecordFailedSignIn(std::string_view account, std::string_view address, Instant at,
                                    Instant window_start) = 0;
  // The pair's failures and the account's from every address, at or after window_start.
  virtual Result<SignInFailures> CountFailedSignIns(std::string_view account, std::string_view address,
                                                    Instant window_start) = 0;
  // One more attempt from the pair answered "wait" (counted, not audited row by row).
  virtual Status CountThrottledSignIn(std::string_view account, std::string_view address) = 0;
  // The pair signed in: its count starts again.
  virtual Status ClearFailedSignIns(std::string_view account, std::string_view address) = 0;

  // ---- The audit log: append-only, keyed and witnessed (access.hpp). ----
  // Appends `e` after the last entry: the store sets seq, prev_hash, hash (AuditMac) and
  // keyed, in one transaction, so entries appended by several processes form one chain; then,
  // once committed, moves the witness forward. The key is made at first use (with the first
  // witness); StorageError, and nothing written, if the key is missing while the log
  // has keyed entries or a witness (a new key would hide every entry before it). Returns the
  // entry; an error after the commit (the witness could not be written) is returned too.
  virtual Result<AuditEntry> AppendAudit(const AuditEntry& e) = 0;
  // Entries matching the filter, by seq, at most f.limit.
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) = 0;
  // The key and the witness as they are now, for VerifyAuditChain. The key is secret: callers
  // use it to verify and never show or store it.
  virtual Result<AuditSeal> ReadAuditSeal() = 0;

  // ---- Idempotency keys (IdempotencyRecord) ----
  // The record kept under (board, actor, key), if any younger than `since` (older ones are
  // forgotten).
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view board_id, std::string_view actor,
                                                                    std::string_view key, Instant since) = 0;
  // Keeps a record for a request that changed no review (a token made, say). Conflict if the
  // actor (of the record's board) already has a record under the key. Records older than `forget_before` are deleted.
  virtual Status PutIdempotency(const IdempotencyRecord& r, Instant forget_before) = 0;
};

// The audit log checked from its first entry: seq without gaps, each entry's prev_hash the
// hash before it, each hash recomputed (plain SHA-256 before the witness's keyed_from, the
// keyed MAC from it on), the entry the witness names still holding its MAC, and the log not
// shorter than the witness. `problem` is empty when the chain holds; otherwise it names the
// first entry that breaks it and how. StorageError (not a verification) when the key
// is missing but the log has keyed entries or a witness.
struct AuditVerification {
  std::int64_t entries = 0;
  std::int64_t head_seq = 0;
  std::string head_hash;  // GenesisAuditHash() when the log is empty
  std::int64_t keyed_from = 0;  // the first entry MACed with the key; 0 when none is yet
  std::int64_t witness_seq = 0;  // the head the witness vouched for
  std::int64_t bad_seq = 0;
  std::string problem;
  // With a board: that board's entries among those verified, and the last of them.
  std::int64_t board_entries = 0;
  std::int64_t board_head_seq = 0;
  std::string board_head_hash;
};
Result<AuditVerification> VerifyAuditChain(Store& store, std::optional<std::string_view> board = std::nullopt);

// An in-memory Store for tests. Same contract, nothing durable.
std::unique_ptr<Store> NewMemoryStore();

}  // namespace casereview
