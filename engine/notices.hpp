// The notices an accepted event causes, addressed to people on the board. They go into
// the outbox in the same transaction as the event; the notifier delivers them.
//
// Who hears what (docs/notices.md):
//   CaseReferred                 -> panel chair and panel members        case-referred
//   PanelMeetingConvened         -> panel chair and panel members        meeting-convened
//   ScrRecommended, NoScrRecommended, OverviewEndorsedByPanel, ExtensionRequested
//                                -> the board chair (a decision is due)  decision-needed
//   ImrCommissioned              -> the IMR author and their agency's senior manager
//                                                                         imr-commissioned
//   ImrReturnedForRevision       -> the same two                         imr-returned
//   OverviewWriterAppointed      -> the overview writer                  overview-commissioned
//   OverviewReturnedForRevision, ReportReturnedByBoard
//                                -> the overview writer                  overview-returned
//   ActionAdded                  -> the action's lead officer            action-assigned
//   DeadlineReminderDue          -> the deadline's holder (for an IMR, its author and
//                                   senior manager)                      deadline-reminder
//   DeadlineEscalated to ...     -> holder | the holder's agency's senior managers |
//                                   panel chair | board chair     deadline-overdue/-escalation
//   ImrTimeframeAtRisk           -> the panel chair, and the IMR's senior manager
//                                                                         timeframe-at-risk
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
