#include "scr/scr_events.hpp"

#include <vector>

namespace casereview {
namespace {

using F = FieldType;

FieldSpec Date(std::string_view name, std::string_view help, bool required = true) {
  return {name, F::kDate, required, help};
}
FieldSpec Text(std::string_view name, std::string_view help, bool required = true) {
  return {name, F::kText, required, help};
}
FieldSpec Agency(std::string_view help = "the agency's id") {
  return {"agency", F::kAgency, true, help};
}
FieldSpec Reasons(std::string_view help = "why, for the record") {
  return Text("reasons", help);
}
// Who decided, when someone else records a decision the guidance gives to the board chair
// (engine/permissions.hpp checks it names a board chair of the review's board).
FieldSpec OnBehalfOf() {
  return {"on_behalf_of", F::kPerson, false, "the board chair, when someone records the decision for them"};
}
FieldSpec ActionId() { return Text("action", "the action's id within the plan, e.g. A1"); }

std::vector<EventSpec> BuildSpecs() {
  return {
      // -- Referral: "death of or serious injury to a child that may be as a result of abuse"
      {"CaseReferred", "an agency refers a case to the standing SCR panel",
       {{"referring_agency", F::kAgency, true, "the agency making the referral"},
        {"incident", F::kChoice, true, "what happened to the child", {"death", "serious-injury"}},
        Date("incident_date", "when it happened"),
        {"abuse_or_neglect", F::kChoice, true, "abuse or neglect is", {"known", "suspected"}},
        {"agencies_involved", F::kAgencies, true, "every agency that knew the child"},
        Text("other_lscbs", "other LSCBs whose agencies were involved", false),
        Text("linked_review", "the child death review this case was referred from (set by the engine)", false),
        {"subject_name", F::kText, false, "the child's name (held in the case record only)", {}, true},
        {"subject_dob", F::kDate, false, "the child's date of birth (case record only)", {}, true}}},
      {"PanelMeetingConvened", "a meeting of the standing panel is convened",
       {Date("date", "when the meeting will be held"),
        {"kind", F::kChoice, true, "extraordinary (after a critical incident) or ordinary",
         {"extraordinary", "ordinary"}}}},
      {"PanelMeetingHeld", "the standing panel met; who attended decides quoracy",
       {Date("date", "when it met"), {"attendees", F::kPeople, true, "everyone present"}}},
      {"ScrRecommended", "the panel recommends to the board chair that an SCR be held",
       {Reasons("why the case meets the criteria")}},
      {"NoScrRecommended", "the panel recommends that no SCR be held",
       {Reasons("why the criteria are not met"),
        Text("other_learning", "another learning review proposed instead", false)}},
      // -- The board chair decides
      {"ChairDecidedToProceed", "the board chair decides to hold an SCR (starts the completion clock)",
       {Date("date", "the decision date"), Text("reasons", "the chair's reasons", false), OnBehalfOf()}},
      {"ChairDecidedNotToProceed", "the board chair decides not to hold an SCR (final)",
       {Date("date", "the decision date"), Reasons("the chair's reasons"), OnBehalfOf()}},
      {"DecisionReportedOnward", "the decision not to hold an SCR, and why, is reported onward",
       {Date("date", "when reported"), Text("to", "to whom (e.g. Ofsted, the national panel)")}},
      // -- Commissioning (Appendix 2, para 6)
      {"AgencyInvolvementRecorded", "another agency is found to have been involved",
       {Agency()}},
      {"ReviewPanelFormed", "the panel for this review is formed",
       {{"chair", F::kPerson, true, "who chairs this review's panel"},
        {"members", F::kPeople, true, "the members (one at least from an uninvolved agency)"}}},
      {"TermsOfReferenceAgreed", "scope and terms of reference are agreed",
       {Date("date", "when agreed"), Date("scope_from", "start of the period reviewed", false),
        Date("scope_to", "end of the period reviewed", false)}},
      {"RecordsSecured", "agencies confirm their records are secured",
       {{"agencies", F::kAgencies, true, "the agencies confirming"}}},
      {"OverviewWriterAppointed", "the independent overview writer is appointed",
       {{"writer", F::kPerson, true, "the overview writer"}}},
      {"ImrCommissioned", "an IMR is commissioned from an involved agency",
       {Agency("the agency writing the IMR"),
        {"author", F::kPerson, true, "the IMR author"},
        {"senior_manager", F::kPerson, true, "the senior manager who will sign it off"},
        Date("due", "when the IMR is due (default: the policy profile's, e.g. 6 weeks)", false),
        {"author_declares_independence", F::kBool, true,
         "the author had no direct involvement with, or line management of, the case"}}},
      {"FamilyContactNamed", "the point of contact for the family is named",
       {{"contact", F::kPerson, true, "the point of contact"}}},
      {"CommissioningCompleted", "the review is commissioned and the IMRs are under way", {}},
      // -- IMRs in progress
      {"ImrSubmitted", "an IMR author submits the IMR", {Agency("whose IMR")}},
      {"ImrReturnedForRevision", "the panel returns an IMR for revision",
       {Agency("whose IMR"), Reasons("what the panel challenges")}},
      {"ImrAccepted", "the panel accepts an IMR", {Agency("whose IMR")}},
      {"ImrSignedOff", "the agency's senior manager signs off its IMR",
       {Agency("whose IMR"), {"senior_manager", F::kPerson, true, "who signs it off"}}},
      {"ImrTimeframeAtRisk", "an IMR author warns early that the timeframe cannot be met",
       {Agency("whose IMR"), Text("reason", "why, and what would help")}},
      {"AuthorGroupMeetingHeld", "the IMR authors' group met with the overview writer",
       {Date("date", "when it met"), {"attendees", F::kPeople, true, "everyone present"}}},
      // -- Overview report, quality assurance, sign-off
      {"OverviewReportSubmitted", "the overview report and executive summary are submitted",
       {Date("date", "when submitted")}},
      {"OverviewReturnedForRevision", "the panel sends the overview report back",
       {Reasons("what must change")}},
      {"OverviewEndorsedByPanel", "the panel signs off the report and recommends it to the board chair",
       {Date("date", "when endorsed")}},
      {"ReportSignedOffByBoard", "the board chair signs off the report",
       {Date("date", "when signed off"), {"by", F::kPerson, true, "the board chair"}}},
      {"ReportReturnedByBoard", "the board chair returns the report to the panel",
       {Reasons("what must change"), OnBehalfOf()}},
      {"SubmittedToRegulator", "the report is sent to the regulator",
       {{"regulator", F::kChoice, true, "to whom", {"ofsted", "national-panel"}},
        Date("date", "when sent")}},
      {"ReportPublished", "the overview report and executive summary are published",
       {Date("date", "when published")}},
      {"StaffDebriefed", "staff involved have been debriefed", {Date("date", "when")}},
      {"LearningDisseminated", "learning from the review was disseminated",
       {Date("date", "when"), Text("summary", "how (events, briefings)", false)}},
      // -- The inter-agency action plan
      {"ActionAdded", "an action is added to the inter-agency action plan",
       {ActionId(), Text("description", "what is to be done"),
        {"lead_officer", F::kPerson, true, "the lead officer"},
        Agency("the agency responsible"), Date("due", "when it is due"),
        Text("outcome", "the outcome for children it should achieve")}},
      {"ActionPlanAgreed", "the action plan is agreed and monitoring begins",
       {Date("date", "when agreed")}},
      {"ActionStarted", "work on an action has begun",
       {ActionId(), Text("note", "progress so far", false)}},
      {"ActionProgressRecorded", "the lead officer reports progress",
       {ActionId(), Text("note", "progress"), Text("evidence", "evidence", false)}},
      {"ActionCompleted", "an action is completed",
       {ActionId(), Text("evidence", "evidence of completion")}},
      {"ActionImpactAssured", "the panel is assured of the action's impact on practice",
       {ActionId(), Text("evidence", "evidence of impact")}},
      {"ActionClosed", "an action is formally closed without completion",
       {ActionId(), Reasons("why it is closed")}},
      {"ReviewClosed", "every action is done: the review is closed", {Date("date", "when")}},
      // -- Alongside the main line, before sign-off
      {"ExtensionRequested", "the LSCB applies for an extension (exceptional circumstances)",
       {Date("until", "the completion date asked for"), Text("reason", "the clear reason")}},
      {"ExtensionGranted", "the extension is granted",
       {Date("until", "the new completion date"), Text("reasons", "notes", false), OnBehalfOf()}},
      {"ExtensionRefused", "the extension is refused", {Reasons(), OnBehalfOf()}},
      {"ParallelProceedingOpened", "a parallel proceeding is recorded (police, coroner, CPS, SUI)",
       {Text("proceeding", "an id for it, e.g. P1"),
        {"kind", F::kChoice, true, "what it is",
         {"police", "coroner", "cps", "serious-untoward-incident"}},
        Text("status", "where it stands", false)}},
      {"ParallelProceedingUpdated", "a parallel proceeding's status changed",
       {Text("proceeding", "its id"), Text("status", "where it stands")}},
      {"ParallelProceedingConcluded", "a parallel proceeding has concluded",
       {Text("proceeding", "its id"), Text("status", "the outcome")}},
      {"SingleAgencyLearningActioned", "learning for one agency was actioned early",
       {Agency(), Text("learning", "what was actioned")}},
      {"MediaStrategyAgreed", "the media strategy is agreed", {Date("date", "when")}},
      {"SuspensionStarted", "the review's clock is paused (criminal trial, inquest)",
       {{"kind", F::kChoice, true, "what it waits for", {"criminal-trial", "inquest", "other"}},
        Text("reason", "why the review cannot proceed")}},
      {"SuspensionEnded", "the pause is over and the clock runs again", {Date("date", "when")}},
      // -- Fired by the scheduler when a deadline's timer falls due (never recorded by hand)
      {"DeadlineReminderDue", "a reminder before a due date (fired by a timer)",
       {Text("deadline", "the deadline's key"), Text("step", "which reminder"),
        Date("due_date", "the due date it reminds of")}},
      {"DeadlineEscalated", "an overdue deadline is escalated one step up the ladder (fired by a timer)",
       {Text("deadline", "the deadline's key"), Text("step", "which escalation step"),
        Date("due_date", "the due date that was missed"),
        {"to", F::kChoice, true, "who hears", {"holder", "senior-manager", "panel-chair", "board-chair"}}}},
      // -- Reporting to the national panel (Working Together 2018 profiles)
      {"NationalPanelNotified", "the serious incident is notified to the national panel",
       {Date("date", "when notified")}},
      {"RapidReviewCompleted", "the rapid review is completed and sent to the national panel",
       {Date("date", "when completed")}},
      {"PublicationPlanned", "a publication date is planned", {Date("date", "the planned date")}},
      {"FinalReportSentToNationalPanel", "the final report is sent to the national panel",
       {Date("date", "when sent")}},
  };
}

}  // namespace

std::span<const EventSpec> ScrEventSpecs() {
  static const std::vector<EventSpec> kSpecs = BuildSpecs();
  return kSpecs;
}

}  // namespace casereview
