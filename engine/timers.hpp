// Which timers a review should have pending: one per reminder before each open deadline
// and one per escalation step after it, as the review's policy profile lists them.
//
// Pure: the same deadlines always give the same timers. The store keeps them, never arms
// a fired timer again, and fires each as an event (DeadlineReminderDue, DeadlineEscalated).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calendar.hpp"
#include "casereview/store.hpp"
#include "deadlines.hpp"

namespace casereview {

// Reminders go out at this London time on their day; escalations after the first (which
// goes the moment the due date has passed) likewise.
inline constexpr std::chrono::hours kNoticeHour{9};

// The events the timers fire. Every kind of review lists them among its events (its machine
// takes them alongside any stage), so the engine may name them.
inline constexpr std::string_view kDeadlineReminderDue = "DeadlineReminderDue";
inline constexpr std::string_view kDeadlineEscalated = "DeadlineEscalated";

// REQUIRES: tracker's deadlines belong to `review_ref`.
std::vector<Timer> PlanTimers(const std::string& review_ref, const DeadlineTracker& tracker,
                              const BusinessCalendar& calendar);

}  // namespace casereview
