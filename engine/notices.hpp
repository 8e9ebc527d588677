// The notices an accepted event causes, addressed to people on the board. They go into
// the outbox in the same transaction as the event; the notifier delivers them.
//
// Who hears what (docs/notices.md): an event's notices are its kind's notice rules
// (ReviewKind::notices; the SCR's in workflows/scr/scr_notices.cpp, the child death review's
// in workflows/cdop/cdop_kind.cpp), so nothing here names a kind's events. The timers' events,
// which every kind takes, are addressed here:
//   DeadlineReminderDue          -> the deadline's holder (for an IMR, its author and
//                                   senior manager)                      deadline-reminder
//   DeadlineEscalated to ...     -> holder | the holder's agency's senior managers |
//                                   panel chair | board chair     deadline-overdue/-escalation
// The board's action-plan digest is queued by the digest (engine/digest.hpp), not by events.
//
// A notice carries the review reference, stage, task, due date and agency names: never a
// child's details, and never an event's free text (reasons, descriptions), which may.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/store.hpp"
#include "replay.hpp"
#include "resolve.hpp"

namespace casereview {

// REQUIRES: `state` is the review after the event was applied; `seq` is the event's.
std::vector<Notice> NoticesFor(const ReviewState& state, const std::string& board_id, std::string_view event,
                               const nlohmann::json& fields, std::int64_t seq, Instant now,
                               const BoardDirectory& dir);

}  // namespace casereview
