// The SCR machine's front end. Private to workflows/scr: include only from
// scr_workflow.cpp (one translation unit, as MSM is slow to compile).
#pragma once

#include "casereview/msm_config.hpp"  // first: before any MSM header

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "common/event_spec.hpp"
#include "common/machine_support.hpp"
#include "scr/scr_case.hpp"
#include "scr/scr_guards.hpp"

namespace casereview::scr {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// Events: one type per fact, carrying its validated fields.
#define CR_SCR_EVENT(Name)                                     \
  struct Name {                                                \
    static constexpr std::string_view kName = #Name;           \
    const nlohmann::json& fields;                              \
  }
CR_SCR_EVENT(PanelMeetingConvened);
CR_SCR_EVENT(PanelMeetingHeld);
CR_SCR_EVENT(ScrRecommended);
CR_SCR_EVENT(NoScrRecommended);
CR_SCR_EVENT(ChairDecidedToProceed);
CR_SCR_EVENT(ChairDecidedNotToProceed);
CR_SCR_EVENT(AgencyInvolvementRecorded);
CR_SCR_EVENT(ReviewPanelFormed);
CR_SCR_EVENT(TermsOfReferenceAgreed);
CR_SCR_EVENT(RecordsSecured);
CR_SCR_EVENT(OverviewWriterAppointed);
CR_SCR_EVENT(ImrCommissioned);
CR_SCR_EVENT(FamilyContactNamed);
CR_SCR_EVENT(CommissioningCompleted);
CR_SCR_EVENT(ImrSubmitted);
CR_SCR_EVENT(ImrReturnedForRevision);
CR_SCR_EVENT(ImrAccepted);
CR_SCR_EVENT(ImrSignedOff);
CR_SCR_EVENT(AuthorGroupMeetingHeld);
CR_SCR_EVENT(OverviewReportSubmitted);
CR_SCR_EVENT(OverviewReturnedForRevision);
CR_SCR_EVENT(OverviewEndorsedByPanel);
CR_SCR_EVENT(ReportSignedOffByBoard);
CR_SCR_EVENT(ReportReturnedByBoard);
CR_SCR_EVENT(SubmittedToRegulator);
CR_SCR_EVENT(ReportPublished);
CR_SCR_EVENT(StaffDebriefed);
CR_SCR_EVENT(LearningDisseminated);
CR_SCR_EVENT(ActionAdded);
CR_SCR_EVENT(ActionPlanAgreed);
CR_SCR_EVENT(ActionStarted);
CR_SCR_EVENT(ActionProgressRecorded);
CR_SCR_EVENT(ActionCompleted);
CR_SCR_EVENT(ActionImpactAssured);
CR_SCR_EVENT(ActionClosed);
CR_SCR_EVENT(ReviewClosed);
CR_SCR_EVENT(ExtensionRequested);
CR_SCR_EVENT(ExtensionGranted);
CR_SCR_EVENT(ExtensionRefused);
CR_SCR_EVENT(ParallelProceedingOpened);
CR_SCR_EVENT(ParallelProceedingUpdated);
CR_SCR_EVENT(ParallelProceedingConcluded);
CR_SCR_EVENT(SingleAgencyLearningActioned);
CR_SCR_EVENT(MediaStrategyAgreed);
CR_SCR_EVENT(DecisionReportedOnward);
CR_SCR_EVENT(ImrTimeframeAtRisk);
CR_SCR_EVENT(SuspensionStarted);
CR_SCR_EVENT(SuspensionEnded);
CR_SCR_EVENT(NationalPanelNotified);
CR_SCR_EVENT(RapidReviewCompleted);
CR_SCR_EVENT(PublicationPlanned);
CR_SCR_EVENT(FinalReportSentToNationalPanel);
CR_SCR_EVENT(DeadlineReminderDue);
CR_SCR_EVENT(DeadlineEscalated);
#undef CR_SCR_EVENT

#define CR_STAGE(Name, ...)                                                  \
  struct Name : msm::front::state<> {                                        \
    static constexpr std::string_view kName = #Name;                         \
    using flag_list = mpl::vector<__VA_ARGS__>;                              \
  }

struct ScrMachine_ : msm::front::state_machine_def<ScrMachine_>, machine::RefusalSlots {
  // No action sends an event to its own machine, so MSM's queue for such events is never
  // used; without it each machine (one per open review, IMR and action) is about 600 bytes
  // smaller (docs/performance.md, figure 2).
  using no_message_queue = int;
  ScrCase case_;

