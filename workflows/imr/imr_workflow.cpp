// The IMR machine. Rows follow the seed's Terms of Reference (002, Appendix 2, para 6):
// the panel "challenge[s] information & analysis included in IMRs" (return for revision),
// quality-assures them (accept), and "the senior manager who commissioned the IMR for the
// agency [signs] it off".
#include "casereview/msm_config.hpp"  // first: before any MSM header

#include "imr/imr_workflow.hpp"

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

// Events: facts about this IMR, carrying their validated fields.
struct ImrSubmitted { static constexpr std::string_view kName = "ImrSubmitted"; const nlohmann::json& fields; };
struct ImrReturnedForRevision { static constexpr std::string_view kName = "ImrReturnedForRevision"; const nlohmann::json& fields; };
struct ImrAccepted { static constexpr std::string_view kName = "ImrAccepted"; const nlohmann::json& fields; };
struct ImrSignedOff { static constexpr std::string_view kName = "ImrSignedOff"; const nlohmann::json& fields; };

struct ImrMachine_ : msm::front::state_machine_def<ImrMachine_>, machine::RefusalSlots {
  // No action sends an event to its own machine, so MSM's queue for such events is never
  // used; without it each machine (one per open review, IMR and action) is about 600 bytes
  // smaller (docs/performance.md, figure 2).
  using no_message_queue = int;
  std::string review_ref_;
  ImrFacts facts_;

  // States.
  struct Commissioned : msm::front::state<> { static constexpr std::string_view kName = "Commissioned"; };
  struct Submitted : msm::front::state<> { static constexpr std::string_view kName = "Submitted"; };
  struct ReturnedForRevision : msm::front::state<> { static constexpr std::string_view kName = "ReturnedForRevision"; };
  struct Accepted : msm::front::state<> { static constexpr std::string_view kName = "Accepted"; };
  struct SignedOff : msm::front::state<> { static constexpr std::string_view kName = "SignedOff"; };
  using initial_state = Commissioned;

  // Actions.
  struct CountSubmission {
    template <class E, class F, class S, class T> void operator()(const E&, F& f, S&, T&) { ++f.facts_.submissions; }
  };
  struct CountReturn {
    template <class E, class F, class S, class T> void operator()(const E&, F& f, S&, T&) { ++f.facts_.returns; }
  };
  // Guards.
  struct SignedOffByNamedSeniorManager {
    template <class E, class F, class S, class T>
    bool operator()(const E& e, F& f, S&, T&) {
      if (PersonId(e.fields, "senior_manager") == f.facts_.senior_manager) return true;
      f.why_not_ = "IMR for " + f.facts_.agency + " on " + f.review_ref_ +
                   " cannot be signed off: sign-off is by the senior manager named at "
                   "commissioning (" + f.facts_.senior_manager + ")";
      return false;
    }
  };

  // clang-format off
  struct transition_table : mpl::vector<
    //   Start                 Event                     Next                  Action           Guard
    // -- the author writes it ----------------------------------------------------------------------
    Row< Commissioned,         ImrSubmitted,             Submitted,            CountSubmission, none >,
    // -- the panel challenges and quality-assures it (para 6: "challenge information & analysis") --
    Row< Submitted,            ImrReturnedForRevision,   ReturnedForRevision,  CountReturn,     none >,
    Row< ReturnedForRevision,  ImrSubmitted,             Submitted,            CountSubmission, none >,
    Row< Submitted,            ImrAccepted,              Accepted,             none,            none >,
    // -- the agency's senior manager signs it off (para 6) -----------------------------------------
    Row< Accepted,             ImrSignedOff,             SignedOff,            none,            SignedOffByNamedSeniorManager >
  > {};
  // clang-format on

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}  // Dispatch explains the refusal
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm& f, std::exception& ex) {
    f.failure_ = "internal error in the IMR machine on " + f.review_ref_ + ": " + ex.what();
  }
};
using ImrMachine = msm::back::state_machine<ImrMachine_>;

// What an event needs, for the refusal message when no row matches.
std::string_view Requirement(std::string_view event) {
  if (event == ImrSubmitted::kName)
    return "cannot be submitted: it can be submitted when commissioned or returned for revision";
  if (event == ImrReturnedForRevision::kName)
    return "cannot be returned for revision: only a submitted IMR can be returned";
  if (event == ImrAccepted::kName) return "cannot be accepted: it has not been submitted";
  if (event == ImrSignedOff::kName)
    return "cannot be signed off: it has not been accepted by the panel";
  return "does not take this event";
}

}  // namespace

struct ImrWorkflow::Machine {
  ImrMachine fsm;
};

ImrWorkflow::ImrWorkflow(std::string review_ref, ImrFacts commissioned)
    : m_(std::make_unique<Machine>()) {
  m_->fsm.review_ref_ = std::move(review_ref);
  m_->fsm.facts_ = std::move(commissioned);
  m_->fsm.start();
}
ImrWorkflow::ImrWorkflow(const ImrWorkflow& other) : m_(std::make_unique<Machine>(*other.m_)) {}
ImrWorkflow& ImrWorkflow::operator=(const ImrWorkflow& other) {
  if (this != &other) m_ = std::make_unique<Machine>(*other.m_);
  return *this;
}
ImrWorkflow::ImrWorkflow(ImrWorkflow&&) noexcept = default;
ImrWorkflow& ImrWorkflow::operator=(ImrWorkflow&&) noexcept = default;
ImrWorkflow::~ImrWorkflow() = default;

Status ImrWorkflow::Apply(std::string_view event, const nlohmann::json& fields) {
  auto& fsm = m_->fsm;
  auto fallback = [&] {
    return "IMR for " + fsm.facts_.agency + " on " + fsm.review_ref_ + " " +
           std::string(Requirement(event)) + " (stage: " + std::string(Stage()) + ")";
  };
  if (event == ImrSubmitted::kName) return machine::Dispatch(fsm, ImrSubmitted{fields}, fallback);
  if (event == ImrReturnedForRevision::kName)
    return machine::Dispatch(fsm, ImrReturnedForRevision{fields}, fallback);
  if (event == ImrAccepted::kName) return machine::Dispatch(fsm, ImrAccepted{fields}, fallback);
  if (event == ImrSignedOff::kName) return machine::Dispatch(fsm, ImrSignedOff{fields}, fallback);
  return Status::InvalidArgument("'" + std::string(event) + "' is not an IMR event");
}

Status ImrWorkflow::Check(std::string_view event, const nlohmann::json& fields) const {
  ImrWorkflow trial(*this);
  return trial.Apply(event, fields);
}

std::string_view ImrWorkflow::Stage() const {
  static const auto kNames = machine::StateNames<ImrMachine>();
  return kNames[static_cast<std::size_t>(m_->fsm.current_state()[0])];
}

const ImrFacts& ImrWorkflow::Facts() const { return m_->fsm.facts_; }

std::string_view ImrWorkflow::NextHolder() const {
  auto s = Stage();
  if (s == "Commissioned" || s == "ReturnedForRevision") return "author";
  if (s == "Submitted") return "panel";
  if (s == "Accepted") return "senior-manager";
  return "";
}

}  // namespace casereview
