#include "deadlines.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "common/event_spec.hpp"
#include "common/interned_text.hpp"

namespace casereview {
namespace {

std::string SubjectOf(const DeadlineRule& r, const nlohmann::json& payload) {
  return r.per.empty() ? std::string() : TextField(payload, r.per);
}

Date FieldDate(const nlohmann::json& payload, std::string_view field) {
  auto d = ParseDate(TextField(payload, field));
  assert(d.ok() && "the event table guarantees date fields are dates");
  return *d;
}

Instant EndOf(Date d) { return EndOfDayLondon(d); }

}  // namespace

namespace {

// One shared copy of each distinct profile in force. A handful exist (the built-in ones, as
// stored in reviews' logs); past kMaxShared distinct ones, a profile is simply not shared.
std::shared_ptr<const PolicyProfile> Shared(PolicyProfile profile) {
  constexpr std::size_t kMaxShared = 64;
  static std::mutex mu;
  static std::vector<std::shared_ptr<const PolicyProfile>> shared;
  std::lock_guard lock(mu);
  for (const auto& p : shared)
    if (*p == profile) return p;
  auto p = std::make_shared<const PolicyProfile>(std::move(profile));
  if (shared.size() < kMaxShared) shared.push_back(p);
  return p;
}

}  // namespace

DeadlineTracker::DeadlineTracker(PolicyProfile profile, const BusinessCalendar& calendar)
    : profile_(Shared(std::move(profile))), calendar_(&calendar) {}

Date DeadlineTracker::AnchorDate(const DeadlineRule& r, const nlohmann::json& payload,
                                 Instant recorded_at) const {
  return r.anchor_field.empty() ? LondonDate(recorded_at) : FieldDate(payload, r.anchor_field);
}

Instant DeadlineTracker::DueFor(const DeadlineRule& r, const nlohmann::json& payload,
                                Instant recorded_at) const {
  if (!r.due_field.empty() && payload.contains(r.due_field)) return EndOf(FieldDate(payload, r.due_field));
  assert(r.length && "CheckRule requires a length or a due_field");
  Date anchor = AnchorDate(r, payload, recorded_at);
  int n = r.length->value;
  switch (r.length->unit) {
    case DurationUnit::kHours: {
      Instant start = r.anchor_field.empty() ? recorded_at : LondonLocalTime(anchor, std::chrono::seconds{0});
      return AddElapsedHours(start, n);
    }
    case DurationUnit::kWorkingDays: return EndOf(calendar_->AddWorkingDays(anchor, n));
    case DurationUnit::kCalendarDays: return EndOf(AddDays(anchor, n));
    case DurationUnit::kWeeks: return EndOf(AddDays(anchor, 7 * n));
    case DurationUnit::kCalendarMonths: return EndOf(AddMonths(anchor, n));
  }
  return EndOf(anchor);
}

std::optional<Date> DeadlineTracker::DefaultDueDate(std::string_view event, const nlohmann::json& payload,
                                                    Instant recorded_at) const {
  for (const auto& r : profile_->deadlines) {
    if (r.anchor_event != event || r.due_field.empty() || payload.contains(r.due_field) || !r.length)
      continue;
    nlohmann::json without_due = payload;
    return LondonDate(DueFor(r, without_due, recorded_at));
  }
  return std::nullopt;
}

const DeadlineRuleTexts& SharedRuleTexts(std::string_view id, std::string_view what,
                                         std::string_view holder_role) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  static std::mutex mu;
  // A node-based map: an element never moves, so a reference to it stays valid as it grows.
  // The views are interned, so they outlive the strings they were made from.
  static std::map<Key, DeadlineRuleTexts> shared;
  Key key{InternedText(id), InternedText(what), InternedText(holder_role)};
  std::lock_guard lock(mu);
  return shared.try_emplace(key, DeadlineRuleTexts{std::get<0>(key), std::get<1>(key), std::get<2>(key)})
      .first->second;
}

std::string Deadline::Key() const {
  return subject.empty() ? std::string(Rule()) : std::string(Rule()) + ":" + subject;
}

bool Deadline::HasKey(std::string_view key) const {
  std::string_view rule = Rule();
  if (subject.empty()) return key == rule;
  return key.size() == rule.size() + 1 + subject.size() && key.starts_with(rule) &&
         key[rule.size()] == ':' && key.ends_with(subject);
}

std::string_view Deadline::StatusText() const {
  switch (status) {
    case kOpen: return "open";
    case kSuspended: return "suspended";
    case kMet: return "met";
  }
  return "open";
}

std::string Deadline::What() const {
  return subject.empty() ? std::string(texts->what) : std::string(texts->what) + " (" + subject + ")";
}

