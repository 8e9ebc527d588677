// The SCR's read model: what stage it is at, what should happen next, who holds it.
#include <map>

#include "scr/scr_events.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {
namespace {

nlohmann::json Holder(std::string role, std::string person = "", std::string agency = "") {
  nlohmann::json h = {{"role", std::move(role)}};
  if (!person.empty()) h["person"] = std::move(person);
  if (!agency.empty()) h["agency"] = std::move(agency);
  return h;
}

void ImrNextSteps(const ScrCase& c, NextStep& step) {
  std::string waiting;
  for (const auto& [agency, imr] : c.imrs) {
    std::string_view who = imr.NextHolder();
    if (who.empty()) continue;
    waiting += (waiting.empty() ? "" : "; ") + agency + " (" + std::string(imr.Stage()) + ")";
    if (who == "author") step.holders.push_back(Holder("imr-author", imr.Facts().author, agency));
    if (who == "senior-manager")
      step.holders.push_back(Holder("senior-manager", imr.Facts().senior_manager, agency));
    if (who == "panel") step.holders.push_back(Holder("panel-chair"));
  }
  step.what = "IMRs to be completed and signed off: " + waiting;
}

void ActionNextSteps(const ScrCase& c, NextStep& step) {
  std::vector<std::string> open = ActionsOutstanding(c);
  if (open.empty()) {
    step.what = "Every action is done: the panel closes the review (ReviewClosed)";
    step.holders.push_back(Holder("panel-chair"));
    return;
  }
  std::string list;
  for (const auto& id : open) {
    const ActionWorkflow& a = c.actions.at(id);
    list += (list.empty() ? "" : ", ") + id + " (" + std::string(a.Stage()) + ")";
    step.holders.push_back(Holder("lead-officer", a.Facts().lead_officer, a.Facts().agency));
  }
  step.what = "Actions to implement and assure: " + list;
}

nlohmann::json ImrsJson(const ScrCase& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [agency, imr] : c.imrs) {
    const ImrFacts& f = imr.Facts();
    out.push_back({{"agency", agency}, {"stage", imr.Stage()}, {"author", f.author},
                   {"senior_manager", f.senior_manager}, {"due", f.due},
                   {"submissions", f.submissions}, {"returns", f.returns}});
  }
  return out;
}

nlohmann::json ActionsJson(const ScrCase& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, a] : c.actions) {
    const ActionFacts& f = a.Facts();
    out.push_back({{"id", id}, {"stage", a.Stage()}, {"lead_officer", f.lead_officer},
                   {"agency", f.agency}, {"due", f.due}, {"outcome", f.outcome},
                   {"description", f.description}, {"progress", f.progress},
                   {"evidence", f.evidence}, {"closed_reasons", f.closed_reasons}});
  }
  return out;
}

nlohmann::json AlongsideJson(const ScrCase& c) {
  nlohmann::json ext = nlohmann::json::array();
  for (const auto& e : c.extensions)
    ext.push_back({{"requested_until", e.requested_until}, {"reason", e.reason},
                   {"status", e.status}, {"granted_until", e.granted_until}});
  nlohmann::json proc = nlohmann::json::array();
  for (const auto& p : c.proceedings)
    proc.push_back({{"id", p.id}, {"kind", p.kind}, {"status", p.status}, {"concluded", p.concluded}});
  return {{"extensions", ext}, {"proceedings", proc},
          {"single_agency_learning", c.single_agency_learning},
          {"media_strategy_agreed_on", c.media_strategy_agreed_on},
          {"suspended_for", c.suspended_for},
          {"timeframe_warnings", c.timeframe_warnings},
          {"national_panel", c.national_panel},
          {"reminders_fired", c.reminders_fired},
          {"escalations", c.escalations}};
}

}  // namespace

