// The child death review machine's front end. Private to workflows/cdop: include only from
// cdop_workflow.cpp (one translation unit, as MSM is slow to compile).
#pragma once

#include "casereview/msm_config.hpp"  // first: before any MSM header

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "cdop/cdop_case.hpp"
#include "cdop/cdop_guards.hpp"
#include "common/event_spec.hpp"
#include "common/machine_support.hpp"

namespace casereview::cdop {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events: one type per fact, carrying its validated fields. (ChildDeathNotified opens the
// review and is not an event of the machine: CdopWorkflow::Begin records it.)
#define CR_CDOP_EVENT(Name)                          \
  struct Name {                                      \
    static constexpr std::string_view kName = #Name; \
    const nlohmann::json& fields;                    \
  }
CR_CDOP_EVENT(RapidResponseStarted);
CR_CDOP_EVENT(InformationSharingMeetingHeld);
CR_CDOP_EVENT(JointHomeVisitCompleted);
CR_CDOP_EVENT(PostMortemPerformed);
CR_CDOP_EVENT(PostMortemDiscussionHeld);
CR_CDOP_EVENT(CriminalInvestigationRecorded);
CR_CDOP_EVENT(StrategyMeetingHeld);
CR_CDOP_EVENT(RapidResponseCompleted);
CR_CDOP_EVENT(AgencyReportRequested);
CR_CDOP_EVENT(AgencyReportSubmitted);
CR_CDOP_EVENT(AllAgencyReportsReceived);
CR_CDOP_EVENT(PostMortemReportReceived);
CR_CDOP_EVENT(InquestOpened);
CR_CDOP_EVENT(InquestConcluded);
CR_CDOP_EVENT(PoliceInvestigationConcluded);
CR_CDOP_EVENT(ReviewMeetingScheduled);
CR_CDOP_EVENT(LocalCaseDiscussionHeld);
CR_CDOP_EVENT(PanelReviewHeld);
CR_CDOP_EVENT(ContributoryFactorRecorded);
CR_CDOP_EVENT(RecommendationMade);
CR_CDOP_EVENT(ReviewClosed);
CR_CDOP_EVENT(ReferredForScr);
CR_CDOP_EVENT(DeadlineReminderDue);
CR_CDOP_EVENT(DeadlineEscalated);
#undef CR_CDOP_EVENT

#define CR_STAGE(Name, ...)                          \
  struct Name : msm::front::state<> {                \
    static constexpr std::string_view kName = #Name; \
    using flag_list = mpl::vector<__VA_ARGS__>;      \
  }

struct CdopMachine_ : msm::front::state_machine_def<CdopMachine_>, machine::RefusalSlots {
  // No action sends an event to its own machine, so MSM's queue for such events is never
  // used; without it each machine (one per open review, IMR and action) is about 600 bytes
  // smaller (docs/performance.md, figure 2).
  using no_message_queue = int;
  CdopCase case_;

  // Stages of the main line (docs/child-death-reviews.md, steps 1-7).
  CR_STAGE(Notified);
  CR_STAGE(RapidResponse);
  CR_STAGE(AgencyReportsRequested);
  CR_STAGE(AwaitingInvestigations);
  CR_STAGE(LocalCaseDiscussion);
  CR_STAGE(PanelReview);
  CR_STAGE(Closed, FinalStage);
  // The second region: what may happen at any stage until the review is closed (the
  // investigations the review tracks, a referral for an SCR, the deadline timers).
  CR_STAGE(Alongside);
  using initial_state = mpl::vector<Notified, Alongside>;

  // clang-format off
  struct transition_table : mpl::vector<
    //   Start                   Event                          Next                    Action                           Guard
    // -- 1. Notified: "unexpected meaning not anticipated as a significant possibility 24 hours before" decides
    //    whether the joint agency response starts; an expected death goes straight to the agencies' reports --------------
    Row< Notified,               RapidResponseStarted,          RapidResponse,          StartRapidResponse,              DeathWasUnexpected               >,
    Row< Notified,               AgencyReportRequested,         AgencyReportsRequested, RequestAgencyReport,             DeathWasExpected                 >,
    // -- 2. RapidResponse: "initial information sharing and planning meeting, joint home or scene visit, post-mortem,
    //    post-mortem discussion ... A criminal investigation or strategy meeting takes precedence and is recorded" --------
    Row< RapidResponse,          InformationSharingMeetingHeld, none,                   RecordInformationSharingMeeting, none                             >,
    Row< RapidResponse,          JointHomeVisitCompleted,       none,                   RecordJointHomeVisit,            none                             >,
    Row< RapidResponse,          PostMortemPerformed,           none,                   RecordPostMortem,                none                             >,
    Row< RapidResponse,          PostMortemDiscussionHeld,      none,                   RecordPostMortemDiscussion,      none                             >,
    Row< RapidResponse,          CriminalInvestigationRecorded, none,                   RecordCriminalInvestigation,     none                             >,
    Row< RapidResponse,          StrategyMeetingHeld,           none,                   RecordStrategyMeeting,           none                             >,
    Row< RapidResponse,          RapidResponseCompleted,        AgencyReportsRequested, CompleteRapidResponse,           InformationSharingMeetingWasHeld >,
    // -- 3. AgencyReportsRequested: "a reporting form from every agency that knew the child ... 'not known' answers
    //    are allowed" --------------------------------------------------------------------------------------------------
    Row< AgencyReportsRequested, AgencyReportRequested,         none,                   RequestAgencyReport,             ReportCanBeRequested             >,
    Row< AgencyReportsRequested, AgencyReportSubmitted,         none,                   FileAgencyReport,                ReportIsOutstanding              >,
    Row< AgencyReportsRequested, AllAgencyReportsReceived,      AwaitingInvestigations, none,                            EveryReportIsIn                  >,
    // -- 4. AwaitingInvestigations: "tracked, not blocking" (the facts themselves are in the second region);
    //    5. the meeting: "at least a month's notice, not before the post-mortem report is available" ---------------------
    Row< AwaitingInvestigations, ReviewMeetingScheduled,        LocalCaseDiscussion,    ScheduleReviewMeeting,           MeetingCanBeScheduled            >,
    // -- 5. LocalCaseDiscussion: the child death review meeting (moved, it is scheduled again under the same rules) ------
    Row< LocalCaseDiscussion,    ReviewMeetingScheduled,        none,                   ScheduleReviewMeeting,           MeetingCanBeScheduled            >,
    Row< LocalCaseDiscussion,    LocalCaseDiscussionHeld,       PanelReview,            RecordLocalCaseDiscussion,       none                             >,
    // -- 6. PanelReview: "the CDOP meeting (quoracy applies) records the category of death ..., contributory factors
    //    as separate lines each graded, modifiable factors ... and recommendations" -------------------------------------
    Row< PanelReview,            PanelReviewHeld,               none,                   RecordPanelReview,               PanelIsQuorate                   >,
    Row< PanelReview,            ContributoryFactorRecorded,    none,                   RecordContributoryFactor,        none                             >,
    Row< PanelReview,            RecommendationMade,            none,                   RecordRecommendation,            none                             >,
    Row< PanelReview,            ReviewClosed,                  Closed,                 RecordClosure,                   PanelFindingsAreRecorded         >,
    // == Alongside, until closed. 4: "post-mortem report, inquest, police: tracked, not blocking" (recorded whenever
    //    they happen: an inquest opens within days, the report may come while forms are still out) ======================
    Row< Alongside,              PostMortemReportReceived,      none,                   RecordPostMortemReport,          PostMortemReportIsAwaited        >,
    Row< Alongside,              InquestOpened,                 none,                   RecordInquestOpening,            InquestIsNotOpen                 >,
    Row< Alongside,              InquestConcluded,              none,                   RecordInquestConclusion,         InquestIsOpen                    >,
    Row< Alongside,              PoliceInvestigationConcluded,  none,                   RecordPoliceConclusion,          PoliceInvestigationIsOngoing     >,
    // "At any point the case can be referred for an SCR; that opens a linked SCR in Referred"
    Row< Alongside,              ReferredForScr,                none,                   RecordScrReferral,               ScrReferralCanBeMade             >,
    // Timers are events: an agency form's reminders and escalations ("like an IMR")
    Row< Alongside,              DeadlineReminderDue,           none,                   CountReminder,                   none                             >,
    Row< Alongside,              DeadlineEscalated,             none,                   RecordEscalation,                none                             >
  > {};
  // clang-format on

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}  // Dispatch explains the refusal
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm& f, std::exception& ex) {
    f.failure_ = "internal error in the child death review machine on " + f.case_.ref + ": " + ex.what();
  }
};
#undef CR_STAGE

using CdopMachine = msm::back::state_machine<CdopMachine_>;

}  // namespace casereview::cdop
