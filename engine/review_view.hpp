// A review as its readers see it: the read model with its record's facts, and the soonest
// deadline not yet met; and a review as a list shows it, made from its summary alone.
// Shared by `casereview review` and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview {

// The projection with board, open, events (last seq), opened_at and updated_at.
nlohmann::json ReviewJson(const ReviewRecord& r);
// Adds "next_due" ({what, due_date, days_left}, London days; absent when nothing is due) and
// "overdue" (how many deadlines not met are past due) to a ReviewJson, as at `now`.
void AddDueSummary(nlohmann::json& j, Instant now);

// A review's row in a list, as at `now`: {ref, kind, stage, open, next_step, overdue,
// next_due (absent when nothing is due), updated_at}: the same content as the row made from
// ReviewJson and AddDueSummary, read from the summary instead of the read model. A summary
// that is not JSON reads as one with no next step and no deadlines.
nlohmann::json ReviewListRow(const ReviewSummary& s, Instant now);
// The due instants of the deadlines that ReviewListRow(s, now) counts as overdue when they
// are before `now`, in the summary's order: the row's other content does not depend on the
// time of day, only on London's date.
std::vector<Instant> DueInstantsOf(const ReviewSummary& s);
// The rows of several reviews, in their order (a JSON array).
nlohmann::json ReviewListRows(const std::vector<ReviewSummary>& summaries, Instant now);

}  // namespace casereview
