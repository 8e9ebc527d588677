// A review's deadlines, derived from its events under its policy profile.
//
// Pure and replayable: the tracker sees each accepted event in log order (with the time it
// was recorded) and keeps every deadline's due date, the original date, what moved it
// (extensions, suspensions) and whether it was met. Counting follows calendar.hpp: the
// anchor is day 0; working days skip weekends and bank holidays; calendar days and months
// are not moved off a weekend; a due date ends 23:59:59 Europe/London; hours are elapsed.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.hpp"
#include "casereview/clock.hpp"
#include "policy_profile.hpp"

namespace casereview {

struct Deadline {
  std::string key;      // rule id, plus ":" subject for per-agency / per-action rules
  std::string rule;     // the profile's rule id
  std::string what;
  std::string subject;  // agency or action id; "" for the review's own deadlines
  std::string holder_role;
  std::string holder;   // person id, where the anchor event names one
  std::string holder_agency;  // that person's agency, for the senior-manager step
  Instant opened_at{};  // when its anchor event was recorded
  Date due_date{};
  Instant due{};        // when it falls due
  Date original_due_date{};
  std::string status = "open";  // open, suspended, met
  Instant met_at{};
  Instant suspended_since{};
  std::vector<std::string> changes;  // "extended to 2026-07-26", "paused 30 days (inquest)"

  bool IsOpen() const { return status != "met"; }
};

class DeadlineTracker {
 public:
  // REQUIRES: calendar outlives the tracker.
  DeadlineTracker(PolicyProfile profile, const BusinessCalendar& calendar);

  // Where an anchor event may carry its own due date (an IMR's "due") but does not, the
  // date the profile gives it, to be stored in the event; nullopt when not applicable.
  std::optional<Date> DefaultDueDate(std::string_view event, const nlohmann::json& payload,
                                     Instant recorded_at) const;
  // Takes one accepted event, in log order.
  void Apply(std::string_view event, const nlohmann::json& payload, Instant recorded_at);

  const std::vector<Deadline>& deadlines() const { return deadlines_; }
  const PolicyProfile& profile() const { return *profile_; }
  const BusinessCalendar* calendar() const { return calendar_; }
  nlohmann::json ToJson() const;

 private:
  Date AnchorDate(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at) const;
  Instant DueFor(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at) const;
  void Open(const DeadlineRule& r, const nlohmann::json& payload, Instant recorded_at);
  void Meet(std::string_view event, const nlohmann::json& payload, Instant recorded_at);
  void MoveFor(std::string_view event, const nlohmann::json& payload, Instant recorded_at);
  Deadline* Find(const std::string& key);

  // Shared by every tracker of an equal profile (each review reads its own from its log; most
  // are equal), so an open review does not carry a copy of the whole profile. Never null.
  std::shared_ptr<const PolicyProfile> profile_;
  const BusinessCalendar* calendar_;
  std::vector<Deadline> deadlines_;
};

nlohmann::json DeadlineToJson(const Deadline& d);

}  // namespace casereview
