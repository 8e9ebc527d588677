#include "timers.hpp"

namespace casereview {
namespace {

// The moment a reminder `before` the deadline goes out.
Instant ReminderTime(const Deadline& d, const Duration& before, const BusinessCalendar& cal) {
  Date day = d.due_date;
  switch (before.unit) {
    case DurationUnit::kHours: return d.due - std::chrono::hours{before.value};
    case DurationUnit::kWorkingDays: day = cal.AddWorkingDays(d.due_date, -before.value); break;
    case DurationUnit::kCalendarDays: day = AddDays(d.due_date, -before.value); break;
    case DurationUnit::kWeeks: day = AddDays(d.due_date, -7 * before.value); break;
    case DurationUnit::kCalendarMonths: day = AddMonths(d.due_date, -before.value); break;
  }
  return LondonLocalTime(day, kNoticeHour);
}

// The moment an escalation step `after` the due date goes out. A step at 0 goes as soon as
// the deadline has passed.
Instant EscalationTime(const Deadline& d, const Duration& after, const BusinessCalendar& cal) {
  if (after.value == 0) return d.due + std::chrono::seconds{1};
  Date day = d.due_date;
  switch (after.unit) {
    case DurationUnit::kHours: return d.due + std::chrono::hours{after.value};
    case DurationUnit::kWorkingDays: day = cal.AddWorkingDays(d.due_date, after.value); break;
    case DurationUnit::kCalendarDays: day = AddDays(d.due_date, after.value); break;
    case DurationUnit::kWeeks: day = AddDays(d.due_date, 7 * after.value); break;
    case DurationUnit::kCalendarMonths: day = AddMonths(d.due_date, after.value); break;
  }
  return LondonLocalTime(day, kNoticeHour);
}

Timer MakeTimer(const std::string& ref, const Deadline& d, const std::string& step, Instant due,
                const std::string& event, nlohmann::json payload) {
  std::string due_date = FormatDate(d.due_date);
  const std::string key = d.Key();
  payload["deadline"] = key;
  payload["step"] = step;
  payload["due_date"] = due_date;
  return {ref + "/" + key + "/" + step + "@" + due_date, ref, due, event, payload.dump()};
}

}  // namespace

std::vector<Timer> PlanTimers(const std::string& review_ref, const DeadlineTracker& tracker,
                              const BusinessCalendar& calendar) {
  std::vector<Timer> timers;
  const PolicyProfile& profile = tracker.profile();
  for (const Deadline& d : tracker.deadlines()) {
    if (d.status != Deadline::kOpen) continue;  // met: nothing to remind of; suspended: paused
    for (std::size_t i = 0; i < profile.reminders.size(); ++i) {
      Instant when = ReminderTime(d, profile.reminders[i], calendar);
      if (when <= d.opened_at) continue;  // already past when the clock started
      timers.push_back(MakeTimer(review_ref, d, "reminder-" + std::to_string(i + 1), when,
                                 std::string(kDeadlineReminderDue), nlohmann::json::object()));
    }
    for (std::size_t i = 0; i < profile.escalation.size(); ++i) {
      const EscalationStep& step = profile.escalation[i];
      timers.push_back(MakeTimer(review_ref, d, "escalation-" + std::to_string(i + 1),
                                 EscalationTime(d, step.after, calendar), std::string(kDeadlineEscalated),
                                 {{"to", step.to}}));
    }
  }
  return timers;
}

}  // namespace casereview
