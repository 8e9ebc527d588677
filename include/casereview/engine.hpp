// Engine: the one way to change a review.
//
// A command's path: check the input → load the review and rebuild its machine from its log
// (or take the one this Engine kept after its last command on it, if the review has not moved
// since) → dispatch the event (refused? return the refusal, record nothing) → in ONE store
// transaction append the event and update the review's read model.
//
// Thread safety: one Engine per thread (it keeps the reviews it rebuilt, unlocked; the Store
// serialises). Several Engines, in one process or several, may share one database: a kept
// review is used only while the stored review is still where this Engine left it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

struct ReviewState;       // engine/replay.hpp: a review's machine and deadlines
class BusinessCalendar;   // engine/calendar.hpp: working days and bank holidays
class ReviewCache;        // engine/review_cache.hpp: reviews rebuilt by earlier commands
struct BoardDirectory;    // engine/resolve.hpp: a board's agencies and people
struct ReviewKind;        // workflows/common/review_kind.hpp: a kind of review, as the registry knows it
struct DeadlinesWritten;  // engine/review_cache.hpp: what a commit wrote of a review's deadlines
struct LinkedOpening;     // workflows/common/review_kind.hpp: an event that opens a review of another kind

struct RecoveryReport {
  std::int64_t reviews_checked = 0;
  std::int64_t events_replayed = 0;
  std::int64_t stale = 0;     // read models an older casereview wrote
  std::int64_t repaired = 0;  // of those, rebuilt from the log
};

// What a command's caller writes in the same transaction as the change the command makes
// (ReviewChange::audit and ::idempotency): the audit entry that records the command, and the
// request's idempotency record. AttachTo fills in what only the change knows: the review's
// reference (the audit entry's target), its last event and its stage.
struct CommandTrail {
  std::optional<AuditEntry> audit;
  std::optional<IdempotencyRecord> idempotency;

  void AttachTo(ReviewChange& change) const;
};

class Engine {
 public:
  // Who records the events a timer fires.
  static constexpr std::string_view kSchedulerActor = "casereview-scheduler";

  // How many rebuilt reviews an Engine keeps by default (a few KB each: docs/performance.md, figure 2).
  static constexpr std::size_t kKeptReviews = 1024;

  // REQUIRES: store and clock outlive the Engine.
  Engine(Store& store, const Clock& clock, std::size_t kept_reviews = kKeptReviews);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ---- Board set-up ----
  Status CreateBoard(const Board& b);  // InvalidArgument if it exists or is malformed
  Status PutAgency(const Agency& a);   // the board must exist
  Status PutPerson(const Person& p);   // the board (and agency, if given) must exist
  Status ImportBoardData(const BoardData& d);  // all or nothing
  // The only board, when `board_id` is empty and there is exactly one.
  Result<Board> FindBoard(std::string_view board_id);
  // The board (found as FindBoard finds it) with its agencies and people, as a board file holds them.
  Result<BoardData> LoadBoardData(std::string_view board_id);

  // ---- Reviews ----
  // Opens a review of the kind registered as `kind` (workflows/common/review_kind.hpp) from
  // its opening event's fields (people and agencies by id). Returns the new review's
  // reference, e.g. "SCR-2026-001". What the kind checks before opening is checked first (a
  // child death notified before, by the same NHS number on any board, is refused, naming that
  // review). `trail` (here and below) is written with the change, in its transaction.
  Result<std::string> Open(std::string_view kind, std::string_view board_id, const nlohmann::json& fields,
                           std::string_view actor, const CommandTrail& trail = {});
  // Records one event on a review. A refusal names the review, its stage and what is
  // missing, and nothing is written. An event that opens a review of another kind (the kind's
  // linked_openings: ReferredForScr on a child death review opens the linked SCR, in
  // Referred, its panel notified) opens it in the same transaction. When another
  // process commits to the review first (the scheduler firing a timer on it, say), the event
  // is checked again against the review as it now is and committed then.
  Result<ReviewRecord> Record(std::string_view ref, std::string_view event,
                              const nlohmann::json& fields, std::string_view actor, const CommandTrail& trail = {});

  // Fires one due timer as its event on its review, in one transaction with the timer's
  // firing and the notices it causes. Conflict when the timer was moved, cancelled or
  // fired meanwhile (then nothing is written and the caller moves on).
  Status FireTimer(const Timer& timer);

