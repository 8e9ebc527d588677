// The notices an accepted event causes, addressed to people on the board. They go into
// the outbox in the same transaction as the event (the notifier delivers them).
//
// Who hears what (this step of the deadlines work):
//   DeadlineReminderDue        -> the deadline's holder (the person named, or everyone
//                                 holding the role)
//   DeadlineEscalated to ...   -> holder | the holder's agency's senior managers |
//                                 panel chair | board chair
//   ImrTimeframeAtRisk         -> the panel chair at once, and the IMR's senior manager
// A notice carries the review reference, stage, task and due date: never a child's details.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "casereview/store.hpp"
#include "replay.hpp"
#include "resolve.hpp"

namespace casereview {

// REQUIRES: `state` is the review after the event was applied; `seq` is the event's.
std::vector<Notice> NoticesFor(const ReviewState& state, std::string_view event,
                               const nlohmann::json& fields, std::int64_t seq, Instant now,
                               const BoardDirectory& dir);

}  // namespace casereview
