// Child death reviews in the engine (include/casereview/engine.hpp, engine/child_death.hpp).
#include "child_death.hpp"

#include "calendar.hpp"
#include "commands.hpp"
#include "casereview/engine.hpp"
#include "cdop/cdop_events.hpp"
#include "cdop/cdop_kind.hpp"
#include "cdop/cdop_workflow.hpp"
#include "scr/scr_kind.hpp"
#include "replay.hpp"
#include "resolve.hpp"
#include "review_cache.hpp"
#include "scr/scr_events.hpp"

namespace casereview {

using Json = nlohmann::json;

Json ScrReferralFrom(const std::string& cdop_ref, const Json& notification, const Json& referral) {
  (void)referral;  // its reasons stay on the child death review's record
  Json scr = {{"referring_agency", notification.value("notifying_agency", "")},
              {"incident", "death"},
              {"incident_date", notification.value("death_date", "")},
              // A referral for an SCR means abuse or neglect is at least suspected.
              {"abuse_or_neglect", "suspected"},
              {"agencies_involved", notification.value("agencies_involved", Json::array())},
              {"linked_review", cdop_ref}};
  for (const char* identifying : {"subject_name", "subject_dob"})  // case record to case record
    if (notification.contains(identifying)) scr[identifying] = notification[identifying];
  return scr;
}

Result<std::string> Engine::NotifyChildDeath(std::string_view board_id, const Json& fields, std::string_view actor,
                                             const CommandTrail& trail) {
  return Open(CdopKind().name, board_id, fields, actor, trail);  // CdopKind's check_opening: the NHS number
}

Result<ReviewRecord> Engine::ReferChildDeathForScr(const ReviewRecord& record, const BoardDirectory& dir,
                                                   const Json& resolved, std::string_view actor,
                                                   const CommandTrail& trail) {
  auto board = FindBoard(record.board_id);
  if (!board.ok()) return board.status();
  auto calendar = Calendar();
  if (!calendar.ok()) return calendar.status();
  auto log = store_.LoadEvents(record.ref);
  if (!log.ok()) return log.status();
  Json notification = Json::parse(log->front().payload, nullptr, false);
  if (!notification.is_object()) return Status::Corruption(record.ref + ": its notification is not JSON");
  auto scr = CheckAndResolve(dir, ScrWorkflow::kKind, kCaseReferred, ScrReferralFrom(record.ref, notification, resolved));
  if (!scr.ok()) return Prefixed(record.ref + ": the SCR referral: ", scr.status());
  // The child death review's own event names the SCR, so it is built once the SCR is numbered;
  // a refusal here (a referral already linked, a closed review) writes neither.
  LinkedChange referral = [&](const std::string& scr_ref) -> Result<ReviewChange> {
    auto state = Replay(*log, **calendar);
    if (!state.ok()) return state.status();
    Json fields = resolved;
    fields["scr_ref"] = scr_ref;
    Instant now = clock_.Now();
    CR_RETURN_IF_ERROR(ApplyToReview(*state, kReferredForScr, fields, now));
    std::optional<DeadlinesWritten> written;  // replayed: nothing known of the last commit
    auto change = ChangeFor(record, *state, kReferredForScr, fields, actor, now, nullptr, dir, written);
    if (change.ok()) trail.AttachTo(*change);  // the command was on the child death review
    return change;
  };
  auto opened = OpenReview(ScrKind(), *board, dir, *scr, actor, referral, nullptr);
  if (!opened.ok()) return opened.status();
  return GetReview(record.ref);
}

}  // namespace casereview
