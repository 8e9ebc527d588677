// The child death review as the registry knows it (common/review_kind.hpp).
#include "cdop/cdop_kind.hpp"

#include "casereview/store.hpp"
#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {
namespace {

Result<std::unique_ptr<ReviewWorkflow>> BeginCdop(const std::string& ref, const QuorumRule& quorum,
                                                  const std::string& /*policy_profile*/,
                                                  const nlohmann::json& notification) {
  auto w = CdopWorkflow::Begin(ref, CdopRules{quorum}, notification);
  if (!w.ok()) return w.status();
  return std::unique_ptr<ReviewWorkflow>(std::make_unique<CdopWorkflow>(std::move(*w)));
}

// A death is reviewed once: a notification with the NHS number of one notified before, on any
// board, is refused, naming that review. The store indexes every child death review's NHS
// number (the number is in the case record only, never in a read model).
Status NotNotifiedBefore(Store& store, const nlohmann::json& notification) {
  const std::string nhs = TextField(notification, "nhs_number");
  if (nhs.empty()) return Status::Ok();
  auto found = store.FindNotifiedDeath(nhs);
  if (!found.ok()) return found.status();
  if (*found)
    return Status::InvalidArgument("this death was already notified as " + **found +
                                   " (the same NHS number); record on that review instead");
  return Status::Ok();
}

// The SCR referral a child death review's referral gives: referring agency, incident (death)
// and its date, agencies involved, the child's details (case record to case record) and the
// link back. The referral's reasons stay on the child death review's record.
nlohmann::json ScrReferralFrom(const std::string& cdop_ref, const nlohmann::json& notification,
                               const nlohmann::json& /*referral*/) {
  nlohmann::json scr = {{"referring_agency", notification.value("notifying_agency", "")},
                        {"incident", "death"},
                        {"incident_date", notification.value("death_date", "")},
                        // A referral for an SCR means abuse or neglect is at least suspected.
                        {"abuse_or_neglect", "suspected"},
                        {"agencies_involved", notification.value("agencies_involved", nlohmann::json::array())},
                        {"linked_review", cdop_ref}};
  for (const char* identifying : {"subject_name", "subject_dob"})
    if (notification.contains(identifying)) scr[identifying] = notification[identifying];
  return scr;
}

}  // namespace

const ReviewKind& CdopKind() {
  static const ReviewKind kind{
      .name = CdopWorkflow::kKind,
      .title = "Child death review",
      .a_title = "a child death review",
      .ref_prefix = "CDR",
      .opening_event = kChildDeathNotified,
      .opening_noun = "notification",
      .open_action = "death.notify",
      .open_command = "notify",
      // Deaths are notified to the single point of contact (docs/child-death-reviews.md).
      .open_roles = {"business-officer"},
      .opening_gerund = "notifying a child's death",
      .open_link_text = "Notify a child's death",
      .definition_version = CdopWorkflow::kDefinitionVersion,
      // The agencies' reporting forms (cdop_case.hpp): requested, then submitted by their author.
      .reports = {.key = "agency_reports",
                  .stage_key = "status",
                  .task = "agency-report",
                  .name = "Agency reporting form",
                  .submit_event = "AgencyReportSubmitted",
                  .submit_stages = {"requested"},
                  .submit_button = "Submit the reporting form",
                  .late_event = "",
                  .late_link = "",
                  .sign_off_event = "",
                  .sign_off_stage = "",
                  .sign_off_button = ""},
      // A reporting form requested: its author, and their agency's senior managers
      // (docs/notices.md, "Who hears what").
      .appointed = {},
      .action_plan_key = "",
      .deadline_moves = {},
      .board_chair_decisions = {},
      .notices = {{.event = "AgencyReportRequested",
                   .notice = "report-requested",
                   .to = {SeniorManagersOfAgencyIn("agency"), PersonNamedIn("author")},
                   .task = "agency reporting form ({agency})",
                   .due = {.field = "due"},
                   .agency_field = "agency"}},
      // A referral for an SCR opens the linked SCR with it (docs/child-death-reviews.md).
      .linked_openings = {{.event = "ReferredForScr",
                           .opens = ScrWorkflow::kKind,
                           .ref_field = "scr_ref",
                           .opening = ScrReferralFrom}},
      .events = CdopEventSpecs,
      .begin = BeginCdop,
      .check_opening = NotNotifiedBefore,
  };
  return kind;
}

}  // namespace casereview