std::string_view ScrStageExpects(std::string_view stage) {
  static const std::map<std::string_view, std::string_view> kExpects = {
      {"Referred", "the standing panel meets to consider the case (PanelMeetingHeld)"},
      {"UnderPanelConsideration",
       "a quorate panel recommends to the board chair (ScrRecommended or NoScrRecommended)"},
      {"AwaitingChairDecision",
       "the board chair decides (ChairDecidedToProceed or ChairDecidedNotToProceed)"},
      {"NotToProceed",
       "nothing: the board chair decided not to hold an SCR (report it onward: DecisionReportedOnward)"},
      {"Commissioning",
       "form the review panel, agree terms of reference, appoint the overview writer and "
       "commission an IMR from every involved agency, then CommissioningCompleted"},
      {"ImrsInProgress", "every IMR submitted, accepted by the panel and signed off"},
      {"OverviewDrafting", "the overview writer submits the report (OverviewReportSubmitted)"},
      {"PanelQualityAssurance",
       "the panel endorses the report (OverviewEndorsedByPanel) or returns it"},
      {"AwaitingBoardSignOff", "the board chair signs off the report (ReportSignedOffByBoard)"},
      {"SignedOff", "submit to the regulator (SubmittedToRegulator), then publish (ReportPublished)"},
      {"Published", "add the action plan's actions (ActionAdded) and agree it (ActionPlanAgreed)"},
      {"ActionPlanMonitoring",
       "every action impact-assured or closed with reasons, then ReviewClosed"},
      {"Closed", "nothing: the review is closed"},
  };
  auto it = kExpects.find(stage);
  return it == kExpects.end() ? std::string_view("(unknown stage)") : it->second;
}

NextStep ScrNextStep(const ScrWorkflow& w) {
  const ScrCase& c = w.Case();
  std::string_view stage = w.Stage();
  NextStep step;
  step.what = std::string(ScrStageExpects(stage));
  if (w.IsFinal()) return step;
  if (stage == "ImrsInProgress") {
    ImrNextSteps(c, step);
  } else if (stage == "ActionPlanMonitoring") {
    ActionNextSteps(c, step);
  } else if (stage == "Commissioning") {
    std::string missing = CommissioningShortfall(c);
    step.what = missing.empty() ? "record CommissioningCompleted" : "still to do: " + missing;
    step.holders.push_back(Holder("panel-chair"));
  } else if (stage == "AwaitingChairDecision" || stage == "AwaitingBoardSignOff") {
    step.holders.push_back(Holder("board-chair"));
  } else if (stage == "OverviewDrafting") {
    step.holders.push_back(Holder("overview-writer", c.overview_writer));
  } else if (stage == "SignedOff") {
    step.holders.push_back(Holder("business-officer"));
  } else {
    step.holders.push_back(Holder("panel-chair"));
  }
  return step;
}

nlohmann::json ScrProjection(const ScrWorkflow& w) {
  const ScrCase& c = w.Case();
  NextStep next = ScrNextStep(w);
  return {
      {"ref", c.ref},
      {"kind", "scr"},
      {"stage", w.Stage()},
      {"machine_version", ScrWorkflow::kDefinitionVersion},
      {"policy_profile", c.rules.policy_profile},
      {"next_step", {{"what", next.what}, {"holders", next.holders}}},
      {"involved_agencies", c.involved_agencies},
      {"linked_review", c.linked_review},
      {"panel_meetings", c.panel_meetings.size()},
      {"recommendation", c.recommendation},
      {"decision", c.decision},
      {"decision_date", c.decision_date},
      {"review_panel_chair", c.review_panel_chair},
      {"overview_writer", c.overview_writer},
      {"imrs", ImrsJson(c)},
      {"overview", {{"drafts", c.overview_drafts}, {"returns", c.overview_returns},
                    {"board_returns", c.board_returns}}},
      {"board_signed_off_on", c.board_signed_off_on},
      {"published_on", c.published_on},
      {"actions", ActionsJson(c)},
      {"closed_on", c.closed_on},
      {"alongside", AlongsideJson(c)},
  };
}

}  // namespace casereview

namespace casereview {

std::unique_ptr<ReviewWorkflow> ScrWorkflow::Clone() const { return std::make_unique<ScrWorkflow>(*this); }
std::span<const EventSpec> ScrWorkflow::Events() const { return ScrEventSpecs(); }
NextStep ScrWorkflow::Next() const { return ScrNextStep(*this); }
nlohmann::json ScrWorkflow::Projection() const { return ScrProjection(*this); }

}  // namespace casereview
