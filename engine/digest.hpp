// The board's action-plan digest: before each board meeting, the board chair and members
// receive the status of every action plan, red/amber/green (docs/notices.md: the board
// "receive[s] action-plan status (RAG) before each board meeting").
//
// A board's meetings are a deployment setting ("board-meetings/<board>": a JSON array of
// dates). The digest for a meeting is queued once (its notice id names the meeting), at
// 9am London kDigestWorkingDays working days before it, by the scheduler's pass; a meeting
// added later than that still gets its digest at the next pass, until the meeting day.
//
// RAG, as at the day the digest is made:
//   an action is done when Completed, ImpactAssured or ClosedWithReasons;
//   red    an action not done whose due date has passed;
//   amber  an action not done, due within kAmberDays calendar days;
//   green  every other action (done, or due later).
// A plan takes the worst of its actions. Only action ids, agencies, stages and dates are
// reported: never an action's description, which is free text.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calendar.hpp"
#include "casereview/store.hpp"
#include "action_plan/action_workflow.hpp"  // IsActionDone

namespace casereview {

inline constexpr int kDigestWorkingDays = 5;
inline constexpr int kAmberDays = 28;

// The board's meetings, soonest first. An unknown board is NotFound.
Result<std::vector<Date>> BoardMeetings(Store& store, const std::string& board_id);
// Adds a meeting (idempotent). InvalidArgument for a date that is not a date.
Status AddBoardMeeting(Store& store, const std::string& board_id, Date date, Instant now);


// The digest's payload (JSON object) for the board's reviews, as at `today`.
nlohmann::json ActionPlanDigest(const std::vector<ReviewRecord>& reviews, Date today, Date meeting);

// Queues each board's digest whose time has come (once per meeting). Returns how many.
Result<std::size_t> QueueDueDigests(Store& store, const BusinessCalendar& calendar, Instant now);

}  // namespace casereview
