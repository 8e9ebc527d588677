// The action machine (seed 002, Appendix 2, para 5: monitor the action plan, "ensure that
// all actions are implemented and where appropriate assess impact on practice and improved
// outcomes for children").
#include "casereview/msm_config.hpp"  // first: before any MSM header

#include "action_plan/action_workflow.hpp"

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "common/event_spec.hpp"
#include "common/machine_support.hpp"

namespace casereview {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

struct ActionStarted { static constexpr std::string_view kName = kActionStarted; const nlohmann::json& fields; };
struct ActionProgressRecorded { static constexpr std::string_view kName = kActionProgressRecorded; const nlohmann::json& fields; };
struct ActionCompleted { static constexpr std::string_view kName = kActionCompleted; const nlohmann::json& fields; };
struct ActionImpactAssured { static constexpr std::string_view kName = "ActionImpactAssured"; const nlohmann::json& fields; };
struct ActionClosed { static constexpr std::string_view kName = "ActionClosed"; const nlohmann::json& fields; };

struct ActionMachine_ : msm::front::state_machine_def<ActionMachine_>, machine::RefusalSlots {
  // No action sends an event to its own machine, so MSM's queue for such events is never
  // used; without it each machine (one per open review, IMR and action) is about 600 bytes
  // smaller (docs/performance.md, figure 2).
  using no_message_queue = int;
  std::string review_ref_;
  ActionFacts facts_;

  struct Open : msm::front::state<> { static constexpr std::string_view kName = "Open"; };
  struct InProgress : msm::front::state<> { static constexpr std::string_view kName = "InProgress"; };
  struct Completed : msm::front::state<> { static constexpr std::string_view kName = "Completed"; };
  struct ImpactAssured : msm::front::state<> { static constexpr std::string_view kName = "ImpactAssured"; };
  struct ClosedWithReasons : msm::front::state<> { static constexpr std::string_view kName = "ClosedWithReasons"; };
  using initial_state = Open;

  // Actions: keep what the lead officer reports.
  struct RecordProgress {
    template <class E, class F, class S, class T>
    void operator()(const E& e, F& f, S&, T&) {
      if (auto note = TextField(e.fields, "note"); !note.empty()) f.facts_.progress.push_back(note);
      if (auto ev = TextField(e.fields, "evidence"); !ev.empty()) f.facts_.evidence.push_back(ev);
    }
  };
  struct RecordClosure {
    template <class E, class F, class S, class T>
    void operator()(const E& e, F& f, S&, T&) { f.facts_.closed_reasons = TextField(e.fields, "reasons"); }
  };

  // clang-format off
  struct transition_table : mpl::vector<
    //   Start        Event                   Next               Action          Guard
    // -- the lead officer implements it --------------------------------------------------
    Row< Open,        ActionStarted,          InProgress,        RecordProgress, none >,
    Row< Open,        ActionProgressRecorded, InProgress,        RecordProgress, none >,
    Row< InProgress,  ActionProgressRecorded, none,              RecordProgress, none >,
    Row< Open,        ActionCompleted,        Completed,         RecordProgress, none >,
    Row< InProgress,  ActionCompleted,        Completed,         RecordProgress, none >,
    // -- the panel assesses impact on practice and outcomes for children ------------------
    Row< Completed,   ActionImpactAssured,    ImpactAssured,     RecordProgress, none >,
    // -- or closes it formally, with reasons -----------------------------------------------
    Row< Open,        ActionClosed,           ClosedWithReasons, RecordClosure,  none >,
    Row< InProgress,  ActionClosed,           ClosedWithReasons, RecordClosure,  none >,
    Row< Completed,   ActionClosed,           ClosedWithReasons, RecordClosure,  none >
  > {};
  // clang-format on

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}  // Dispatch explains the refusal
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm& f, std::exception& ex) {
    f.failure_ = "internal error in the action machine on " + f.review_ref_ + ": " + ex.what();
  }
};
using ActionMachine = msm::back::state_machine<ActionMachine_>;

std::string_view Requirement(std::string_view event) {
  if (event == ActionStarted::kName) return "cannot be started: it is not open";
  if (event == ActionProgressRecorded::kName)
    return "cannot take progress: it is no longer open or in progress";
  if (event == ActionCompleted::kName)
    return "cannot be completed: it is not open or in progress";
  if (event == ActionImpactAssured::kName)
    return "cannot be impact-assured: it has not been completed";
  if (event == ActionClosed::kName) return "cannot be closed: it is already finished";
  return "does not take this event";
}

}  // namespace

bool IsActionLeadEvent(std::string_view event) {
  return event == kActionStarted || event == kActionProgressRecorded || event == kActionCompleted;
}

static_assert(ActionMachine_::Open::kName == kActionOpenStage);

bool IsActionDone(std::string_view stage) {
  return stage == ActionMachine_::Completed::kName || stage == ActionMachine_::ImpactAssured::kName ||
         stage == ActionMachine_::ClosedWithReasons::kName;
}

struct ActionWorkflow::Machine {
  ActionMachine fsm;
};

ActionWorkflow::ActionWorkflow(std::string review_ref, ActionFacts added)
    : m_(std::make_unique<Machine>()) {
  m_->fsm.review_ref_ = std::move(review_ref);
  m_->fsm.facts_ = std::move(added);
  m_->fsm.start();
}
ActionWorkflow::ActionWorkflow(const ActionWorkflow& other)
    : m_(std::make_unique<Machine>(*other.m_)) {}
ActionWorkflow& ActionWorkflow::operator=(const ActionWorkflow& other) {
  if (this != &other) m_ = std::make_unique<Machine>(*other.m_);
  return *this;
}
ActionWorkflow::ActionWorkflow(ActionWorkflow&&) noexcept = default;
ActionWorkflow& ActionWorkflow::operator=(ActionWorkflow&&) noexcept = default;
ActionWorkflow::~ActionWorkflow() = default;

Status ActionWorkflow::Apply(std::string_view event, const nlohmann::json& fields) {
  auto& fsm = m_->fsm;
  auto fallback = [&] {
    return "Action " + fsm.facts_.id + " on " + fsm.review_ref_ + " " +
           std::string(Requirement(event)) + " (stage: " + std::string(Stage()) + ")";
  };
  if (event == ActionStarted::kName) return machine::Dispatch(fsm, ActionStarted{fields}, fallback);
  if (event == ActionProgressRecorded::kName)
    return machine::Dispatch(fsm, ActionProgressRecorded{fields}, fallback);
  if (event == ActionCompleted::kName)
    return machine::Dispatch(fsm, ActionCompleted{fields}, fallback);
  if (event == ActionImpactAssured::kName)
    return machine::Dispatch(fsm, ActionImpactAssured{fields}, fallback);
  if (event == ActionClosed::kName) return machine::Dispatch(fsm, ActionClosed{fields}, fallback);
  return Status::InvalidArgument("'" + std::string(event) + "' is not an action-plan event");
}

Status ActionWorkflow::Check(std::string_view event, const nlohmann::json& fields) const {
  ActionWorkflow trial(*this);
  return trial.Apply(event, fields);
}

std::string_view ActionWorkflow::Stage() const {
  static const auto kNames = machine::StateNames<ActionMachine>();
  return kNames[static_cast<std::size_t>(m_->fsm.current_state()[0])];
}

bool ActionWorkflow::IsDone() const {
  auto s = Stage();
  return s == "ImpactAssured" || s == "ClosedWithReasons";
}

const ActionFacts& ActionWorkflow::Facts() const { return m_->fsm.facts_; }

}  // namespace casereview
