// The SCR machine's guards and actions. Private to workflows/scr (see scr_machine.hpp).
//
// Each is a thin MSM adapter over a plain function on ScrCase: an action's Do() records
// facts; a guard's WhyNot() returns "" when the rule is met, or the reason it is not. The
// adapter turns a reason into the refusal message, naming the review, event and stage.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/event_spec.hpp"
#include "scr/scr_case.hpp"

namespace casereview::scr {

using Json = nlohmann::json;

// Flags: which stages take the events that run alongside the main line.
struct BeforeSignOff {};  // extensions, proceedings, early learning
struct FinalStage {};     // nothing more happens

struct StageFlags {
  bool before_sign_off;
  bool final;
};

// The current stage's stable name; defined in scr_workflow.cpp.
template <class Fsm>
std::string_view StageOf(const Fsm& fsm);

template <class Self>
struct CaseAction {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& f, S&, T&) const {
    Self::Do(f.case_, e.fields);
  }
};

template <class Self>
struct CaseGuard {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F& f, S&, T&) const {
    StageFlags flags{f.template is_flag_active<BeforeSignOff>(), f.template is_flag_active<FinalStage>()};
    std::string why = Self::WhyNot(f.case_, e.fields, flags);
    if (why.empty()) return true;
    f.why_not_ = std::string(E::kName) + " cannot be recorded on " + f.case_.ref + " (stage: " +
                 std::string(StageOf(f)) + "): " + why;
    return false;
  }
};

// ---- Actions -------------------------------------------------------------------------------
struct RecordConvening : CaseAction<RecordConvening> {
  static void Do(ScrCase& c, const Json& p) { c.meetings_convened.push_back(TextField(p, "date")); }
};
struct RecordPanelMeeting : CaseAction<RecordPanelMeeting> { static void Do(ScrCase& c, const Json& p); };
struct RecordAgencyInvolvement : CaseAction<RecordAgencyInvolvement> {
  static void Do(ScrCase& c, const Json& p) { c.involved_agencies.insert(TextField(p, "agency")); }
};
struct FormReviewPanel : CaseAction<FormReviewPanel> { static void Do(ScrCase& c, const Json& p); };
struct AgreeTermsOfReference : CaseAction<AgreeTermsOfReference> {
  static void Do(ScrCase& c, const Json&) { c.terms_of_reference_agreed = true; }
};
struct RecordRecordsSecured : CaseAction<RecordRecordsSecured> {
  static void Do(ScrCase& c, const Json& p) {
    for (const auto& a : p["agencies"]) c.records_secured.insert(a.get<std::string>());
  }
};
struct AppointOverviewWriter : CaseAction<AppointOverviewWriter> {
  static void Do(ScrCase& c, const Json& p) { c.overview_writer = PersonId(p, "writer"); }
};
struct CommissionImr : CaseAction<CommissionImr> { static void Do(ScrCase& c, const Json& p); };
struct NameFamilyContact : CaseAction<NameFamilyContact> {
  static void Do(ScrCase& c, const Json& p) { c.family_contact = PersonId(p, "contact"); }
};
struct RecordAuthorGroupMeeting : CaseAction<RecordAuthorGroupMeeting> {
  static void Do(ScrCase& c, const Json&) { ++c.author_group_meetings; }
};
struct CountOverviewDraft : CaseAction<CountOverviewDraft> {
  static void Do(ScrCase& c, const Json&) { ++c.overview_drafts; }
};
struct CountOverviewReturn : CaseAction<CountOverviewReturn> {
  static void Do(ScrCase& c, const Json&) { ++c.overview_returns; }
};
struct RecordBoardSignOff : CaseAction<RecordBoardSignOff> {
  static void Do(ScrCase& c, const Json& p) { c.board_signed_off_on = TextField(p, "date"); }
};
struct CountBoardReturn : CaseAction<CountBoardReturn> {
  static void Do(ScrCase& c, const Json&) { ++c.board_returns; }
};
struct RecordSubmission : CaseAction<RecordSubmission> {
  static void Do(ScrCase& c, const Json& p) {
    c.regulator = TextField(p, "regulator");
    c.submitted_to_regulator_on = TextField(p, "date");
  }
};
struct RecordPublication : CaseAction<RecordPublication> {
  static void Do(ScrCase& c, const Json& p) { c.published_on = TextField(p, "date"); }
};
struct RecordDebrief : CaseAction<RecordDebrief> {
  static void Do(ScrCase& c, const Json& p) { c.staff_debriefed_on = TextField(p, "date"); }
};
struct CountDissemination : CaseAction<CountDissemination> {
  static void Do(ScrCase& c, const Json&) { ++c.learning_disseminations; }
};
struct AddAction : CaseAction<AddAction> { static void Do(ScrCase& c, const Json& p); };
struct RecordPlanAgreed : CaseAction<RecordPlanAgreed> {
  static void Do(ScrCase& c, const Json& p) { c.action_plan_agreed_on = TextField(p, "date"); }
};
struct RecordClosure : CaseAction<RecordClosure> {
  static void Do(ScrCase& c, const Json& p) { c.closed_on = TextField(p, "date"); }
};
struct RequestExtension : CaseAction<RequestExtension> { static void Do(ScrCase& c, const Json& p); };
struct OpenProceeding : CaseAction<OpenProceeding> { static void Do(ScrCase& c, const Json& p); };
struct RecordEarlyLearning : CaseAction<RecordEarlyLearning> {
  static void Do(ScrCase& c, const Json& p) { c.single_agency_learning.push_back(TextField(p, "agency")); }
};
struct RecordMediaStrategy : CaseAction<RecordMediaStrategy> {
  static void Do(ScrCase& c, const Json& p) { c.media_strategy_agreed_on = TextField(p, "date"); }
};
struct SuspendClock : CaseAction<SuspendClock> {
  static void Do(ScrCase& c, const Json& p) {
    c.suspended_for = TextField(p, "kind");
    ++c.suspensions;
  }
};
struct ResumeClock : CaseAction<ResumeClock> {
  static void Do(ScrCase& c, const Json&) { c.suspended_for.clear(); }
};
struct RecordTimeframeWarning : CaseAction<RecordTimeframeWarning> {
  static void Do(ScrCase& c, const Json& p) { c.timeframe_warnings.push_back(TextField(p, "agency")); }
};
struct CountReminder : CaseAction<CountReminder> {
  static void Do(ScrCase& c, const Json&) { ++c.reminders_fired; }
};
struct RecordEscalation : CaseAction<RecordEscalation> {
  static void Do(ScrCase& c, const Json& p) {
    AppendEscalation(c.escalations, p);
  }
};
struct RecordDecisionReported : CaseAction<RecordDecisionReported> {
  static void Do(ScrCase& c, const Json& p) { c.decision_reported_on = TextField(p, "date"); }
};

