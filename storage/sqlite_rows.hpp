// How each stored type maps to a row of the schema in sqlite_schema.cpp, and the few rules
// every Store keeps because of that schema. Private to storage/.
//
// For each type: k*Columns lists the columns Read* expects, in order (use it in the SELECT);
// kUpsert* inserts or replaces by key, its parameters bound by Bind* in the same order.
// The SQL is portable (INSERT ... ON CONFLICT ... DO UPDATE works in SQLite and PostgreSQL).
// Bind* and Read* throw SQLite::Exception on a database error; the caller translates it.
// Bind* bind a row's large texts (a projection, a payload) without copying them: REQUIRES the
// row outlives the statement's run (bind, run, reset while the caller holds it).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace SQLite {
class Statement;
}  // namespace SQLite

namespace casereview::storage {

// Instants are stored as Unix seconds.
inline std::int64_t SecondsOf(Instant t) { return t.time_since_epoch().count(); }
inline Instant InstantAt(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }

inline constexpr const char* kBoardColumns =
    "id, name, policy_profile, quorum_chair_required, quorum_min_agencies, quorum_required_sectors";
extern const char* const kUpsertBoard;
void BindBoard(SQLite::Statement& s, const Board& b);
Board ReadBoard(const SQLite::Statement& s);

inline constexpr const char* kAgencyColumns = "id, board_id, name, sector";
extern const char* const kUpsertAgency;
void BindAgency(SQLite::Statement& s, const Agency& a);
Agency ReadAgency(const SQLite::Statement& s);

// An empty agency_id is stored as NULL, so the foreign key holds for independent people.
inline constexpr const char* kPersonColumns = "id, board_id, name, email, agency_id, roles, removed_at";
extern const char* const kUpsertPerson;
void BindPerson(SQLite::Statement& s, const Person& p);
Person ReadPerson(const SQLite::Statement& s);

// A review's summary is kept in review_summaries (sqlite_summaries.hpp): read it with
// `SELECT kReviewColumns FROM kReviewTables`, the review as `r`. A review with no summary row
// (only a file written outside the store can have one) reads with an empty summary.
// kUpsertReview writes the reviews row only.
inline constexpr const char* kReviewColumns =
    "r.ref, r.board_id, r.kind, r.stage, r.machine_version, r.last_seq, r.open, r.opened_at, r.updated_at,"
    " r.projection, COALESCE(s.summary, '')";
inline constexpr const char* kReviewTables = "reviews r LEFT JOIN review_summaries s ON s.ref = r.ref";
extern const char* const kUpsertReview;
void BindReview(SQLite::Statement& s, const ReviewRecord& r);
ReviewRecord ReadReview(const SQLite::Statement& s);

// Events are only ever appended: kInsertEvent fails on an existing (review_ref, seq).
inline constexpr const char* kEventColumns = "review_ref, seq, type, payload, actor, recorded_at";
extern const char* const kInsertEvent;
void BindEvent(SQLite::Statement& s, const StoredEvent& e);
StoredEvent ReadEvent(const SQLite::Statement& s);

// A timer row also holds its status and changed_at, which kInsertTimer sets to 'pending'
// and NULL; Commit changes them with its own UPDATEs (sqlite_timers.cpp).
inline constexpr const char* kTimerColumns = "id, review_ref, due, event, payload";
extern const char* const kInsertTimer;
void BindTimer(SQLite::Statement& s, const Timer& t);
Timer ReadTimer(const SQLite::Statement& s);

// Notices are inserted by Commit and QueueNotice (kInsertNotice fails on an existing id),
// then only their delivery columns change (sqlite_outbox.cpp). An empty review_ref (a
// board's own notice) is stored as NULL; an unset time too.
inline constexpr const char* kNoticeColumns =
    "id, review_ref, kind, recipients, payload, created_at, status, board_id, attempts, next_attempt_at,"
    " last_attempt_at, sent_at, last_error";
extern const char* const kInsertNotice;
void BindNotice(SQLite::Statement& s, const Notice& n);
Notice ReadNotice(const SQLite::Statement& s);

// The text stored in outbox.status.
inline constexpr const char* kNoticePending = "pending";
inline constexpr const char* kNoticeSent = "sent";
inline constexpr const char* kNoticeFailed = "failed";

// Settings are a key and its text. kUpsertSetting binds key, value, updated_at (seconds).
extern const char* const kUpsertSetting;

// The text stored in timers.status: "pending", "fired", "cancelled".
const char* TimerStatusName(TimerStatus status);
std::optional<TimerStatus> ParseTimerStatus(const std::string& name);

// ---------------------------------------------------------------------------------------
// Rules every Store keeps. The memory store uses them too, so both give the same answers.

// The REQUIRES of ReviewChange (store.hpp): each event for review.ref, seq continuing from
// expected_last_seq + 1 without gaps, the last one equal to review.last_seq; with no events
// (a re-projection), review.last_seq == expected_last_seq.
bool ContinuesLog(const ReviewChange& c);

// The Conflict that Commit returns when the stored review's last_seq is `found`, not the
// `expected` the caller loaded (0: the caller thought the review did not exist yet).
Status ReviewChangedMeanwhile(const std::string& ref, std::int64_t expected, std::int64_t found);

// The Conflict Commit returns for a re-projection (a change with no events) of a review
// that is not stored: there is no log to project. (A stored review has last_seq >= 1.)
Status NoReviewToReproject(const std::string& ref);

// The NotFound a write returns when a row refers to one that is not stored, e.g.
// MissingReference("agency police", "board 'demo'").
Status MissingReference(const std::string& who, const std::string& missing);

// What Commit can tell about a change's timers and notices without reading the store:
// a re-projection fires no timer; every timer listed, the timer being fired and every
// notice belong to change.review.ref; every notice is for the review's board and is new
// (CheckNewNotice); no timer is listed twice. InvalidArgument if not.
Status CheckTimersAndNoticesOf(const ReviewChange& c);

// What a notice put in the outbox (ReviewChange::notices, QueueNotice) must be, apart from
// its board and review: it has an id; it is pending with no delivery behind it (no attempts,
// no last attempt or error, not sent); its first attempt is due when it was created; every
// recipient is a storable list item. InvalidArgument naming the notice if not.
Status CheckNewNotice(const Notice& n);

// The InvalidArgument for a notice whose board is not `review_board`, the board of its review.
Status NoticeOfAnotherBoard(const Notice& n, const std::string& review_board);

// The Conflict Commit returns when the timer it was asked to fire is no longer pending
// with the due time the caller saw.
Status TimerMovedMeanwhile(const Timer& firing);

// The Conflict Commit returns when a notice with this id is already in the outbox (or is
// listed twice in the change).
Status NoticeAlreadyQueued(const Notice& n);

// The NotFound a delivery write returns for an id that is not in the outbox.
Status NoSuchNotice(const std::string& id);

// The Conflict RecordAttempt returns when the notice is not pending with `attempts_before`
// attempts: another dispatcher claimed it first. `status` and `attempts` are as found.
Status NoticeClaimedMeanwhile(const std::string& id, int attempts_before, const std::string& status, int attempts);

// The InvalidArgument RequeueFailed returns for a notice that has not failed (`status`).
Status NoticeNotFailed(const std::string& id, const std::string& status);

// The InvalidArgument Commit returns when a listed timer's id is stored for another review.
Status TimerOfAnotherReview(const Timer& t, const std::string& stored_ref);

// InvalidArgument if a setting's key is empty.
Status CheckSettingKey(std::string_view key);

// What a new token, session and audit entry must be (access.hpp): a token has an id, a person
// and a 64-hex-digit hash; a session a 64-hex-digit hash, a person, a CSRF token, and expires
// after it was made; an audit entry an actor, an action and an outcome. InvalidArgument if not.
Status CheckNewToken(const ApiToken& t);
Status CheckNewSession(const Session& s);
Status CheckNewAuditEntry(const AuditEntry& e);
// The InvalidArgument PutApiToken returns when a token's id or hash is stored; the NotFound
// RevokeApiToken returns for an unknown id.
Status TokenTaken(const std::string& id);
Status NoSuchToken(const std::string& id);
// The Conflict a change or PutIdempotency returns when its actor already has a record under the
// key: the request was done before. An empty key, actor or request digest: InvalidArgument.
Status IdempotencyKeyTaken(const std::string& key);
Status CheckIdempotencyRecord(const IdempotencyRecord& r);
// Whether an audit entry passes the filter's board, actor, target and time bounds (not seq, limit).
bool Matches(const AuditFilter& f, const AuditEntry& e);

// Lists are stored comma-separated, so an item can be neither empty nor hold a comma.
// Returns InvalidArgument naming `what` (e.g. "person p1: role") if one does.
Status CheckListItems(const std::vector<std::string>& items, const std::string& what);
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& text);

}  // namespace casereview::storage
