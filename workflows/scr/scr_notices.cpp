#include "scr/scr_notices.hpp"

#include "scr/scr_workflow.hpp"

namespace casereview {
namespace {

// The overview writer appointed (OverviewWriterAppointed); nobody before one is.
PersonIds SelectOverviewWriter(const NoticeContext& c, std::string_view) {
  const auto* scr = dynamic_cast<const ScrWorkflow*>(&c.review);
  return {scr != nullptr ? scr->Case().overview_writer : ""};
}

RecipientSelector OverviewWriter() { return {SelectOverviewWriter, {}}; }

NoticeRule DecisionNeeded(std::string_view event, std::string_view task, std::string_view deadline) {
  return {.event = event, .notice = "decision-needed", .to = {BoardChair()}, .task = task,
          .due = {.deadline = deadline}};
}

NoticeRule ToImrHolders(std::string_view event, std::string_view notice) {
  return {.event = event, .notice = notice, .to = {ReportHoldersForAgencyIn("agency")}, .task = "IMR ({agency})",
          .due = {.deadline = "imr-due", .deadline_subject_field = "agency"}, .agency_field = "agency"};
}

NoticeRule ToOverviewWriter(std::string_view event, std::string_view notice, std::string_view task) {
  return {.event = event, .notice = notice, .to = {OverviewWriter()}, .task = task,
          .due = {.deadline = "scr-completion"}};
}

}  // namespace

std::vector<NoticeRule> ScrNoticeRules() {
  return {
      // Referral and the panel's recommendation.
      {.event = "CaseReferred", .notice = "case-referred", .to = {StandingPanel()},
       .task = "consider the referral at a panel meeting", .due = {.deadline = "scr-decision"}},
      {.event = "PanelMeetingConvened", .notice = "meeting-convened", .to = {StandingPanel()},
       .task = "attend the {kind} panel meeting", .due = {.field = "date"},
       .copied = {{"meeting_date", "date"}, {"meeting_kind", "kind"}}},
      DecisionNeeded("ScrRecommended", "decide whether to hold an SCR: the panel recommends one", "scr-decision"),
      DecisionNeeded("NoScrRecommended", "decide whether to hold an SCR: the panel recommends none", "scr-decision"),
      // The IMRs: "each IMR author and their agency's senior manager".
      ToImrHolders("ImrCommissioned", "imr-commissioned"),
      ToImrHolders("ImrReturnedForRevision", "imr-returned"),
      // The author's early warning: "the panel chair on escalations and early warnings", and the
      // IMR's senior manager.
      {.event = "ImrTimeframeAtRisk", .notice = "timeframe-at-risk",
       .to = {PanelChair(), ReportSeniorManagerForAgencyIn("agency")}, .task = "IMR ({agency})",
       .due = {.deadline = "imr-due", .deadline_subject_field = "agency"}, .agency_field = "agency"},
      // The overview report, the panel's endorsement and the board's sign-off.
      ToOverviewWriter("OverviewWriterAppointed", "overview-commissioned", "write the overview report"),
      ToOverviewWriter("OverviewReturnedForRevision", "overview-returned", "revise the overview report"),
      ToOverviewWriter("ReportReturnedByBoard", "overview-returned", "revise the overview report"),
      DecisionNeeded("OverviewEndorsedByPanel", "sign off the overview report the panel has endorsed",
                     "scr-completion"),
      DecisionNeeded("ExtensionRequested", "decide on the request to extend the review to {until}", "scr-completion"),
      // The action plan.
      {.event = "ActionAdded", .notice = "action-assigned", .to = {PersonNamedIn("lead_officer")},
       .task = "action {action} of the action plan", .due = {.field = "due"}, .agency_field = "agency",
       .copied = {{"action", "action"}}},
  };
}

std::optional<ReportHolders> ImrHolders(const ReviewWorkflow& review, std::string_view agency) {
  const auto* scr = dynamic_cast<const ScrWorkflow*>(&review);
  if (scr == nullptr) return std::nullopt;
  const auto& imrs = scr->Case().imrs;
  auto it = imrs.find(std::string(agency));
  if (it == imrs.end()) return std::nullopt;
  return ReportHolders{it->second.Facts().author, it->second.Facts().senior_manager};
}

}  // namespace casereview
