// A review as its readers see it: the read model with its record's facts, and the soonest
// deadline not yet met. Shared by `casereview review` and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview {

// The projection with board, open, events (last seq), opened_at and updated_at.
nlohmann::json ReviewJson(const ReviewRecord& r);
// Adds "next_due" ({what, due_date, days_left}, London days; absent when nothing is due) and
// "overdue" (how many deadlines not met are past due) to a ReviewJson, as at `now`.
void AddDueSummary(nlohmann::json& j, Instant now);

}  // namespace casereview
