// The child death review machine's guards and actions. Private to workflows/cdop (see
// cdop_machine.hpp). Free of MSM: templates over the machine type.
//
// Each is a thin adapter over plain facts and rules on CdopCase (cdop_case.hpp): an action's
// Do() records facts; a guard's WhyNot() returns "" when the rule is met, or the reason it
// is not. The adapter turns a reason into the refusal, naming the review, stage and event.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cdop/cdop_case.hpp"
#include "common/event_spec.hpp"

namespace casereview::cdop {

using Json = nlohmann::json;

// Flag: the review is closed; nothing more is recorded.
struct FinalStage {};

// What a guard may know of the machine beyond the case.
struct GuardContext {
  bool final;
};
inline const std::string kReviewIsClosed = "the review is closed";

// The current stage's stable name; defined in cdop_workflow.cpp.
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
    std::string why = Self::WhyNot(f.case_, e.fields, GuardContext{f.template is_flag_active<FinalStage>()});
    if (why.empty()) return true;
    f.why_not_ = std::string(E::kName) + " cannot be recorded on " + f.case_.ref + " at stage " +
                 std::string(StageOf(f)) + ": " + why;
    return false;
  }
};

// ---- Actions -------------------------------------------------------------------------------
#define CR_CDOP_ACTION(Name, ...) \
  struct Name : CaseAction<Name> { static void Do(CdopCase& c, const Json& p) { __VA_ARGS__; } }
// The joint agency response.
CR_CDOP_ACTION(StartRapidResponse, c.rapid_response.started_on = TextField(p, "date"));
CR_CDOP_ACTION(RecordInformationSharingMeeting,
               c.rapid_response.information_sharing_meetings.push_back(
                   {TextField(p, "date")}));
CR_CDOP_ACTION(RecordJointHomeVisit, c.rapid_response.joint_home_visits.push_back(TextField(p, "date")));
CR_CDOP_ACTION(RecordPostMortem, c.rapid_response.post_mortems.push_back(TextField(p, "date")));
CR_CDOP_ACTION(RecordPostMortemDiscussion,
               c.rapid_response.post_mortem_discussions.push_back(TextField(p, "date")));
CR_CDOP_ACTION(RecordCriminalInvestigation,
               c.rapid_response.criminal_investigations.push_back(
                   {TextField(p, "date"), TextField(p, "status")}));
CR_CDOP_ACTION(RecordStrategyMeeting, c.rapid_response.strategy_meetings.push_back(TextField(p, "date")));
CR_CDOP_ACTION(CompleteRapidResponse, c.rapid_response.completed_on = TextField(p, "date"));
// Agency reporting forms.
CR_CDOP_ACTION(RequestAgencyReport, RecordReportRequest(c, p));
CR_CDOP_ACTION(FileAgencyReport, RecordReportSubmission(c, p));
// Investigations, tracked alongside.
CR_CDOP_ACTION(RecordPostMortemReport,
               c.investigations.post_mortem_report_received_on = TextField(p, "date"));
CR_CDOP_ACTION(RecordInquestOpening, c.investigations.inquest_opened_on = TextField(p, "date"));
CR_CDOP_ACTION(RecordInquestConclusion,
               c.investigations.inquest_concluded_on = TextField(p, "date");
               c.investigations.inquest_conclusion = TextField(p, "conclusion"));
CR_CDOP_ACTION(RecordPoliceConclusion,
               c.investigations.police_investigation_concluded_on = TextField(p, "date"));
// The child death review meeting and the CDOP.
CR_CDOP_ACTION(ScheduleReviewMeeting,
               c.review_meeting.date = TextField(p, "date");
               c.review_meeting.notice_given_on = TextField(p, "notice_given_on");
               ++c.review_meeting.times_scheduled);
CR_CDOP_ACTION(RecordLocalCaseDiscussion,
               c.review_meeting.held = {TextField(p, "date")});
CR_CDOP_ACTION(RecordPanelReview, RecordPanelFindings(c, p));
CR_CDOP_ACTION(RecordContributoryFactor,
               c.contributory_factors.push_back(
                   {TextField(p, "domain"), TextField(p, "factor"), std::stoi(TextField(p, "grade"))}));
CR_CDOP_ACTION(RecordRecommendation, c.recommendations.push_back(TextField(p, "recommendation")));
CR_CDOP_ACTION(RecordClosure, c.closed_on = TextField(p, "date"));
// At any stage.
CR_CDOP_ACTION(RecordScrReferral,
               c.referred_for_scr = true;
               c.scr_referral_reasons = TextField(p, "reasons");
               c.scr_ref = TextField(p, "scr_ref"));
CR_CDOP_ACTION(CountReminder, (void)p; ++c.reminders_fired);
CR_CDOP_ACTION(RecordEscalation,
               AppendEscalation(c.escalations, p));
#undef CR_CDOP_ACTION

// ---- Guards --------------------------------------------------------------------------------
#define CR_CDOP_GUARD(Name, ...)                                                    \
  struct Name : CaseGuard<Name> {                                                   \
    static std::string WhyNot(const CdopCase& c, const Json& p, GuardContext at) {  \
      (void)p;                                                                      \
      (void)at;                                                                     \
      return __VA_ARGS__;                                                           \
    }                                                                               \
  }
// What happens after the death was notified depends on whether it was expected.
CR_CDOP_GUARD(DeathWasUnexpected, RapidResponseNotNeeded(c));
CR_CDOP_GUARD(DeathWasExpected, RapidResponseComesFirst(c));
CR_CDOP_GUARD(InformationSharingMeetingWasHeld, RapidResponseShortfall(c));
CR_CDOP_GUARD(ReportCanBeRequested, ReportRequestConflict(c, TextField(p, "agency")));
CR_CDOP_GUARD(ReportIsOutstanding, ReportNotOutstanding(c, TextField(p, "agency")));
CR_CDOP_GUARD(EveryReportIsIn, ReportsShortfall(c));
CR_CDOP_GUARD(MeetingCanBeScheduled,
              ReviewMeetingShortfall(c, TextField(p, "date"), TextField(p, "notice_given_on")));
CR_CDOP_GUARD(PanelIsQuorate, PanelQuorumShortfall(c, PeopleFrom(p["attendees"])));
CR_CDOP_GUARD(PanelFindingsAreRecorded, PanelFindingsShortfall(c));
// Alongside the main line, until the review is closed.
CR_CDOP_GUARD(PostMortemReportIsAwaited, at.final ? kReviewIsClosed : PostMortemReportConflict(c));
CR_CDOP_GUARD(InquestIsNotOpen, at.final ? kReviewIsClosed : InquestOpeningConflict(c));
CR_CDOP_GUARD(InquestIsOpen, at.final ? kReviewIsClosed : InquestConclusionConflict(c));
CR_CDOP_GUARD(PoliceInvestigationIsOngoing, at.final ? kReviewIsClosed : PoliceConclusionConflict(c));
CR_CDOP_GUARD(ScrReferralCanBeMade, at.final ? kReviewIsClosed : ScrReferralConflict(c));
#undef CR_CDOP_GUARD

}  // namespace casereview::cdop
