// Rebuilding a review from its log: its machine and its deadlines, and the read model
// that goes with them.
#pragma once

#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/store.hpp"
#include "deadlines.hpp"
#include "policy_profile.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {

// The rules a review began under, stored inside its CaseReferred payload under "rules":
// the quorum rule and the whole policy profile (so a later change to a profile file
// never changes an existing review's dates).
struct ReviewRules {
  ScrRules scr;
  PolicyProfile profile;
};
nlohmann::json RulesToJson(const ReviewRules& r);
Result<ReviewRules> RulesFromJson(const nlohmann::json& j);

// A review as its log makes it.
struct ReviewState {
  ScrWorkflow workflow;
  DeadlineTracker deadlines;
};

// Starts a review from its (resolved) referral, recorded at `at`. REQUIRES: `calendar`
// outlives the returned state.
Result<ReviewState> BeginScr(const std::string& ref, const ReviewRules& rules,
                             const nlohmann::json& referral, Instant at, const BusinessCalendar& calendar);
// Applies one event to both the machine and the deadlines; a refusal changes neither.
Status ApplyToReview(ReviewState& state, std::string_view event, const nlohmann::json& fields, Instant at);

// Replays a whole SCR log (CaseReferred first). Corruption names the event that does not
// replay.
Result<ReviewState> ReplayScr(const std::vector<StoredEvent>& log, const BusinessCalendar& calendar);

// The review record after the state's latest event.
ReviewRecord ScrRecord(const ReviewState& s, const std::string& board_id, Instant opened_at,
                       Instant updated_at, std::int64_t last_seq);

}  // namespace casereview
