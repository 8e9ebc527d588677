// What the SCR's guards check and its actions record. Plain functions on ScrCase; the
// MSM adapters in scr_guards.hpp call them.
#include "scr/scr_guards.hpp"

#include <algorithm>
#include <cassert>

#include "casereview/board.hpp"

namespace casereview::scr {
namespace {

std::vector<Participant> People(const Json& list) {
  std::vector<Participant> out;
  out.reserve(list.size());
  for (const auto& p : list) out.push_back(Participant::FromJson(p));
  return out;
}

const ImrWorkflow* FindImr(const ScrCase& c, const std::string& agency) {
  auto it = c.imrs.find(agency);
  return it == c.imrs.end() ? nullptr : &it->second;
}

}  // namespace

// ---- Actions -------------------------------------------------------------------------------
void RecordPanelMeeting::Do(ScrCase& c, const Json& p) {
  c.panel_meetings.push_back({TextField(p, "date"), People(p["attendees"])});
}

void RecordRecommendation::Do(ScrCase& c, std::string_view event, const Json& p) {
  c.recommendation = event == "ScrRecommended" ? "scr" : "no-scr";
  c.recommendation_reasons = TextField(p, "reasons");
}

void RecordDecision::Do(ScrCase& c, std::string_view event, const Json& p) {
  c.decision = event == "ChairDecidedToProceed" ? "proceed" : "not-to-proceed";
  c.decision_date = TextField(p, "date");
  c.decision_reasons = TextField(p, "reasons");
}

void FormReviewPanel::Do(ScrCase& c, const Json& p) {
  c.review_panel_chair = PersonId(p, "chair");
  c.review_panel = People(p["members"]);
}

void CommissionImr::Do(ScrCase& c, const Json& p) {
  ImrFacts facts{TextField(p, "agency"), PersonId(p, "author"), PersonId(p, "senior_manager"),
                 TextField(p, "due")};
  c.imrs.emplace(facts.agency, ImrWorkflow(c.ref, facts));
}

void UpdateImr::Do(ScrCase& c, std::string_view event, const Json& p) {
  // The guard has checked that the IMR takes the event, so Apply cannot refuse here.
  Status s = c.imrs.at(TextField(p, "agency")).Apply(event, p);
  assert(s.ok() && "guard ImrTakesEvent checked this");
  (void)s;
}

void AddAction::Do(ScrCase& c, const Json& p) {
  ActionFacts facts;
  facts.id = TextField(p, "action");
  facts.description = TextField(p, "description");
  facts.lead_officer = PersonId(p, "lead_officer");
  facts.agency = TextField(p, "agency");
  facts.due = TextField(p, "due");
  facts.outcome = TextField(p, "outcome");
  c.actions.emplace(facts.id, ActionWorkflow(c.ref, facts));
}

void UpdateAction::Do(ScrCase& c, std::string_view event, const Json& p) {
  Status s = c.actions.at(TextField(p, "action")).Apply(event, p);
  assert(s.ok() && "guard ActionTakesEvent checked this");
  (void)s;
}

void RequestExtension::Do(ScrCase& c, const Json& p) {
  c.extensions.push_back({TextField(p, "until"), TextField(p, "reason"), "requested", "", ""});
}

void DecideExtension::Do(ScrCase& c, std::string_view event, const Json& p) {
  for (auto& e : c.extensions) {
    if (e.status != "requested") continue;
    e.status = event == "ExtensionGranted" ? "granted" : "refused";
    e.granted_until = TextField(p, "until");
    e.decision_reasons = TextField(p, "reasons");
  }
}

void OpenProceeding::Do(ScrCase& c, const Json& p) {
  c.proceedings.push_back(
      {TextField(p, "proceeding"), TextField(p, "kind"), TextField(p, "status"), false});
}

void UpdateProceeding::Do(ScrCase& c, std::string_view event, const Json& p) {
  ParallelProceeding* pp = c.FindProceeding(TextField(p, "proceeding"));
  assert(pp && "guard ProceedingIsOngoing checked this");
  pp->status = TextField(p, "status");
  pp->concluded = event == "ParallelProceedingConcluded";
}

// ---- Guards --------------------------------------------------------------------------------
std::string LastMeetingWasQuorate::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  if (c.panel_meetings.empty()) return "no panel meeting has been held";
  const PanelMeeting& m = c.panel_meetings.back();
  std::string shortfall = QuorumShortfall(c.rules.quorum, m.attendees);
  return shortfall.empty() ? "" : "the panel meeting of " + m.date + " was not quorate: " + shortfall;
}

std::string AgencyIsNotYetInvolved::WhyNot(const ScrCase& c, const Json& p, StageFlags) {
  return c.involved_agencies.count(TextField(p, "agency")) ? "the agency is already involved" : "";
}

std::string PanelHasUninvolvedMember::WhyNot(const ScrCase& c, const Json& p, StageFlags) {
  return PanelIndependenceShortfall(c, People(p["members"]));
}

std::string ImrCanBeCommissioned::WhyNot(const ScrCase& c, const Json& p, StageFlags) {
  std::string agency = TextField(p, "agency");
  if (!BoolField(p, "author_declares_independence"))
    return "the IMR author must declare that they had no direct involvement with, or line "
           "management of, the case (author_declares_independence=true)";
  if (!c.involved_agencies.count(agency))
    return "agency " + agency + " is not involved in the case (record AgencyInvolvementRecorded first)";
  if (c.imrs.count(agency)) return "an IMR has already been commissioned from " + agency;
  if (PersonId(p, "author") == PersonId(p, "senior_manager"))
    return "the author cannot also be the senior manager who signs the IMR off";
  return "";
}