// ---- Guards --------------------------------------------------------------------------------
#define CR_SCR_GUARD(Name) \
  struct Name : CaseGuard<Name> { static std::string WhyNot(const ScrCase& c, const Json& p, StageFlags s); }
CR_SCR_GUARD(LastMeetingWasQuorate);
CR_SCR_GUARD(AgencyIsNotYetInvolved);
CR_SCR_GUARD(PanelHasUninvolvedMember);
CR_SCR_GUARD(ImrCanBeCommissioned);
CR_SCR_GUARD(CommissioningIsComplete);
CR_SCR_GUARD(SignedByBoardChair);
CR_SCR_GUARD(WasSubmittedToRegulator);
CR_SCR_GUARD(ActionIdIsNew);
CR_SCR_GUARD(PlanHasActions);
CR_SCR_GUARD(EveryActionIsDone);
CR_SCR_GUARD(ExtensionCanBeRequested);
CR_SCR_GUARD(ExtensionIsPending);
CR_SCR_GUARD(ProceedingCanOpen);
CR_SCR_GUARD(ProceedingIsOngoing);
CR_SCR_GUARD(IsBeforeSignOff);
CR_SCR_GUARD(IsNotFinal);
CR_SCR_GUARD(ClockCanBeSuspended);
CR_SCR_GUARD(ClockIsSuspended);
CR_SCR_GUARD(ImrIsOutstanding);
#undef CR_SCR_GUARD

// ---- IMRs and actions: their own machines decide, and their refusals name everything --------
// These adapters pass the event's name on: a sub-machine needs it, and so do actions shared by
// events that differ only in name.
template <class Self>
struct SubMachineGuard {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F& f, S&, T&) const {
    std::string why = Self::WhyNot(f.case_, E::kName, e.fields);
    if (why.empty()) return true;
    f.why_not_ = why;
    return false;
  }
};
template <class Self>
struct EventAwareAction {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& f, S&, T&) const {
    Self::Do(f.case_, E::kName, e.fields);
  }
};

// The IMR named in the event exists and its own machine takes the event.
struct ImrTakesEvent : SubMachineGuard<ImrTakesEvent> {
  static std::string WhyNot(const ScrCase& c, std::string_view event, const Json& p);
};
// The IMR's sign-off leaves other IMRs (or involved agencies without one) to finish.
struct SignOffLeavesImrsToDo : SubMachineGuard<SignOffLeavesImrsToDo> {
  static std::string WhyNot(const ScrCase& c, std::string_view event, const Json& p);
};
// The IMR's sign-off is the last one: every involved agency's IMR is then signed off.
struct SignOffCompletesImrs : SubMachineGuard<SignOffCompletesImrs> {
  static std::string WhyNot(const ScrCase& c, std::string_view event, const Json& p);
};
// The action named in the event exists and its own machine takes the event.
struct ActionTakesEvent : SubMachineGuard<ActionTakesEvent> {
  static std::string WhyNot(const ScrCase& c, std::string_view event, const Json& p);
};
struct UpdateImr : EventAwareAction<UpdateImr> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};
struct UpdateAction : EventAwareAction<UpdateAction> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};
// Events that share an action and differ by name (granted / refused, and so on).
struct RecordRecommendation : EventAwareAction<RecordRecommendation> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};
struct RecordDecision : EventAwareAction<RecordDecision> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};
// NationalPanelNotified, RapidReviewCompleted, PublicationPlanned,
// FinalReportSentToNationalPanel: the date of each, by event.
struct RecordNationalPanelStep : EventAwareAction<RecordNationalPanelStep> {
  static void Do(ScrCase& c, std::string_view event, const Json& p) {
    c.national_panel[std::string(event)] = TextField(p, "date");
  }
};
struct DecideExtension : EventAwareAction<DecideExtension> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};
struct UpdateProceeding : EventAwareAction<UpdateProceeding> {
  static void Do(ScrCase& c, std::string_view event, const Json& p);
};

}  // namespace casereview::scr