  Result<ReviewRecord> GetReview(std::string_view ref);
  Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f);
  // One page of the summaries of the reviews the filter selects, by ref (Store::ListReviewSummaries):
  // what a list of reviews needs, without reading a read model. ReviewListRows
  // (engine/review_view.hpp) makes them the rows the API and the CLI show.
  Result<std::vector<ReviewSummary>> ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page);
  Result<std::vector<StoredEvent>> History(std::string_view ref);

  // ---- The calendar ----
  // Loads an updated bank-holidays.json (gov.uk's format; its years replace the shipped
  // ones), keeps it in the store, and re-projects every review's deadlines and timers on
  // the new calendar. Returns how many reviews were re-projected. A bad file changes
  // nothing and says what is wrong. Idempotent: run it again if it was interrupted.
  Result<std::int64_t> UpdateBankHolidays(std::string_view json);
  // The calendar in force: the shipped one with the stored update over it.
  Result<const BusinessCalendar*> Calendar();

  // Rebuilds every open review's machine (every review, with include_closed) from its log
  // and checks it reaches the stored stage. Corruption names the first review that
  // disagrees. A read model that differs at the same stage and event was written by an
  // older casereview: it is counted as stale, and rebuilt from the log when `repair`.
  Result<RecoveryReport> Recover(bool include_closed = false, bool repair = false);

 private:
  Result<ReviewRecord> RecordOnce(std::string_view ref, std::string_view event, const nlohmann::json& fields,
                                  std::string_view actor, const CommandTrail& trail);
  // A change to another review to write in the same transaction as a new review's opening,
  // given the new review's reference.
  using LinkedChange = std::function<Result<ReviewChange>(const std::string& new_ref)>;
  // Opens a review of `kind` from its opening event's (resolved) fields, numbered in the
  // year ("SCR-2026-004"), with `linked` (may be empty) written with it, and `trail` (may be
  // null) attached to the opening.
  Result<std::string> OpenReview(const ReviewKind& kind, const Board& board, const BoardDirectory& dir,
                                 const nlohmann::json& resolved, std::string_view actor, const LinkedChange& linked,
                                 const CommandTrail* trail);
  // Records `link`'s event on `record`, opening the review of the other kind it opens in the
  // same commit (engine/linked_opening.cpp). `dir`: the board's directory, already read for
  // the command.
  Result<ReviewRecord> RecordWithLinkedOpening(const LinkedOpening& link, const ReviewRecord& record,
                                               const BoardDirectory& dir, const nlohmann::json& resolved,
                                               std::string_view actor, const CommandTrail& trail);
  // The change one accepted event makes: appended, re-planned timers, notices. `written`:
  // what the review's last commit wrote of its deadlines, when known (nullopt otherwise); if
  // the deadlines have not moved since, the change leaves the timers as they are. Set to what
  // this change writes.
  Result<ReviewChange> ChangeFor(const ReviewRecord& record, const ReviewState& state, std::string_view event,
                                 const nlohmann::json& fields, std::string_view actor, Instant now,
                                 const Timer* firing, const BoardDirectory& dir,
                                 std::optional<DeadlinesWritten>& written);
  // Appends one accepted event to the review, with its re-planned timers and notices, and
  // keeps the state for the review's next command. Returns the record written. `written`: as
  // Rebuild gave it.
  Result<ReviewRecord> CommitAccepted(const ReviewRecord& record, ReviewState&& state, std::string_view event,
                                      const nlohmann::json& fields, std::string_view actor, Instant now,
                                      const Timer* firing, const BoardDirectory& dir, const CommandTrail& trail,
                                      std::optional<DeadlinesWritten>& written);
  // The review's machine and deadlines as `stored` (just read) says it stands: kept from this
  // Engine's last command on it when the review has not moved since (with what that command
  // wrote of its deadlines, in `written`), else replayed from its log (`written` nullopt).
  Result<ReviewState> Rebuild(const ReviewRecord& stored, std::optional<DeadlinesWritten>& written);

  Store& store_;
  const Clock& clock_;
  // The board's agencies and people: kept from this Engine's last read while the store's
  // BoardRevision says nobody has changed them since, else read again.
  Result<std::shared_ptr<const BoardDirectory>> Directory(const std::string& board_id);

  // The calendar in force and the revision of the stored update it was built from: rebuilt
  // when another process has stored an update since (Store::SettingRevision).
  std::shared_ptr<const BusinessCalendar> calendar_;
  std::int64_t calendar_revision_ = -1;
  // Each board's directory as last read, with the BoardRevision it was read at.
  std::map<std::string, std::pair<std::int64_t, std::shared_ptr<const BoardDirectory>>, std::less<>> directories_;
  // Reviews rebuilt or committed by earlier commands (never null).
  std::unique_ptr<ReviewCache> reviews_;
};

// The kinds of event a review takes, with their fields, for help and documentation.
struct EventHelp {
  std::string kind;  // "scr" or "cdop"
  std::string name;
  std::string summary;
  nlohmann::json fields;  // [{"name","type","required","help","choices","confidential"}]
};
std::vector<EventHelp> EventHelpFor(std::string_view kind);  // "scr", "cdop"
std::vector<EventHelp> AllEventHelp();  // the SCR's, then the child death review's

}  // namespace casereview
