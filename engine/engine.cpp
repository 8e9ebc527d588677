#include "casereview/engine.hpp"

#include <algorithm>
#include <cstdio>

#include "calendar.hpp"
#include "notices.hpp"
#include "policy_profile.hpp"
#include "replay.hpp"
#include "timers.hpp"
#include "resolve.hpp"
#include "review_cache.hpp"
#include "commands.hpp"

namespace casereview {
namespace {

// "SCR-2026-001 (stage: Commissioning): " — how every error about a review begins.
std::string About(const ReviewRecord& r) { return r.ref + " (stage: " + r.stage + "): "; }

// "SCR-2026-" for an SCR opened in 2026, "CDR-2026-" for a child death review.
std::string RefPrefix(const ReviewKind& kind, Instant now) {
  return std::string(kind.ref_prefix) + "-" + std::to_string(int(DateOf(now).year())) + "-";
}

std::string RefFor(const std::string& prefix, std::int64_t number) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(number));
  return prefix + buf;
}

}  // namespace

Engine::Engine(Store& store, const Clock& clock, std::size_t kept_reviews)
    : store_(store), clock_(clock), reviews_(std::make_unique<ReviewCache>(kept_reviews)) {}

Engine::~Engine() = default;

namespace {

// A board's policy profile must be one casereview ships.
Status CheckProfile(const Board& b) {
  auto p = BuiltInProfile(b.policy_profile);
  return p.ok() ? Status::Ok() : Status::InvalidArgument("board " + b.id + ": " + p.status().message());
}

}  // namespace

Status Engine::CreateBoard(const Board& b) {
  CR_RETURN_IF_ERROR(Validate(BoardData{b, {}, {}}));
  CR_RETURN_IF_ERROR(CheckProfile(b));
  auto boards = store_.ListBoards();
  if (!boards.ok()) return boards.status();
  for (const auto& existing : *boards)
    if (existing.id == b.id) return Status::InvalidArgument("board " + b.id + " already exists");
  return store_.PutBoard(b);
}

Result<Board> Engine::FindBoard(std::string_view board_id) {
  auto boards = store_.ListBoards();
  if (!boards.ok()) return boards.status();
  if (board_id.empty()) {
    if (boards->size() == 1) return boards->front();
    return Status::InvalidArgument(boards->empty()
                                       ? "there is no board yet (casereview board create)"
                                       : "there are several boards: say which (--board ID)");
  }
  for (const auto& b : *boards)
    if (b.id == board_id) return b;
  return Status::NotFound("no board '" + std::string(board_id) + "'");
}

Result<BoardData> Engine::LoadBoardData(std::string_view board_id) {
  auto board = FindBoard(board_id);
  if (!board.ok()) return board.status();
  auto agencies = store_.ListAgencies(board->id);
  if (!agencies.ok()) return agencies.status();
  auto people = store_.ListPeople(board->id);
  if (!people.ok()) return people.status();
  return BoardData{*board, std::move(*agencies), std::move(*people)};
}

Status Engine::PutAgency(const Agency& a) {
  CR_RETURN_IF_ERROR(Validate(a));
  auto board = FindBoard(a.board_id);
  if (!board.ok()) return board.status();
  return store_.PutAgency(a);
}

Status Engine::PutPerson(const Person& p) {
  CR_RETURN_IF_ERROR(Validate(p));
  auto board = FindBoard(p.board_id);
  if (!board.ok()) return board.status();
  if (!p.agency_id.empty()) {
    auto dir = BoardDirectory::Load(store_, p.board_id);
    if (!dir.ok()) return dir.status();
    if (!dir->agencies.count(p.agency_id))
      return Status::NotFound("person " + p.id + ": no agency '" + p.agency_id + "' on board " +
                              p.board_id);
  }
  return store_.PutPerson(p);
}

Status Engine::ImportBoardData(const BoardData& d) {
  // Rows are added to what the board already has (a CSV of people names agencies imported
  // earlier), and the whole is checked before anything is written.
  BoardData merged = d;
  auto dir = BoardDirectory::Load(store_, d.board.id);
  if (!dir.ok()) return dir.status();
  auto has = [](const auto& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.id == id; });
  };
  for (const auto& [id, a] : dir->agencies)
    if (!has(merged.agencies, id)) merged.agencies.push_back(a);
  for (const auto& [id, p] : dir->people)
    if (!has(merged.people, id)) merged.people.push_back(p);
  CR_RETURN_IF_ERROR(Validate(merged));
  CR_RETURN_IF_ERROR(CheckProfile(merged.board));
  return store_.ImportBoardData(merged);
}