std::string CommissioningIsComplete::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  std::string missing = CommissioningShortfall(c);
  return missing.empty() ? "" : "still missing: " + missing;
}

std::string SignedByBoardChair::WhyNot(const ScrCase&, const Json& p, StageFlags) {
  return Participant::FromJson(p["by"]).HasRole("board-chair")
             ? ""
             : "the report is signed off by the board chair, and " + PersonId(p, "by") +
                   " does not hold the board-chair role";
}

std::string WasSubmittedToRegulator::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  return c.submitted_to_regulator_on.empty()
             ? "the report must first be submitted to the regulator (SubmittedToRegulator)"
             : "";
}

std::string ActionIdIsNew::WhyNot(const ScrCase& c, const Json& p, StageFlags) {
  std::string id = TextField(p, "action");
  if (!IsPlainId(id)) return "an action's id is letters, digits, '-' and '_' only, e.g. A1";
  return c.actions.count(id) ? "the plan already has an action " + id : "";
}

std::string PlanHasActions::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  return c.actions.empty() ? "the plan has no actions yet (ActionAdded)" : "";
}

std::string EveryActionIsDone::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  std::vector<std::string> open = ActionsOutstanding(c);
  if (open.empty()) return "";
  std::string list;
  for (const auto& id : open) list += (list.empty() ? "" : ", ") + id;
  return "actions not yet impact-assured or closed with reasons: " + list;
}

std::string ExtensionCanBeRequested::WhyNot(const ScrCase& c, const Json&, StageFlags s) {
  if (!s.before_sign_off) return "extensions are only possible before the report is signed off";
  return c.PendingExtension() ? "an extension request is already awaiting a decision" : "";
}

std::string ExtensionIsPending::WhyNot(const ScrCase& c, const Json&, StageFlags s) {
  if (!s.before_sign_off) return "extensions are only possible before the report is signed off";
  return c.PendingExtension() ? "" : "no extension has been requested";
}

std::string ProceedingCanOpen::WhyNot(const ScrCase& c, const Json& p, StageFlags s) {
  if (!s.before_sign_off) return "parallel proceedings are recorded before the report is signed off";
  std::string id = TextField(p, "proceeding");
  return c.FindProceeding(id) ? "a proceeding " + id + " is already recorded" : "";
}

std::string ProceedingIsOngoing::WhyNot(const ScrCase& c, const Json& p, StageFlags s) {
  if (s.final) return "the review is finished";
  std::string id = TextField(p, "proceeding");
  const ParallelProceeding* pp = c.FindProceeding(id);
  if (!pp) return "no parallel proceeding " + id + " is recorded";
  return pp->concluded ? "proceeding " + id + " has concluded" : "";
}

std::string IsBeforeSignOff::WhyNot(const ScrCase&, const Json&, StageFlags s) {
  return s.before_sign_off ? "" : "this is recorded only before the report is signed off";
}

std::string IsNotFinal::WhyNot(const ScrCase&, const Json&, StageFlags s) {
  return s.final ? "the review is finished" : "";
}

std::string ClockCanBeSuspended::WhyNot(const ScrCase& c, const Json&, StageFlags s) {
  if (!s.before_sign_off) return "a review is suspended only before its report is signed off";
  return c.suspended_for.empty() ? "" : "the review is already suspended (" + c.suspended_for + ")";
}

std::string ClockIsSuspended::WhyNot(const ScrCase& c, const Json&, StageFlags) {
  return c.suspended_for.empty() ? "the review is not suspended" : "";
}

std::string ImrIsOutstanding::WhyNot(const ScrCase& c, const Json& p, StageFlags) {
  std::string agency = TextField(p, "agency");
  const ImrWorkflow* imr = FindImr(c, agency);
  if (!imr) return "no IMR has been commissioned from " + agency;
  return imr->IsSignedOff() ? "the IMR from " + agency + " is already signed off" : "";
}

std::string ImrTakesEvent::WhyNot(const ScrCase& c, std::string_view event, const Json& p) {
  std::string agency = TextField(p, "agency");
  const ImrWorkflow* imr = FindImr(c, agency);
  if (!imr) return "No IMR has been commissioned from " + agency + " on " + c.ref;
  Status s = imr->Check(event, p);
  return s.ok() ? "" : s.message();
}

std::string SignOffLeavesImrsToDo::WhyNot(const ScrCase& c, std::string_view event, const Json& p) {
  std::string why = ImrTakesEvent::WhyNot(c, event, p);
  if (!why.empty()) return why;
  return SignOffCompletesImrs::WhyNot(c, event, p).empty() ? "this sign-off completes the IMRs" : "";
}

std::string SignOffCompletesImrs::WhyNot(const ScrCase& c, std::string_view event, const Json& p) {
  std::string why = ImrTakesEvent::WhyNot(c, event, p);
  if (!why.empty()) return why;
  std::vector<std::string> left = ImrsOutstanding(c);
  std::string agency = TextField(p, "agency");
  bool only_this = left.size() == 1 && left.front() == agency;
  bool all_have_imrs = std::all_of(c.involved_agencies.begin(), c.involved_agencies.end(),
                                   [&](const std::string& a) { return c.imrs.count(a) > 0; });
  return only_this && all_have_imrs ? "" : "other IMRs are still outstanding";
}

std::string ActionTakesEvent::WhyNot(const ScrCase& c, std::string_view event, const Json& p) {
  std::string id = TextField(p, "action");
  auto it = c.actions.find(id);
  if (it == c.actions.end()) return "The action plan of " + c.ref + " has no action " + id;
  Status s = it->second.Check(event, p);
  return s.ok() ? "" : s.message();
}

}  // namespace casereview::scr
