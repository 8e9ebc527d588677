// The one translation unit that instantiates the child death review machine.
#include "cdop/cdop_machine.hpp"  // first: it includes msm_config.hpp before MSM

#include <cctype>
#include <tuple>
#include <unordered_map>

#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"

namespace casereview {
namespace cdop {

template <class Fsm>
std::string_view StageOf(const Fsm& fsm) {
  static const auto kNames = machine::StateNames<CdopMachine>();
  return kNames[static_cast<std::size_t>(fsm.current_state()[0])];
}

namespace {

using Events = std::tuple<
    RapidResponseStarted, InformationSharingMeetingHeld, JointHomeVisitCompleted,
    PostMortemPerformed, PostMortemDiscussionHeld, CriminalInvestigationRecorded,
    StrategyMeetingHeld, RapidResponseCompleted, AgencyReportRequested, AgencyReportSubmitted,
    AllAgencyReportsReceived, PostMortemReportReceived, InquestOpened, InquestConcluded,
    PoliceInvestigationConcluded, ReviewMeetingScheduled, LocalCaseDiscussionHeld,
    PanelReviewHeld, ContributoryFactorRecorded, RecommendationMade, ReviewClosed,
    ReferredForScr, DeadlineReminderDue, DeadlineEscalated>;

using Handler = machine::EventHandlers<CdopMachine>::Handler;

const Handler* FindHandler(std::string_view event) {
  static const machine::EventHandlers<CdopMachine> kHandlers(CdopEventSpecs(), static_cast<Events*>(nullptr));
  return kHandlers.Find(event);
}

// "HH:MM", 24-hour. The value is never echoed.
Status CheckDeathTime(const nlohmann::json& notification) {
  std::string t = TextField(notification, "death_time");
  if (t.empty()) return Status::Ok();
  auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(t[i])) != 0; };
  bool shaped = t.size() == 5 && digit(0) && digit(1) && t[2] == ':' && digit(3) && digit(4);
  if (shaped && std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3, 2)) < 60) return Status::Ok();
  return Status::InvalidArgument(std::string(kChildDeathNotified) +
                                 ": field 'death_time' must be a time of day written HH:MM");
}

}  // namespace
}  // namespace cdop

struct CdopWorkflow::Machine {
  cdop::CdopMachine fsm;
};

CdopWorkflow::CdopWorkflow() : m_(std::make_unique<Machine>()) {}
CdopWorkflow::CdopWorkflow(const CdopWorkflow& other) : m_(std::make_unique<Machine>(*other.m_)) {}
CdopWorkflow& CdopWorkflow::operator=(const CdopWorkflow& other) {
  if (this != &other) m_ = std::make_unique<Machine>(*other.m_);
  return *this;
}
CdopWorkflow::CdopWorkflow(CdopWorkflow&&) noexcept = default;
CdopWorkflow& CdopWorkflow::operator=(CdopWorkflow&&) noexcept = default;
CdopWorkflow::~CdopWorkflow() = default;

Result<CdopWorkflow> CdopWorkflow::Begin(std::string ref, CdopRules rules,
                                         const nlohmann::json& notification) {
  const EventSpec* spec = FindSpec(CdopEventSpecs(), kChildDeathNotified);
  CR_RETURN_IF_ERROR(ValidatePayload(*spec, notification, /*resolved=*/true));
  CR_RETURN_IF_ERROR(cdop::CheckDeathTime(notification));
  CdopWorkflow w;
  CdopCase& c = w.m_->fsm.case_;
  c.ref = std::move(ref);
  c.rules = std::move(rules);
  RecordNotification(c, notification);
  w.m_->fsm.start();
  return w;
}

Status CdopWorkflow::Apply(std::string_view event, const nlohmann::json& fields) {
  if (event == kChildDeathNotified)
    return Status::InvalidArgument(std::string(kChildDeathNotified) + " opens a child death review; " +
                                   Ref() + " was notified already (stage: " + std::string(Stage()) + ")");
  const cdop::Handler* handler = cdop::FindHandler(event);
  if (handler == nullptr)
    return Status::InvalidArgument("'" + std::string(event) +
                                   "' is not an event of a child death review (see 'casereview events')");
  CR_RETURN_IF_ERROR(ValidatePayload(*handler->spec, fields, /*resolved=*/true));
  auto fallback = [&] {
    return std::string(event) + " cannot be recorded on " + Ref() + " at stage " + std::string(Stage()) +
           ". Next expected: " + std::string(CdopStageExpects(Stage()));
  };
  return handler->dispatch(m_->fsm, fields, fallback);
}

const EventSpec* CdopWorkflow::MachineEventSpec(std::string_view event) {
  const cdop::Handler* handler = cdop::FindHandler(event);
  return handler == nullptr ? nullptr : handler->spec;
}

const std::string& CdopWorkflow::Ref() const { return m_->fsm.case_.ref; }
std::string_view CdopWorkflow::Stage() const { return cdop::StageOf(m_->fsm); }
bool CdopWorkflow::IsFinal() const { return m_->fsm.is_flag_active<cdop::FinalStage>(); }
const CdopCase& CdopWorkflow::Case() const { return m_->fsm.case_; }

const std::vector<std::string_view>& CdopWorkflow::Stages() {
  static const std::vector<std::string_view> kStages = {
      "Notified",           "RapidResponse",       "AgencyReportsRequested", "AwaitingInvestigations",
      "LocalCaseDiscussion", "PanelReview",        "Closed"};
  return kStages;
}

}  // namespace casereview