void CommandTrail::AttachTo(ReviewChange& change) const {
  if (audit) {
    change.audit.push_back(*audit);
    change.audit.back().target = change.review.ref;
  }
  if (idempotency) {
    change.idempotency = *idempotency;
    change.idempotency->board_id = change.review.board_id;
    change.idempotency->ref = change.review.ref;
    change.idempotency->seq = change.review.last_seq;
    change.idempotency->stage = change.review.stage;
  }
}

Result<std::string> Engine::Open(std::string_view kind_name, std::string_view board_id, const nlohmann::json& fields,
                                 std::string_view actor, const CommandTrail& trail) {
  const ReviewKind* kind = FindReviewKind(kind_name);
  if (kind == nullptr) return Status::InvalidArgument("there is no kind of review '" + std::string(kind_name) + "'");
  auto board = FindBoard(board_id);
  if (!board.ok()) return board.status();
  auto loaded = Directory(board->id);
  if (!loaded.ok()) return loaded.status();
  const BoardDirectory& dir = **loaded;
  CR_RETURN_IF_ERROR(CheckActor(dir, board->id, actor));
  auto resolved = CheckAndResolve(dir, kind->name, kind->opening_event, fields);
  if (!resolved.ok()) return Prefixed(std::string(kind->opening_noun) + ": ", resolved.status());
  if (kind->check_opening != nullptr)
    if (Status allowed = kind->check_opening(store_, *resolved); !allowed.ok())
      return Prefixed(std::string(kind->opening_noun) + ": ", allowed);
  return OpenReview(*kind, *board, dir, *resolved, actor, nullptr, &trail);
}

Result<std::string> Engine::OpenReview(const ReviewKind& kind, const Board& board, const BoardDirectory& dir,
                                       const nlohmann::json& resolved, std::string_view actor,
                                       const LinkedChange& linked, const CommandTrail* trail) {
  auto profile = BuiltInProfile(board.policy_profile);
  if (!profile.ok()) return profile.status();
  ReviewRules rules{board.policy_profile, board.quorum, std::move(*profile)};
  auto calendar = Calendar();
  if (!calendar.ok()) return calendar.status();
  Instant now = clock_.Now();
  const std::string_view opening = kind.opening_event;
  const std::string prefix = RefPrefix(kind, now);  // "SCR-2026-"
  // Two processes may number a review at once; the loser's Commit conflicts and retries.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto count = store_.CountReviewsWithPrefix(prefix);
    if (!count.ok()) return count.status();
    std::string ref = RefFor(prefix, *count + 1);
    auto state = BeginReview(kind, ref, rules, resolved, now, **calendar);
    if (!state.ok()) return Prefixed(std::string(opening) + ": ", state.status());
    nlohmann::json payload = resolved;
    payload["rules"] = RulesToJson(rules);
    std::vector<ReviewChange> changes(1);
    ReviewChange& change = changes[0];
    change.review = RecordOf(*state, board.id, now, now, 1);
    change.events.push_back({ref, 1, std::string(opening), payload.dump(), std::string(actor), now});
    change.expected_last_seq = 0;
    change.timers = PlanTimers(ref, state->deadlines, **calendar);
    change.notices = NoticesFor(*state, board.id, opening, resolved, 1, now, dir);
    if (trail) trail->AttachTo(change);
    if (linked) {
      auto other = linked(ref);
      if (!other.ok()) return other.status();
      changes.push_back(std::move(*other));
    }
    Status s = store_.CommitAll(changes);
    if (s.ok()) return ref;
    if (s.code() != Status::Code::kConflict) return s;
  }
  return Status::Conflict("could not number the new review: others kept opening reviews at the same moment; try again");
}

Result<ReviewRecord> Engine::Record(std::string_view ref, std::string_view event,
                                    const nlohmann::json& fields, std::string_view actor, const CommandTrail& trail) {
  // Another process may commit to the review between our read and our commit; the store
  // then refuses ours (Conflict) and nothing was written: read again and re-check.
  for (int attempt = 1;; ++attempt) {
    auto r = RecordOnce(ref, event, fields, actor, trail);
    if (r.ok() || r.status().code() != Status::Code::kConflict || attempt == 5) return r;
  }
}

