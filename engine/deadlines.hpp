// A review's deadlines, derived from its events under its policy profile.
//
// Pure and replayable: the tracker sees each accepted event in log order (with the time it
// was recorded) and keeps every deadline's due date, the original date, what moved it
// (extensions, suspensions) and whether it was met. Counting follows calendar.hpp: the
// anchor is day 0; working days skip weekends and bank holidays; calendar days and months
// are not moved off a weekend; a due date ends 23:59:59 Europe/London; hours are elapsed.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.hpp"
#include "casereview/clock.hpp"
#include "common/review_kind.hpp"  // DeadlineMoves
#include "policy_profile.hpp"

namespace casereview {

// The texts of a rule that each of its deadlines shows. One shared copy per distinct rule
// (SharedRuleTexts), alive for the whole process.
struct DeadlineRuleTexts {
  std::string_view id;           // the profile's rule id
  std::string_view what;         // the rule's description, without a subject
  std::string_view holder_role;  // the rule's holder role
};

// The shared copy of a rule's texts: equal texts give the same object. Thread-safe.
// REQUIRES: the texts come from policy profiles (a bounded set): nothing here is ever freed.
const DeadlineRuleTexts& SharedRuleTexts(std::string_view id, std::string_view what,
                                         std::string_view holder_role);

// One deadline of one review. Held for every open review, so it is kept small: the rule's
// texts and the holder's ids are shared copies (SharedRuleTexts, InternedText, alive for the
// whole process), and the key and description are made when asked for.
struct Deadline {
  const DeadlineRuleTexts* texts = &SharedRuleTexts("", "", "");  // never null
  std::string subject;  // agency or action id; "" for the review's own deadlines
  std::string_view holder;         // person id, where the anchor event names one
  std::string_view holder_agency;  // that person's agency, for the senior-manager step
  Instant opened_at{};  // when its anchor event was recorded
  Instant due{};        // when it falls due
  Instant met_at{};
  Instant suspended_since{};
  Date due_date{};
  Date original_due_date{};
  enum State : std::uint8_t { kOpen, kSuspended, kMet };
  State status = kOpen;
  std::vector<std::string> changes;  // "extended to 2026-07-26", "paused 30 days (inquest)"

  bool IsOpen() const { return status != kMet; }
  std::string_view Rule() const { return texts->id; }
  std::string_view HolderRole() const { return texts->holder_role; }
  std::string_view StatusText() const;  // "open", "suspended", "met" (as the read model shows it)
  // The rule id, plus ":" subject for per-agency / per-action rules ("imr-due:police").
  std::string Key() const;
  bool HasKey(std::string_view key) const;  // Key() == key, without making it
  // The rule's description, plus " (" subject ")" for per-agency / per-action rules.
  std::string What() const;
};

class DeadlineTracker {
 public:
  // REQUIRES: calendar outlives the tracker.
  DeadlineTracker(PolicyProfile profile, const BusinessCalendar& calendar);

  // Where an anchor event may carry its own due date (an IMR's "due") but does not, the
  // date the profile gives it, to be stored in the event; nullopt when not applicable.
  std::optional<Date> DefaultDueDate(std::string_view event, const nlohmann::json& payload,
                                     Instant recorded_at) const;
  // Takes one accepted event, in log order; `moves`: the review's kind's events that extend,
  // pause and restart deadlines.
  void Apply(std::string_view event, const nlohmann::json& payload, Instant recorded_at, const DeadlineMoves& moves);

  const std::vector<Deadline>& deadlines() const { return deadlines_; }
  // Grows whenever a deadline opens, is met or moves: equal revisions of one tracker have
  // equal deadlines(), and so the same timers (timers.hpp) and the same ToJson().
  std::uint64_t revision() const { return revision_; }
  // Gives back the room kept for deadlines yet to open: for a tracker held at rest (a review
  // rebuilt by Replay), not one about to take more events.
  void ShrinkToFit() { deadlines_.shrink_to_fit(); }
  const PolicyProfile& profile() const { return *profile_; }
  const BusinessCalendar* calendar() const { return calendar_; }
  nlohmann::json ToJson() const;

 private:
  Date AnchorDate(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at) const;
  Instant DueFor(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at) const;
  void Open(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at);
  void Meet(std::string_view event, const nlohmann::json& payload, Instant recorded_at);
  void MoveFor(std::string_view event, const nlohmann::json& payload, Instant recorded_at, const DeadlineMoves& moves);
  Deadline* Find(std::string_view key);

  // Shared by every tracker of an equal profile (each review reads its own from its log; most
  // are equal), so an open review does not carry a copy of the whole profile. Never null.
  std::shared_ptr<const PolicyProfile> profile_;
  const BusinessCalendar* calendar_;
  std::vector<Deadline> deadlines_;
  std::uint64_t revision_ = 0;
};

nlohmann::json DeadlineToJson(const Deadline& d);

}  // namespace casereview
