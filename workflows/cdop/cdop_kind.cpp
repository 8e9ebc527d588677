// The child death review as the registry knows it (common/review_kind.hpp).
#include "cdop/cdop_kind.hpp"

#include "casereview/store.hpp"
#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"

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
      .notices = {{.event = "AgencyReportRequested",
                   .notice = "report-requested",
                   .to = {SeniorManagersOfAgencyIn("agency"), PersonNamedIn("author")},
                   .task = "agency reporting form ({agency})",
                   .due = {.field = "due"},
                   .agency_field = "agency"}},
      .events = CdopEventSpecs,
      .begin = BeginCdop,
      .check_opening = NotNotifiedBefore,
  };
  return kind;
}

}  // namespace casereview