Result<ReviewRecord> Engine::RecordOnce(std::string_view ref, std::string_view event,
                                        const nlohmann::json& fields, std::string_view actor,
                                        const CommandTrail& trail) {
  auto record = GetReview(ref);
  if (!record.ok()) return record.status();
  std::string about = About(*record);
  if (record->machine_version != DefinitionVersionOf(record->kind))
    return Status::Corruption(about + "recorded under machine version " +
                              std::to_string(record->machine_version) + "; this build reads version " +
                              std::to_string(DefinitionVersionOf(record->kind)));
  if (event == kDeadlineReminderDue || event == kDeadlineEscalated)
    return Status::InvalidArgument(about + std::string(event) +
                                   " is recorded by the scheduler when a timer falls due, not by hand");
  // Read once: the actor's check, the resolution of the fields and the notices all use it.
  auto loaded = Directory(record->board_id);
  if (!loaded.ok()) return loaded.status();
  const BoardDirectory* dir = loaded->get();
  Status actor_ok = CheckActor(*dir, record->board_id, actor);
  if (!actor_ok.ok()) return Prefixed(about, actor_ok);
  const ReviewKind* kind = FindReviewKind(record->kind);
  if (kind == nullptr) return Status::Corruption(about + "a kind of review this build lacks ('" + record->kind + "')");
  nlohmann::json input = fields;
  // A date field the command leaves out that the kind counts from today (a meeting's notice,
  // say) is today's, stored with the event.
  if (const EventSpec* spec = FindSpec(kind->events(), event); spec != nullptr && input.is_object())
    for (const FieldSpec& f : spec->fields)
      if (f.today_by_default && !input.contains(f.name)) input[std::string(f.name)] = FormatDate(LondonDate(clock_.Now()));
  auto resolved = CheckAndResolve(*dir, record->kind, event, input);
  if (!resolved.ok()) return Prefixed(about, resolved.status());
  if (const LinkedOpening* link = kind->LinkedOpeningBy(event))
    return RecordWithLinkedOpening(*link, *record, *dir, *resolved, actor, trail);
  std::optional<DeadlinesWritten> written;
  auto state = Rebuild(*record, written);
  if (!state.ok()) return state.status();
  Instant now = clock_.Now();
  // An anchor event without its own due date (an IMR's) gets the profile's, stored with it.
  if (auto due = state->deadlines.DefaultDueDate(event, *resolved, now)) {
    for (const auto& r : state->deadlines.profile().deadlines)
      if (r.anchor_event == event && !r.due_field.empty()) (*resolved)[r.due_field] = FormatDate(*due);
  }
  // Refused: the message names review, stage and what is missing. The state goes with the
  // refusal (it was taken out of the cache), so nothing a refused event touched is kept.
  Status s = ApplyToReview(*state, event, *resolved, now);
  if (!s.ok()) return s;
  return CommitAccepted(*record, std::move(*state), event, *resolved, actor, now, nullptr, *dir, trail, written);
}

Result<ReviewState> Engine::Rebuild(const ReviewRecord& stored, std::optional<DeadlinesWritten>& written) {
  written.reset();
  auto calendar = Calendar();
  if (!calendar.ok()) return calendar.status();
  if (auto kept = reviews_->Take(stored, calendar_, written)) return std::move(*kept);
  auto log = store_.LoadEvents(stored.ref);
  if (!log.ok()) return log.status();
  return Replay(*log, **calendar);
}

Result<ReviewChange> Engine::ChangeFor(const ReviewRecord& record, const ReviewState& state, std::string_view event,
                                      const nlohmann::json& fields, std::string_view actor, Instant now,
                                      const Timer* firing, const BoardDirectory& dir,
                                      std::optional<DeadlinesWritten>& written) {
  std::int64_t seq = record.last_seq + 1;
  ReviewChange change;
  // Deadlines as they were at the last commit: the same timers, which the store holds already
  // (timers untouched is then the same change as listing them all again, store.hpp).
  const bool deadlines_moved = !written || written->revision != state.deadlines.revision();
  if (deadlines_moved) {
    written = DeadlinesWritten{state.deadlines.revision(), DeadlinesTextOf(state.deadlines)};
    change.timers = PlanTimers(record.ref, state.deadlines, *state.deadlines.calendar());
  }
  change.review = RecordOf(state, record.board_id, record.opened_at, now, seq, written->text);
  change.events.push_back({record.ref, seq, std::string(event), fields.dump(), std::string(actor), now});
  change.expected_last_seq = record.last_seq;
  change.notices = NoticesFor(state, record.board_id, event, fields, seq, now, dir);
  if (firing) change.firing = *firing;
  return change;
}

