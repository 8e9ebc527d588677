// Rebuilding a review from its log: its machine and its deadlines, and the read model
// that goes with them. The kind of review (SCR, child death review) is decided by the
// log's first event.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/store.hpp"
#include "deadlines.hpp"
#include "policy_profile.hpp"
#include "common/review_kind.hpp"
#include "common/review_workflow.hpp"

namespace casereview {

// The rules a review began under, stored inside its first event's payload under "rules":
// the quorum rule and the whole policy profile (so a later change to a profile file
// never changes an existing review's dates).
struct ReviewRules {
  std::string policy_profile;  // the profile's name: "seed-2010"
  QuorumRule quorum;
  PolicyProfile profile;
};
nlohmann::json RulesToJson(const ReviewRules& r);
Result<ReviewRules> RulesFromJson(const nlohmann::json& j);

// A review as its log makes it.
struct ReviewState {
  std::unique_ptr<ReviewWorkflow> workflow;  // never null
  DeadlineTracker deadlines;
};

// The event that opens a review of `kind` (its ReviewKind::opening_event), and the kinds by it.
std::string_view OpeningEvent(std::string_view kind);
// Every event of a kind of review, the opening one included; empty for an unknown kind.
std::span<const EventSpec> EventSpecsOf(std::string_view kind);
// The definition version of a kind's machine; 0 for an unknown kind.
int DefinitionVersionOf(std::string_view kind);

// Starts a review of `kind` from its (resolved) opening event, recorded at `at`. REQUIRES:
// `calendar` outlives the returned state.
Result<ReviewState> BeginReview(const ReviewKind& kind, const std::string& ref, const ReviewRules& rules,
                                const nlohmann::json& opening, Instant at, const BusinessCalendar& calendar);
// Applies one event to both the machine and the deadlines; a refusal changes neither.
Status ApplyToReview(ReviewState& state, std::string_view event, const nlohmann::json& fields, Instant at);

// Replays a whole log (its opening event first, which says the kind). Corruption names the
// event that does not replay.
Result<ReviewState> Replay(const std::vector<StoredEvent>& log, const BusinessCalendar& calendar);

// The review record after the state's latest event.
ReviewRecord RecordOf(const ReviewState& s, const std::string& board_id, Instant opened_at,
                      Instant updated_at, std::int64_t last_seq);

// What a review record holds of the deadlines, as compact JSON: the projection's "deadlines"
// (DeadlineTracker::ToJson) and the summary's (review_summary.hpp). It follows from the
// deadlines alone, so it stays right while DeadlineTracker::revision() does not move.
struct DeadlinesText {
  std::string projection;
  std::string summary;
};
DeadlinesText DeadlinesTextOf(const DeadlineTracker& t);
// RecordOf, given DeadlinesTextOf(s.deadlines) made earlier: the same record, byte for byte.
ReviewRecord RecordOf(const ReviewState& s, const std::string& board_id, Instant opened_at,
                      Instant updated_at, std::int64_t last_seq, const DeadlinesText& deadlines);

}  // namespace casereview