  // Stages of the main line.
  CR_STAGE(Referred, BeforeSignOff);
  CR_STAGE(UnderPanelConsideration, BeforeSignOff);
  CR_STAGE(AwaitingChairDecision, BeforeSignOff);
  CR_STAGE(NotToProceed, FinalStage);
  CR_STAGE(Commissioning, BeforeSignOff);
  CR_STAGE(ImrsInProgress, BeforeSignOff);
  CR_STAGE(OverviewDrafting, BeforeSignOff);
  CR_STAGE(PanelQualityAssurance, BeforeSignOff);
  CR_STAGE(AwaitingBoardSignOff, BeforeSignOff);
  CR_STAGE(SignedOff);
  CR_STAGE(Published);
  CR_STAGE(ActionPlanMonitoring);
  CR_STAGE(Closed, FinalStage);
  // The second region: matters that run alongside (extensions, proceedings, media).
  CR_STAGE(Alongside);
  using initial_state = mpl::vector<Referred, Alongside>;

  // clang-format off
  struct transition_table : mpl::vector<
    //   Start                    Event                         Next                     Action                    Guard
    // -- Referral; the standing panel considers the case (Appendix 2, para 5: "an extra-ordinary
    //    meeting ... will be convened following any critical incident") --------------------------------------------------------
    Row< Referred,                PanelMeetingConvened,         none,                    RecordConvening,          none                     >,
    Row< Referred,                PanelMeetingHeld,             UnderPanelConsideration, RecordPanelMeeting,       none                     >,
    Row< UnderPanelConsideration, PanelMeetingConvened,         none,                    RecordConvening,          none                     >,
    Row< UnderPanelConsideration, PanelMeetingHeld,             none,                    RecordPanelMeeting,       none                     >,
    // para 2: only a quorate panel recommends; para 5: "Recommend to the Chair of the LSCB when a SCR should be undertaken"
    Row< UnderPanelConsideration, ScrRecommended,               AwaitingChairDecision,   RecordRecommendation,     LastMeetingWasQuorate    >,
    Row< UnderPanelConsideration, NoScrRecommended,             AwaitingChairDecision,   RecordRecommendation,     LastMeetingWasQuorate    >,
    // -- The board chair decides --------------------------------------------------------------------------------------------------
    Row< AwaitingChairDecision,   ChairDecidedToProceed,        Commissioning,           RecordDecision,           none                     >,
    Row< AwaitingChairDecision,   ChairDecidedNotToProceed,     NotToProceed,            RecordDecision,           none                     >,
    Row< NotToProceed,            DecisionReportedOnward,       none,                    RecordDecisionReported,   none                     >,
    // -- Commissioning (para 5 "Establish a SCR ..."; para 6: scope, terms of reference, records, overview writer, family) ---------
    Row< Commissioning,           AgencyInvolvementRecorded,    none,                    RecordAgencyInvolvement,  AgencyIsNotYetInvolved   >,
    Row< Commissioning,           ReviewPanelFormed,            none,                    FormReviewPanel,          PanelHasUninvolvedMember >,
    Row< Commissioning,           TermsOfReferenceAgreed,       none,                    AgreeTermsOfReference,    none                     >,
    Row< Commissioning,           RecordsSecured,               none,                    RecordRecordsSecured,     none                     >,
    Row< Commissioning,           OverviewWriterAppointed,      none,                    AppointOverviewWriter,    none                     >,
    Row< Commissioning,           ImrCommissioned,              none,                    CommissionImr,            ImrCanBeCommissioned     >,
    Row< Commissioning,           FamilyContactNamed,           none,                    NameFamilyContact,        none                     >,
    Row< Commissioning,           CommissioningCompleted,       ImrsInProgress,          none,                     CommissioningIsComplete  >,
    // -- IMRs in progress (para 5: "all IMR authors are independent"; para 6: challenge, author group, senior manager sign-off) --
    Row< ImrsInProgress,          AgencyInvolvementRecorded,    none,                    RecordAgencyInvolvement,  AgencyIsNotYetInvolved   >,
    Row< ImrsInProgress,          RecordsSecured,               none,                    RecordRecordsSecured,     none                     >,
    Row< ImrsInProgress,          ImrCommissioned,              none,                    CommissionImr,            ImrCanBeCommissioned     >,
    Row< ImrsInProgress,          ImrSubmitted,                 none,                    UpdateImr,                ImrTakesEvent            >,
    Row< ImrsInProgress,          ImrReturnedForRevision,       none,                    UpdateImr,                ImrTakesEvent            >,
    Row< ImrsInProgress,          ImrAccepted,                  none,                    UpdateImr,                ImrTakesEvent            >,
    Row< ImrsInProgress,          ImrSignedOff,                 none,                    UpdateImr,                SignOffLeavesImrsToDo    >,
    Row< ImrsInProgress,          ImrSignedOff,                 OverviewDrafting,        UpdateImr,                SignOffCompletesImrs     >,
    Row< ImrsInProgress,          AuthorGroupMeetingHeld,       none,                    RecordAuthorGroupMeeting, none                     >,
    // para 6: "IMR authors indicate as early as possible if the work can not be completed in the timeframe"
    Row< ImrsInProgress,          ImrTimeframeAtRisk,           none,                    RecordTimeframeWarning,   ImrIsOutstanding         >,
    // -- Overview report and quality assurance (para 6: "quality assure all the IMRS and the Overview Report") --------------------
    Row< OverviewDrafting,        OverviewReportSubmitted,      PanelQualityAssurance,   CountOverviewDraft,       none                     >,
    Row< PanelQualityAssurance,   OverviewReturnedForRevision,  OverviewDrafting,        CountOverviewReturn,      none                     >,
    Row< PanelQualityAssurance,   OverviewEndorsedByPanel,      AwaitingBoardSignOff,    none,                     none                     >,
    // -- Board sign-off (para 6: "ensure all reports are signed off the SCR and ... recommend it to the LSCB Chair") -------------
    Row< AwaitingBoardSignOff,    ReportSignedOffByBoard,       SignedOff,               RecordBoardSignOff,       SignedByBoardChair       >,
    Row< AwaitingBoardSignOff,    ReportReturnedByBoard,        PanelQualityAssurance,   CountBoardReturn,         none                     >,
    // -- Regulator, publication, debrief and dissemination ---------------------------------------------------------------------
    Row< SignedOff,               SubmittedToRegulator,         none,                    RecordSubmission,         none                     >,
    Row< SignedOff,               ReportPublished,              Published,               RecordPublication,        WasSubmittedToRegulator  >,
    Row< Published,               StaffDebriefed,               none,                    RecordDebrief,            none                     >,
    Row< Published,               LearningDisseminated,         none,                    CountDissemination,       none                     >,
    Row< Published,               ActionAdded,                  none,                    AddAction,                ActionIdIsNew            >,
    Row< Published,               ActionPlanAgreed,             ActionPlanMonitoring,    RecordPlanAgreed,         PlanHasActions           >,
    // -- The inter-agency action plan (para 5: "Monitor the Inter-agency Action plan ... assess impact") ------------------------
    Row< ActionPlanMonitoring,    StaffDebriefed,               none,                    RecordDebrief,            none                     >,
    Row< ActionPlanMonitoring,    LearningDisseminated,         none,                    CountDissemination,       none                     >,
    Row< ActionPlanMonitoring,    ActionAdded,                  none,                    AddAction,                ActionIdIsNew            >,
    Row< ActionPlanMonitoring,    ActionStarted,                none,                    UpdateAction,             ActionTakesEvent         >,
    Row< ActionPlanMonitoring,    ActionProgressRecorded,       none,                    UpdateAction,             ActionTakesEvent         >,
    Row< ActionPlanMonitoring,    ActionCompleted,              none,                    UpdateAction,             ActionTakesEvent         >,
    Row< ActionPlanMonitoring,    ActionImpactAssured,          none,                    UpdateAction,             ActionTakesEvent         >,
    Row< ActionPlanMonitoring,    ActionClosed,                 none,                    UpdateAction,             ActionTakesEvent         >,
    Row< ActionPlanMonitoring,    ReviewClosed,                 Closed,                  RecordClosure,            EveryActionIsDone        >,
    // == Alongside, at any stage before sign-off (para 6: extensions "only ... in exceptional circumstances with clear
    //    reasons"; "manage any parallel investigations"; single-agency learning "does not wait"; the media strategy) ==========
    Row< Alongside,               ExtensionRequested,           none,                    RequestExtension,         ExtensionCanBeRequested  >,
    Row< Alongside,               ExtensionGranted,             none,                    DecideExtension,          ExtensionIsPending       >,
    Row< Alongside,               ExtensionRefused,             none,                    DecideExtension,          ExtensionIsPending       >,
    Row< Alongside,               ParallelProceedingOpened,     none,                    OpenProceeding,           ProceedingCanOpen        >,
    Row< Alongside,               ParallelProceedingUpdated,    none,                    UpdateProceeding,         ProceedingIsOngoing      >,
    Row< Alongside,               ParallelProceedingConcluded,  none,                    UpdateProceeding,         ProceedingIsOngoing      >,
    Row< Alongside,               SingleAgencyLearningActioned, none,                    RecordEarlyLearning,      IsBeforeSignOff          >,
    Row< Alongside,               MediaStrategyAgreed,          none,                    RecordMediaStrategy,      IsNotFinal               >,
    // A criminal trial or inquest pauses the completion clock; the original date stays visible
    Row< Alongside,               SuspensionStarted,            none,                    SuspendClock,             ClockCanBeSuspended      >,
    Row< Alongside,               SuspensionEnded,              none,                    ResumeClock,              ClockIsSuspended         >,
    // Reporting to the national panel (Working Together 2018): recorded in any stage, timed by the profile
    Row< Alongside,               NationalPanelNotified,        none,                    RecordNationalPanelStep,  none                     >,
    Row< Alongside,               RapidReviewCompleted,         none,                    RecordNationalPanelStep,  none                     >,
    Row< Alongside,               PublicationPlanned,           none,                    RecordNationalPanelStep,  none                     >,
    Row< Alongside,               FinalReportSentToNationalPanel, none,                  RecordNationalPanelStep,  none                     >,
    // Timers are events: a deadline's reminders and escalations, in any stage
    Row< Alongside,               DeadlineReminderDue,          none,                    CountReminder,            none                     >,
    Row< Alongside,               DeadlineEscalated,            none,                    RecordEscalation,         none                     >
  > {};
  // clang-format on

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}  // Dispatch explains the refusal
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm& f, std::exception& ex) {
    f.failure_ = "internal error in the SCR machine on " + f.case_.ref + ": " + ex.what();
  }
};
#undef CR_STAGE

using ScrMachine = msm::back::state_machine<ScrMachine_>;

}  // namespace casereview::scr