// The store checks expected_last_seq inside its write transaction: if another engine moved the
// review on since `record` was read, this is a Conflict, nothing is written and nothing kept.
Result<ReviewRecord> Engine::CommitAccepted(const ReviewRecord& record, ReviewState&& state, std::string_view event,
                                            const nlohmann::json& fields, std::string_view actor, Instant now,
                                            const Timer* firing, const BoardDirectory& dir, const CommandTrail& trail,
                                            std::optional<DeadlinesWritten>& written) {
  auto change = ChangeFor(record, state, event, fields, actor, now, firing, dir, written);
  if (!change.ok()) return change.status();
  trail.AttachTo(*change);
  CR_RETURN_IF_ERROR(store_.Commit(*change));
  // Kept only on the calendar it was built on: one replaced meanwhile is not the one in force.
  if (calendar_.get() == state.deadlines.calendar())
    reviews_->Keep(change->review, calendar_, std::move(state), std::move(written));
  return std::move(change->review);
}

Status Engine::FireTimer(const Timer& timer) {
  auto record = GetReview(timer.review_ref);
  if (!record.ok()) return record.status();
  std::optional<DeadlinesWritten> written;
  auto state = Rebuild(*record, written);
  if (!state.ok()) return state.status();
  nlohmann::json fields = nlohmann::json::parse(timer.payload, nullptr, false);
  if (fields.is_discarded())
    return Status::Corruption("timer " + timer.id + " has a payload that is not JSON");
  Instant now = clock_.Now();
  Status s = ApplyToReview(*state, timer.event, fields, now);
  if (!s.ok()) return Status::Corruption("timer " + timer.id + " was refused by its review: " + s.message());
  auto loaded = Directory(record->board_id);
  if (!loaded.ok()) return loaded.status();
  const BoardDirectory* dir = loaded->get();
  return CommitAccepted(*record, std::move(*state), timer.event, fields, kSchedulerActor, now, &timer, *dir, {},
                        written)
      .status();
}

Result<ReviewRecord> Engine::GetReview(std::string_view ref) {
  auto r = store_.GetReview(ref);
  if (!r.ok() && r.status().code() == Status::Code::kNotFound)
    return Status::NotFound("no review " + std::string(ref) + " (see 'casereview review list')");
  return r;
}

Result<std::vector<ReviewRecord>> Engine::ListReviews(const ReviewFilter& f) {
  return store_.ListReviews(f);
}

Result<std::vector<ReviewSummary>> Engine::ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) {
  return store_.ListReviewSummaries(f, page);
}

Result<std::vector<StoredEvent>> Engine::History(std::string_view ref) {
  auto r = GetReview(ref);
  if (!r.ok()) return r.status();
  return store_.LoadEvents(ref);
}

Result<RecoveryReport> Engine::Recover(bool include_closed, bool repair) {
  auto open = store_.ListReviews({std::nullopt, /*open_only=*/!include_closed});
  if (!open.ok()) return open.status();
  auto calendar = Calendar();
  if (!calendar.ok()) return calendar.status();
  RecoveryReport report;
  for (const auto& stored : *open) {
    auto log = store_.LoadEvents(stored.ref);
    if (!log.ok()) return log.status();
    auto state = Replay(*log, **calendar);
    if (!state.ok()) return state.status();
    ReviewRecord rebuilt = RecordOf(*state, stored.board_id, stored.opened_at, stored.updated_at,
                                     static_cast<std::int64_t>(log->size()));
    if (rebuilt.stage != stored.stage || rebuilt.last_seq != stored.last_seq || rebuilt.open != stored.open ||
        rebuilt.kind != stored.kind || rebuilt.machine_version != stored.machine_version)
      return Status::Corruption(stored.ref + ": replaying the log gives stage " + rebuilt.stage +
                                " (event " + std::to_string(rebuilt.last_seq) +
                                ") but the store says " + stored.stage + " (event " +
                                std::to_string(stored.last_seq) + ")");
    if (rebuilt != stored) {
      // The same stage at the same event, a different read model: one an older casereview
      // wrote, before the read model gained a field. The log is the truth; rebuild it.
      ++report.stale;
      if (repair) {
        ReviewChange change;
        change.review = rebuilt;
        change.expected_last_seq = stored.last_seq;
        change.timers = PlanTimers(stored.ref, state->deadlines, **calendar);
        CR_RETURN_IF_ERROR(store_.Commit(change));
        ++report.repaired;
      }
    }
    ++report.reviews_checked;
    report.events_replayed += static_cast<std::int64_t>(log->size());
  }
  return report;
}

