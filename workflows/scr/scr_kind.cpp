// The Serious Case Review as the registry knows it (common/review_kind.hpp).
#include "scr/scr_kind.hpp"

#include "scr/scr_events.hpp"
#include "scr/scr_notices.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {
namespace {

Result<std::unique_ptr<ReviewWorkflow>> BeginScr(const std::string& ref, const QuorumRule& quorum,
                                                 const std::string& policy_profile, const nlohmann::json& referral) {
  auto w = ScrWorkflow::Begin(ref, ScrRules{policy_profile, quorum}, referral);
  if (!w.ok()) return w.status();
  return std::unique_ptr<ReviewWorkflow>(std::make_unique<ScrWorkflow>(std::move(*w)));
}

}  // namespace

const ReviewKind& ScrKind() {
  static const ReviewKind kind{
      .name = ScrWorkflow::kKind,
      .title = "Serious Case Review",
      .a_title = "a Serious Case Review",
      .ref_prefix = "SCR",
      .opening_event = kCaseReferred,
      .opening_noun = "referral",
      .open_action = "review.refer",
      .open_command = "refer",
      // Appendix 2 of the seed handbook: a case comes to the standing panel through the
      // business office or the panel's chair.
      .open_roles = {"business-officer", "panel-chair"},
      .opening_gerund = "referring a case",
      .open_link_text = "Refer a case to the SCR panel",
      .definition_version = ScrWorkflow::kDefinitionVersion,
      // The IMRs (imr/imr_workflow.hpp): the author submits, the agency's senior manager signs
      // off what the panel accepted.
      .reports = {.key = "imrs",
                  .stage_key = "stage",
                  .task = "imr",
                  .name = "Individual management review",
                  .submit_event = "ImrSubmitted",
                  .submit_stages = {"Commissioned", "ReturnedForRevision"},
                  .submit_button = "Submit the IMR",
                  .late_event = "ImrTimeframeAtRisk",
                  .late_link = "Warn the panel that the IMR will be late",
                  .sign_off_event = "ImrSignedOff",
                  .sign_off_stage = "Accepted",
                  .sign_off_button = "Sign off the IMR",
                  .holders = ImrHolders},
      // The overview report: the panel commissions it from an independent writer (Appendix 2
      // of the seed handbook), who submits it while it is being drafted, by the review's
      // completion date.
      .appointed = {.writer_key = "overview_writer",
                    .task = "overview",
                    .as = "overview-writer",
                    .name = "Overview report and executive summary",
                    .submit_event = "OverviewReportSubmitted",
                    .submit_stage = "OverviewDrafting",
                    .submit_link = "Record that the overview report is submitted",
                    .due_deadline = "scr-completion"},
      .action_plan_key = "actions",
      // Appendix 2 of the seed handbook: the chair decides whether an SCR is held and signs the
      // report off; extensions are the board's.
      // Extensions agreed with the board move the completion date; a criminal trial or an inquest
      // pauses the clock (scr_events.cpp).
      .deadline_moves = {.extended = "ExtensionGranted",
                         .extended_until = "until",
                         .paused = "SuspensionStarted",
                         .resumed = "SuspensionEnded",
                         .resumed_on = "date"},
      .board_chair_decisions = {{"ReportSignedOffByBoard", "by"},
                                {"ChairDecidedToProceed", "on_behalf_of"},
                                {"ChairDecidedNotToProceed", "on_behalf_of"},
                                {"ReportReturnedByBoard", "on_behalf_of"},
                                {"ExtensionGranted", "on_behalf_of"},
                                {"ExtensionRefused", "on_behalf_of"}},
      .notices = ScrNoticeRules(),
      .linked_openings = {},
      .events = ScrEventSpecs,
      .begin = BeginScr,
  };
  return kind;
}

}  // namespace casereview
