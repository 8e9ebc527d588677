// The one translation unit that instantiates the SCR machine.
#include "scr/scr_machine.hpp"  // first: it includes msm_config.hpp before MSM

#include <tuple>
#include <unordered_map>

#include "scr/scr_events.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {
namespace scr {

template <class Fsm>
std::string_view StageOf(const Fsm& fsm) {
  static const auto kNames = machine::StateNames<ScrMachine>();
  return kNames[static_cast<std::size_t>(fsm.current_state()[0])];
}

namespace {

using Events = std::tuple<
    PanelMeetingConvened, PanelMeetingHeld, ScrRecommended, NoScrRecommended,
    ChairDecidedToProceed, ChairDecidedNotToProceed, AgencyInvolvementRecorded, ReviewPanelFormed,
    TermsOfReferenceAgreed, RecordsSecured, OverviewWriterAppointed, ImrCommissioned,
    FamilyContactNamed, CommissioningCompleted, ImrSubmitted, ImrReturnedForRevision, ImrAccepted,
    ImrSignedOff, AuthorGroupMeetingHeld, OverviewReportSubmitted, OverviewReturnedForRevision,
    OverviewEndorsedByPanel, ReportSignedOffByBoard, ReportReturnedByBoard, SubmittedToRegulator,
    ReportPublished, StaffDebriefed, LearningDisseminated, ActionAdded, ActionPlanAgreed,
    ActionStarted, ActionProgressRecorded, ActionCompleted, ActionImpactAssured, ActionClosed,
    ReviewClosed, ExtensionRequested, ExtensionGranted, ExtensionRefused, ParallelProceedingOpened,
    ParallelProceedingUpdated, ParallelProceedingConcluded, SingleAgencyLearningActioned,
    MediaStrategyAgreed, DecisionReportedOnward, ImrTimeframeAtRisk, SuspensionStarted,
    SuspensionEnded, NationalPanelNotified, RapidReviewCompleted, PublicationPlanned,
    FinalReportSentToNationalPanel, DeadlineReminderDue, DeadlineEscalated>;

using Handler = machine::EventHandlers<ScrMachine>::Handler;

const Handler* FindHandler(std::string_view event) {
  static const machine::EventHandlers<ScrMachine> kHandlers(ScrEventSpecs(), static_cast<Events*>(nullptr));
  return kHandlers.Find(event);
}

}  // namespace
}  // namespace scr

struct ScrWorkflow::Machine {
  scr::ScrMachine fsm;
};

ScrWorkflow::ScrWorkflow() : m_(std::make_unique<Machine>()) {}
ScrWorkflow::ScrWorkflow(const ScrWorkflow& other) : m_(std::make_unique<Machine>(*other.m_)) {}
ScrWorkflow& ScrWorkflow::operator=(const ScrWorkflow& other) {
  if (this != &other) m_ = std::make_unique<Machine>(*other.m_);
  return *this;
}
ScrWorkflow::ScrWorkflow(ScrWorkflow&&) noexcept = default;
ScrWorkflow& ScrWorkflow::operator=(ScrWorkflow&&) noexcept = default;
ScrWorkflow::~ScrWorkflow() = default;

Result<ScrWorkflow> ScrWorkflow::Begin(std::string ref, ScrRules rules,
                                       const nlohmann::json& referral) {
  const EventSpec* spec = FindSpec(ScrEventSpecs(), kCaseReferred);
  CR_RETURN_IF_ERROR(ValidatePayload(*spec, referral, /*resolved=*/true));
  ScrWorkflow w;
  ScrCase& c = w.m_->fsm.case_;
  c.ref = std::move(ref);
  c.rules = std::move(rules);
  for (const auto& a : referral["agencies_involved"]) c.involved_agencies.insert(a.get<std::string>());
  c.linked_review = TextField(referral, "linked_review");
  w.m_->fsm.start();
  return w;
}

Status ScrWorkflow::Apply(std::string_view event, const nlohmann::json& fields) {
  const scr::Handler* handler = scr::FindHandler(event);
  if (handler == nullptr)  // CaseReferred opens the review: it is not one of the machine's
    return Status::InvalidArgument("'" + std::string(event) +
                                   "' is not an event of a Serious Case Review (see 'casereview events')");
  CR_RETURN_IF_ERROR(ValidatePayload(*handler->spec, fields, /*resolved=*/true));
  auto fallback = [&] {
    return std::string(event) + " cannot be recorded on " + Ref() + " at stage " + std::string(Stage()) +
           ". Next expected: " + std::string(ScrStageExpects(Stage()));
  };
  return handler->dispatch(m_->fsm, fields, fallback);
}

const EventSpec* ScrWorkflow::MachineEventSpec(std::string_view event) {
  const scr::Handler* handler = scr::FindHandler(event);
  return handler == nullptr ? nullptr : handler->spec;
}

const std::string& ScrWorkflow::Ref() const { return m_->fsm.case_.ref; }
std::string_view ScrWorkflow::Stage() const { return scr::StageOf(m_->fsm); }
bool ScrWorkflow::IsFinal() const { return m_->fsm.is_flag_active<scr::FinalStage>(); }
const ScrCase& ScrWorkflow::Case() const { return m_->fsm.case_; }

const std::vector<std::string_view>& ScrWorkflow::Stages() {
  static const std::vector<std::string_view> kStages = {
      "Referred",         "UnderPanelConsideration", "AwaitingChairDecision", "NotToProceed",
      "Commissioning",    "ImrsInProgress",          "OverviewDrafting",      "PanelQualityAssurance",
      "AwaitingBoardSignOff", "SignedOff",           "Published",             "ActionPlanMonitoring",
      "Closed"};
  return kStages;
}

}  // namespace casereview
