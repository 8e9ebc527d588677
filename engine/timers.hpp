// Which timers a review should have pending: one per reminder before each open deadline
// and one per escalation step after it, as the review's policy profile lists them.
//
// Pure: the same deadlines always give the same timers. The store keeps them, never arms
// a fired timer again, and fires each as an event (DeadlineReminderDue, DeadlineEscalated).
#pragma once

#include <string>
#include <vector>

#include "calendar.hpp"
#include "casereview/store.hpp"
#include "deadlines.hpp"

namespace casereview {

// Reminders go out at this London time on their day; escalations after the first (which
// goes the moment the due date has passed) likewise.
inline constexpr std::chrono::hours kNoticeHour{9};

// REQUIRES: tracker's deadlines belong to `review_ref`.
std::vector<Timer> PlanTimers(const std::string& review_ref, const DeadlineTracker& tracker,
                              const BusinessCalendar& calendar);

}  // namespace casereview