Deadline* DeadlineTracker::Find(std::string_view key) {
  for (auto& d : deadlines_)
    if (d.HasKey(key)) return &d;
  return nullptr;
}

void DeadlineTracker::Open(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at) {
  Deadline d;
  d.texts = &SharedRuleTexts(r.id, r.what, r.holder);
  d.subject = SubjectOf(r, payload);
  // Ids of the board's people and agencies: a bounded set, so they may be interned.
  if (!r.holder_field.empty()) d.holder = InternedText(PersonId(payload, r.holder_field));
  if (!r.holder_field.empty() && payload.contains(r.holder_field) && payload[r.holder_field].is_object())
    d.holder_agency = InternedText(payload[r.holder_field].value("agency", ""));
  d.opened_at = recorded_at;
  d.due = DueFor(r, payload, recorded_at);
  d.due_date = LondonDate(d.due);
  d.original_due_date = d.due_date;
  if (Deadline* existing = Find(d.Key())) {
    if (!existing->IsOpen()) return;
    *existing = d;  // re-anchored (e.g. a second notification)
    ++revision_;
    return;
  }
  deadlines_.push_back(std::move(d));
  ++revision_;
}

void DeadlineTracker::Meet(std::string_view event, const nlohmann::json& payload, Instant recorded_at) {
  for (auto& d : deadlines_) {
    const DeadlineRule* r = profile_->Rule(d.Rule());
    if (!d.IsOpen() || !r || std::find(r->met_by.begin(), r->met_by.end(), event) == r->met_by.end()) continue;
    if (!d.subject.empty() && SubjectOf(*r, payload) != d.subject) continue;
    d.status = Deadline::kMet;
    d.met_at = recorded_at;
    ++revision_;
  }
}

void DeadlineTracker::MoveFor(std::string_view event, const nlohmann::json& payload, Instant recorded_at,
                              const DeadlineMoves& moves) {
  if (event != moves.extended && event != moves.paused && event != moves.resumed) return;
  for (auto& d : deadlines_) {
    const DeadlineRule* r = profile_->Rule(d.Rule());
    if (!d.IsOpen() || !r) continue;
    if (event == moves.extended && r->extendable) {
      d.due_date = FieldDate(payload, moves.extended_until);
      d.due = EndOf(d.due_date);
      d.changes.push_back("extended to " + FormatDate(d.due_date));
      ++revision_;
    } else if (event == moves.paused && r->suspendable && d.status == Deadline::kOpen) {
      d.status = Deadline::kSuspended;
      d.suspended_since = recorded_at;
      ++revision_;
    } else if (event == moves.resumed && d.status == Deadline::kSuspended) {
      auto paused = std::chrono::sys_days(FieldDate(payload, moves.resumed_on)) - std::chrono::sys_days(LondonDate(d.suspended_since));
      int days = std::max(0, static_cast<int>(paused.count()));
      d.due_date = AddDays(d.due_date, days);
      d.due = EndOf(d.due_date);
      d.status = Deadline::kOpen;
      d.changes.push_back("paused " + std::to_string(days) + " days; now due " + FormatDate(d.due_date));
      ++revision_;
    }
  }
}

void DeadlineTracker::Apply(std::string_view event, const nlohmann::json& payload, Instant recorded_at,
                            const DeadlineMoves& moves) {
  Meet(event, payload, recorded_at);
  MoveFor(event, payload, recorded_at, moves);
  for (const auto& r : profile_->deadlines) {
    if (r.anchor_event != event) continue;
    if (!r.only_if_field.empty() && TextField(payload, r.only_if_field) != r.only_if_equals) continue;
    Open(r, payload, recorded_at);
  }
}

nlohmann::json DeadlineToJson(const Deadline& d) {
  nlohmann::json j = {{"key", d.Key()},
                      {"rule", d.Rule()},
                      {"what", d.What()},
                      {"holder_role", d.HolderRole()},
                      {"due", FormatInstant(d.due)},
                      {"due_date", FormatDate(d.due_date)},
                      {"original_due_date", FormatDate(d.original_due_date)},
                      {"status", d.StatusText()},
                      {"changes", d.changes}};
  if (!d.subject.empty()) j["subject"] = d.subject;
  if (!d.holder.empty()) j["holder"] = d.holder;
  if (d.status == Deadline::kMet) {
    j["met_at"] = FormatInstant(d.met_at);
    // Slippage, for the board: whole days past the due date, by the London calendar.
    auto late = std::chrono::sys_days(LondonDate(d.met_at)) - std::chrono::sys_days(d.due_date);
    j["late_days"] = d.met_at > d.due ? static_cast<int>(late.count()) : 0;
  }
  return j;
}

nlohmann::json DeadlineTracker::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : deadlines_) out.push_back(DeadlineToJson(d));
  return out;
}

}  // namespace casereview
