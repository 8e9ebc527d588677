// Policy profiles: the statutory and agreed durations a review runs under, as data.
//
// A board chooses one (seed-2010 by default); a review copies it whole into its referral
// event, so it keeps the rules it began under even if the profile file changes later.
// Shipped profiles: engine/data/profiles/{seed-2010,wt2010,wt2018}.json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"

namespace casereview {

enum class DurationUnit { kHours, kWorkingDays, kCalendarDays, kWeeks, kCalendarMonths };

struct Duration {
  DurationUnit unit = DurationUnit::kCalendarDays;
  int value = 0;  // negative: before the anchor ("at least 7 working days before")
  bool operator==(const Duration&) const = default;
};

std::string_view DurationUnitName(DurationUnit u);  // "working-days", ...

// One deadline: when its clock starts (the anchor event, and the date field in it, or
// when the event was recorded), how long it runs, and which events meet it.
struct DeadlineRule {
  std::string id;    // "scr-completion"
  std::string what;  // "SCR completed and signed off by the board"
  std::string anchor_event;
  std::string anchor_field;  // a date field of the anchor event; "" = when it was recorded
  std::optional<Duration> length;
  std::string due_field;  // a date field of the anchor event that sets the due date itself
  std::string per;        // "" (one per review), "agency" or "action": one per subject
  std::vector<std::string> met_by;
  std::string holder;        // role that holds it: "imr-author", "board-chair", ...
  std::string holder_field;  // a person field of the anchor event naming the holder
  bool extendable = false;   // a granted extension moves it
  bool suspendable = false;  // a suspension pauses it
  // Only when the anchor event's choice field `only_if_field` is `only_if_equals` (a rapid
  // response clock runs for unexpected deaths only). "" = always.
  std::string only_if_field;
  std::string only_if_equals;

  bool operator==(const DeadlineRule&) const = default;
};

struct EscalationStep {
  Duration after;  // after the due date
  std::string to;  // "holder", "senior-manager", "panel-chair" or "board-chair"
  bool operator==(const EscalationStep&) const = default;
};

struct PolicyProfile {
  std::string name;
  std::string title;
  std::string source;  // where the durations come from, for the reader
  std::vector<DeadlineRule> deadlines;
  std::vector<Duration> reminders;  // before each due date
  std::vector<EscalationStep> escalation;

  const DeadlineRule* Rule(std::string_view id) const;
  bool operator==(const PolicyProfile&) const = default;
};

// Outside input: every error names the rule and field. Events and fields are checked
// against the event tables of every kind of review (SCR and child death review): a rule
// anchored on a child death review's event applies only to those reviews.
Result<PolicyProfile> ParsePolicyProfile(std::string_view json);
Result<PolicyProfile> PolicyProfileFromJson(const nlohmann::json& j);
nlohmann::json PolicyProfileToJson(const PolicyProfile& p);

// The shipped profiles, by name.
Result<PolicyProfile> BuiltInProfile(std::string_view name);
std::vector<std::string> BuiltInProfileNames();

}  // namespace casereview