namespace {

constexpr std::string_view kBankHolidaysSetting = "bank-holidays";

Result<BusinessCalendar> CalendarWith(std::optional<std::string> update) {
  BusinessCalendar calendar = BusinessCalendar::EnglandAndWales();
  if (update) CR_RETURN_IF_ERROR(calendar.Merge(*update));
  return calendar;
}

}  // namespace

Result<const BusinessCalendar*> Engine::Calendar() {
  // The revision first: an update stored after it is read again at the next command.
  auto revision = store_.SettingRevision(kBankHolidaysSetting);
  if (!revision.ok()) return revision.status();
  if (!calendar_ || *revision != calendar_revision_) {
    auto update = store_.GetSetting(kBankHolidaysSetting);
    if (!update.ok()) return update.status();
    auto calendar = CalendarWith(*update);
    if (!calendar.ok())
      return Status::Corruption("the stored bank holidays update no longer loads: " + calendar.status().message());
    calendar_ = std::make_shared<const BusinessCalendar>(std::move(*calendar));
    calendar_revision_ = *revision;
    reviews_->Clear();  // their deadlines were counted on the calendar replaced
  }
  return calendar_.get();
}

Result<std::shared_ptr<const BoardDirectory>> Engine::Directory(const std::string& board_id) {
  // The revision first: a change stored after it is read again at the next command.
  auto revision = store_.BoardRevision(board_id);
  if (!revision.ok()) return revision.status();
  auto kept = directories_.find(board_id);
  if (kept != directories_.end() && kept->second.first == *revision) return kept->second.second;
  auto dir = BoardDirectory::Load(store_, board_id);
  if (!dir.ok()) return dir.status();
  auto shared = std::make_shared<const BoardDirectory>(std::move(*dir));
  directories_.insert_or_assign(board_id, std::make_pair(*revision, shared));
  return shared;
}

Result<std::int64_t> Engine::UpdateBankHolidays(std::string_view json) {
  auto checked = CalendarWith(std::string(json));
  if (!checked.ok()) return checked.status();  // InvalidArgument, already "bank holidays file: ..."
  CR_RETURN_IF_ERROR(store_.PutSetting(kBankHolidaysSetting, json, clock_.Now()));
  calendar_ = std::make_shared<const BusinessCalendar>(std::move(*checked));
  calendar_revision_ = -1;  // read again (with its revision) at the next command
  reviews_->Clear();
  auto reviews = store_.ListReviews({});
  if (!reviews.ok()) return reviews.status();
  std::int64_t done = 0;
  for (const auto& stored : *reviews) {
    auto log = store_.LoadEvents(stored.ref);
    if (!log.ok()) return log.status();
    auto state = Replay(*log, *calendar_);
    if (!state.ok()) return state.status();
    ReviewChange change;
    change.review = RecordOf(*state, stored.board_id, stored.opened_at, stored.updated_at, stored.last_seq);
    change.expected_last_seq = stored.last_seq;
    change.timers = PlanTimers(stored.ref, state->deadlines, *calendar_);
    CR_RETURN_IF_ERROR(store_.Commit(change));
    ++done;
  }
  return done;
}

std::vector<EventHelp> EventHelpFor(std::string_view kind) {
  std::vector<EventHelp> out;
  for (const auto& spec : EventSpecsOf(kind)) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : spec.fields) {
      nlohmann::json j = {{"name", f.name}, {"type", FieldTypeName(f.type)},
                          {"required", f.required}, {"help", f.help}};
      if (!f.choices.empty()) j["choices"] = f.choices;
      if (f.confidential) j["confidential"] = true;
      fields.push_back(j);
    }
    out.push_back({std::string(kind), std::string(spec.name), std::string(spec.summary), fields});
  }
  return out;
}

std::vector<EventHelp> AllEventHelp() {
  std::vector<EventHelp> all;
  for (const ReviewKind* kind : ReviewKinds())
    for (auto& e : EventHelpFor(kind->name)) all.push_back(std::move(e));
  return all;
}

}  // namespace casereview
